package io.github.mcppolicyproxy.telemetry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FrameFactsTest {
  private static List<FrameFacts> of(String json) {
    byte[] b = json.getBytes(UTF_8);
    return FrameFacts.of(b, b.length);
  }

  @Test
  void aToolsCallGivesItsToolAndTheTraceContextInMetaEvenAfterLargeArguments() {
    FrameFacts f = of("""
        {"jsonrpc":"2.0","id":"a\\u0062","method":"tools/call","params":{"name":"call_aws",
         "arguments":{"cli_command":"%s","nested":[{"x":[1,2,{"y":null}]}]},
         "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
          "traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
          "tracestate":"rojo=1","progressToken":{"k":1}}}}""".formatted("x".repeat(100_000)))
        .get(0);
    assertThat(f.isRequest()).isTrue();
    assertThat(f.idKey()).isEqualTo("s:ab");
    assertThat(f.idText()).isEqualTo("ab");
    assertThat(f.tool()).isEqualTo("call_aws");
    assertThat(f.traceparent()).isEqualTo(
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(f.tracestate()).isEqualTo("rojo=1");
    assertThat(f.protocolVersion()).isEqualTo("2026-07-28");
  }

  @Test
  void answersGiveTheirIdWhereverItIsAndTheirError() {
    FrameFacts ok = of("{\"result\":{\"content\":[],\"isError\":true},\"jsonrpc\":\"2.0\","
        + "\"id\":1.0}").get(0);
    assertThat(ok.answer()).isTrue();
    assertThat(ok.idKey()).as("1.0 and 1 are one id").isEqualTo("1");
    assertThat(ok.toolError()).isTrue();
    FrameFacts err = of("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32001,"
        + "\"message\":\"denied\",\"data\":{}}}").get(0);
    assertThat(err.errorCode()).isEqualTo("-32001");
    assertThat(err.errorMessage()).isEqualTo("denied");
    assertThat(err.isRequest()).isFalse();
  }

  @Test
  void aBatchGivesEachMessageAndAFrameCutShortGivesWhatCameBefore() {
    assertThat(of("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
        + "\"a\"}},{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}]"))
        .extracting(FrameFacts::idKey).containsExactly("1", "2");
    List<FrameFacts> cut = of("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"big\",\"arguments\":{\"x\":\"aaaa");
    assertThat(cut).singleElement().satisfies(f -> {
      assertThat(f.idKey()).isEqualTo("9");
      assertThat(f.tool()).isEqualTo("big");
    });
    assertThat(of("not json")).isEmpty();
  }
}
