package io.github.mcppolicyproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import io.github.mcppolicyproxy.jsonrpc.Replies;
import io.github.mcppolicyproxy.policy.Code;
import io.github.mcppolicyproxy.policy.Refusal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AnswersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Refusal RATE_LIMITED = new Refusal(Code.RATE_LIMITED,
      "/tools/StartAHOReadSetExportJob/limits/0",
      "StartAHOReadSetExportJob is limited to 10 calls per minute", OptionalLong.of(42), List.of());

  private static JsonNode parse(byte[] frame) throws Exception {
    return JSON.readTree(frame);
  }

  @Test
  void refusalIsAToolResultTheModelCanRead() throws Exception {
    byte[] frame = new Answers(JSON, RefusalStyle.RESULT).refusal(JsonId.ofNumber("7"), RATE_LIMITED, false);

    JsonNode a = parse(frame);
    assertThat(a.get("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(a.get("id").asInt()).isEqualTo(7);
    JsonNode result = a.get("result");
    assertThat(result.get("isError").asBoolean()).isTrue();
    assertThat(result.get("content")).hasSize(1);
    assertThat(result.get("content").get(0).get("type").asText()).isEqualTo("text");
    assertThat(result.get("content").get(0).get("text").asText())
        .startsWith("Policy violation: StartAHOReadSetExportJob is limited to 10 calls per minute; retry in 42 s");
    JsonNode meta = result.get("_meta").get(Answers.META_KEY);
    assertThat(Answers.META_KEY).isEqualTo("io.github.mcp-policy-proxy/refusal");
    assertThat(meta.get("code").asText()).isEqualTo("rate_limited");
    assertThat(meta.get("rule").asText()).isEqualTo("/tools/StartAHOReadSetExportJob/limits/0");
    assertThat(meta.get("retry_after_seconds").asLong()).isEqualTo(42);
    assertThat(result.has("resultType")).isFalse();
  }

  @Test
  void refusalToAStatelessRevisionRequestIsMarkedComplete() throws Exception {
    JsonNode a = parse(new Answers(JSON, RefusalStyle.RESULT).refusal(JsonId.ofString("\"s-1\"", "s-1"),
        new Refusal(Code.DENIED, "/default", "x is not allowed"), true));

    assertThat(a.get("result").get("resultType").asText()).isEqualTo("complete");
    assertThat(a.get("id").asText()).isEqualTo("s-1");
    assertThat(a.get("result").get("_meta").get(Answers.META_KEY).get("retry_after_seconds").isNull()).isTrue();
  }

  @Test
  void idIsEchoedByteForByte() {
    byte[] frame = new Answers(JSON, RefusalStyle.RESULT).refusal(JsonId.ofNumber("1.10"), RATE_LIMITED, false);

    assertThat(new String(frame, StandardCharsets.UTF_8)).startsWith("{\"jsonrpc\":\"2.0\",\"id\":1.10,");
  }

  @Test
  void errorStyleAnswersWithAJsonRpcErrorCarryingTheSameDetails() throws Exception {
    JsonNode a = parse(new Answers(JSON, RefusalStyle.ERROR).refusal(JsonId.ofNumber("7"), RATE_LIMITED, false));

    assertThat(a.has("result")).isFalse();
    assertThat(a.get("error").get("code").asInt()).isEqualTo(Replies.POLICY_REFUSED);
    assertThat(a.get("error").get("message").asText()).contains("retry in 42 s");
    assertThat(a.get("error").get("data").get("code").asText()).isEqualTo("rate_limited");
    assertThat(a.get("error").get("data").get("rule").asText()).isEqualTo("/tools/StartAHOReadSetExportJob/limits/0");
  }
}
