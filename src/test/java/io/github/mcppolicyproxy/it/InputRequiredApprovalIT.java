package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approval under 2026-07-28 through the packaged jar with a raw client, in front of the recording
 * stand-in: the proxy's input-required question, the approved retry forwarded once without the
 * proxy's input, and replayed, forged, cross-call and expired states refused and never forwarded.
 */
class InputRequiredApprovalIT {
  private static final String KEY = "io.github.mcp-policy-proxy/approval";
  private static final String POLICY = """
      {"version":"1","default":"allow","tools":{
        "standin_echo":{"action":"require_approval","approval":{"timeout_seconds":120}},
        "standin_sleep":{"action":"require_approval","approval":{"timeout_seconds":1}}}}
      """;
  private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":"
      + "\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{}}}";
  private static final String ACCEPT = "{\"action\":\"accept\",\"content\":{\"approve\":true}}";

  @TempDir
  Path dir;

  private static JsonNode echo(ProxyProcess p, int id, String marker, String extra)
      throws Exception {
    return call(p, "standin_echo", id, marker, extra);
  }

  private static JsonNode call(ProxyProcess p, String tool, int id, String marker, String extra)
      throws Exception {
    p.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":"
        + "\"" + tool + "\",\"arguments\":{\"marker\":\"" + marker + "\"}," + META + extra + "}}");
    return p.answerTo(id);
  }

  private static String retry(String answer, String state) {
    return ",\"inputResponses\":{\"" + KEY + "\":" + answer + "},\"requestState\":"
        + ProxyProcess.JSON.valueToTree(state);
  }

  private static String code(JsonNode answer) {
    return answer.path("result").path("_meta").path("io.github.mcp-policy-proxy/refusal")
        .path("code").asText();
  }

  @Test
  void onlyAGenuineFreshAnswerForTheSameCallReachesTheUpstreamOnce() throws Exception {
    Path record = dir.resolve("received.jsonl");
    Path policy = ProxyProcess.write(dir, "policy.json", POLICY);
    List<String> args = new ArrayList<>(List.of("--policy", policy.toString(), "--violation-log",
        dir.resolve("violations.jsonl").toString(), "--"));
    args.addAll(ProxyProcess.standIn("--test-tools", "--record", record.toString()));
    try (ProxyProcess p = ProxyProcess.start(args)) {
      JsonNode asked = echo(p, 1, "m-1", "");
      assertThat(asked.path("result").path("resultType").asText()).isEqualTo("input_required");
      String state = asked.path("result").path("requestState").asText();

      JsonNode ok = echo(p, 2, "m-1", retry(ACCEPT, state));
      assertThat(ok.path("result").path("isError").asBoolean(true)).as(ok.toString()).isFalse();
      assertThat(ok.toString()).contains("m-1");

      JsonNode replay = echo(p, 3, "m-1", retry(ACCEPT, state));
      assertThat(code(replay)).isEqualTo("approval_invalid");
      assertThat(replay.path("result").path("resultType").asText()).isEqualTo("complete");

      String other = echo(p, 4, "m-2", "").path("result").path("requestState").asText();
      assertThat(code(echo(p, 5, "m-3", retry(ACCEPT, other)))).isEqualTo("approval_invalid");
      String forged = other.substring(0, other.length() - 4) + "AAAA";
      assertThat(code(echo(p, 6, "m-2", retry(ACCEPT, forged)))).isEqualTo("approval_invalid");
      assertThat(code(echo(p, 7, "m-2", retry("{\"action\":\"decline\"}", other))))
          .isEqualTo("approval_declined");

      String late = call(p, "standin_sleep", 8, "m-4", "").path("result").path("requestState")
          .asText();
      Thread.sleep(1_100); // standin_sleep's approval.timeout_seconds is 1
      assertThat(code(call(p, "standin_sleep", 9, "m-4", retry(ACCEPT, late))))
          .isEqualTo("approval_timeout");
    }
    String received = Files.readString(record, StandardCharsets.UTF_8);
    assertThat(received).contains("m-1").doesNotContain("m-2").doesNotContain("m-3")
        .doesNotContain("m-4").doesNotContain(KEY).doesNotContain("mcp-policy-proxy.v1.");
    assertThat(received.split("m-1", -1)).hasSize(2); // forwarded exactly once
    List<String> log = Files.readAllLines(dir.resolve("violations.jsonl"));
    assertThat(log).hasSize(5);
    assertThat(String.join("\n", log)).contains("approval_invalid").contains("approval_declined")
        .contains("approval_timeout");
  }
}
