package io.github.mcppolicyproxy.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListChangedCapabilityTest {
  private final ListChangedCapability declare = new ListChangedCapability();

  private String apply(String frame) {
    return new String(declare.declare(frame.getBytes(UTF_8)), UTF_8);
  }

  @Test
  void addsListChangedToAToolsCapabilityThatLacksItAndKeepsEveryOtherByte() {
    assertThat(apply("""
        {"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-06-18","capabilities":\
        {"logging":{},"tools":{"x-vendor":1.10}},"serverInfo":{"name":"s","version":"1"}}}"""))
        .isEqualTo("""
        {"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-06-18","capabilities":\
        {"logging":{},"tools":{"listChanged":true,"x-vendor":1.10}},"serverInfo":{"name":"s",\
        "version":"1"}}}""");
    assertThat(apply("{\"id\":1,\"result\":{\"capabilities\":{\"tools\":{}}}}"))
        .isEqualTo("{\"id\":1,\"result\":{\"capabilities\":{\"tools\":{\"listChanged\":true}}}}");
  }

  @Test
  void leavesAnAnswerAloneThatSaysListChangedEitherWayOrHasNoTools() {
    for (String frame : new String[] {
        "{\"id\":1,\"result\":{\"capabilities\":{\"tools\":{\"listChanged\":false}}}}",
        "{\"id\":1,\"result\":{\"capabilities\":{\"tools\":{\"listChanged\":true}}}}",
        "{\"id\":1,\"result\":{\"capabilities\":{\"prompts\":{}}}}",
        "{\"id\":1,\"error\":{\"code\":-32602,\"message\":\"no\"}}",
        "{\"id\":1,\"result\":{\"capabilities\":{\"tools\":{\"a\":[1,2,"}) {
      byte[] bytes = frame.getBytes(UTF_8);
      assertThat(declare.declare(bytes)).as(frame).isSameAs(bytes);
    }
  }
}
