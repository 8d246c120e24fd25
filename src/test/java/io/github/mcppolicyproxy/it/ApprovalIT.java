package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approval by a person through the packaged jar: the proxy asks the client with its own
 * {@code elicitation/create}, holds the call without holding up others, and forwards exactly the
 * held call only when the person approves. The stand-in upstream records what it receives.
 */
class ApprovalIT {
  private static final String POLICY = """
      {"version":"1","default":"allow","tools":{"standin_echo":{
        "action":"require_approval","reason":"echo needs a person",
        "approval":{"timeout_seconds":2},
        "limits":[{"counter":"echo","window":"minute","max":2}]}}}
      """;

  @TempDir
  Path dir;

  private Path record;

  private ProxyProcess start() throws Exception {
    record = dir.resolve("received.jsonl");
    Path policy = ProxyProcess.write(dir, "policy.json", POLICY);
    List<String> args = new ArrayList<>(List.of("--policy", policy.toString(), "--violation-log",
        dir.resolve("violations.jsonl").toString(), "--"));
    args.addAll(ProxyProcess.standIn("--test-tools", "--record", record.toString()));
    return ProxyProcess.start(args);
  }

  private static void initialize(ProxyProcess p, String capabilities) throws Exception {
    p.call(0, "initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":" + capabilities
        + ",\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}");
    p.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
  }

  private static void sendEcho(ProxyProcess p, int id, String marker) throws Exception {
    p.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":"
        + "\"standin_echo\",\"arguments\":{\"marker\":\"" + marker + "\"}}}");
  }

  private static JsonNode nextElicitation(ProxyProcess p) throws Exception {
    JsonNode n = p.next();
    assertThat(n.path("method").asText()).as("the proxy asks the client: %s", n)
        .isEqualTo("elicitation/create");
    assertThat(n.path("id").isTextual()).isTrue();
    return n;
  }

  /** The client's answer to the proxy's question {@code ask}. */
  private static void answer(ProxyProcess p, JsonNode ask, String result) throws Exception {
    p.send("{\"jsonrpc\":\"2.0\",\"id\":" + ask.path("id") + ",\"result\":" + result + "}");
  }

  private static final String APPROVE = "{\"action\":\"accept\",\"content\":{\"approve\":true}}";

  private static String code(JsonNode answer) {
    return answer.path("result").path("_meta").path("io.github.mcp-policy-proxy/refusal")
        .path("code").asText("");
  }

  private String received() throws Exception {
    return Files.exists(record) ? Files.readString(record, StandardCharsets.UTF_8) : "";
  }

  @Test
  void anApprovedCallIsForwardedOnceAndOtherCallsGoOnWhileItWaits() throws Exception {
    try (ProxyProcess p = start()) {
      initialize(p, "{\"elicitation\":{}}");
      sendEcho(p, 1, "approve-me-ü");
      JsonNode ask = nextElicitation(p);
      assertThat(ask.path("params").path("message").asText()).contains("standin_echo")
          .contains("approve-me-ü").contains("/tools/standin_echo");
      assertThat(ask.path("params").path("requestedSchema").path("required").get(0).asText())
          .isEqualTo("approve");

      // another call is answered while the first waits for the person
      JsonNode other = p.callTool(2, "standin_notify", "{\"count\":0}");
      assertThat(other.path("result").path("isError").asBoolean()).isFalse();
      assertThat(received()).doesNotContain("approve-me");

      answer(p, ask, APPROVE);
      JsonNode done = p.answerTo(1);
      assertThat(done.path("result").path("structuredContent").path("marker").asText())
          .isEqualTo("approve-me-ü");
    }
    String received = received();
    assertThat(received.split("approve-me", -1)).hasSize(2); // forwarded exactly once
    assertThat(received).doesNotContain("\"approve\"").doesNotContain("accept");
  }

  @Test
  void aDeclinedOrUnansweredCallIsRefusedNeverForwardedAndLogged() throws Exception {
    try (ProxyProcess p = start()) {
      initialize(p, "{\"elicitation\":{}}");
      sendEcho(p, 1, "declined-call");
      JsonNode ask = nextElicitation(p);
      answer(p, ask, "{\"action\":\"decline\"}");
      assertThat(code(p.answerTo(1))).isEqualTo("approval_declined");

      sendEcho(p, 2, "not-approved-call");
      ask = nextElicitation(p);
      answer(p, ask, "{\"action\":\"accept\",\"content\":{\"approve\":false}}");
      assertThat(code(p.answerTo(2))).isEqualTo("approval_declined");

      long start = System.nanoTime();
      sendEcho(p, 3, "unanswered-call");
      nextElicitation(p);
      JsonNode timedOut = p.answerTo(3);
      assertThat(code(timedOut)).isEqualTo("approval_timeout");
      assertThat(System.nanoTime() - start).isGreaterThan(Duration.ofMillis(1900).toNanos());

      // the two refusals above took no quota: two approved calls still fit the limit of 2
      for (int id = 4; id <= 5; id++) {
        sendEcho(p, id, "fits-" + id);
        ask = nextElicitation(p);
        answer(p, ask, APPROVE);
        assertThat(p.answerTo(id).path("result").path("isError").asBoolean()).isFalse();
      }
      // the third is refused by its limit before anybody is asked
      sendEcho(p, 6, "over-the-limit");
      JsonNode limited = p.next();
      assertThat(limited.path("id").asInt()).isEqualTo(6);
      assertThat(code(limited)).isEqualTo("rate_limited");
    }
    String received = received();
    assertThat(received).doesNotContain("declined-call").doesNotContain("not-approved-call")
        .doesNotContain("unanswered-call").doesNotContain("over-the-limit")
        .contains("fits-4").contains("fits-5");
    List<String> log = Files.readAllLines(dir.resolve("violations.jsonl")).stream()
        .filter(l -> !l.contains("\"event\":")).toList(); // refusals, not the session's summary
    assertThat(log.stream().map(l -> l.replaceAll(".*\"code\":\"([a-z_]+)\".*", "$1")))
        .containsExactly("approval_declined", "approval_declined", "approval_timeout",
            "rate_limited");
  }

  @Test
  void withoutTheElicitationCapabilityNobodyCanBeAskedAndTheCallIsRefused() throws Exception {
    try (ProxyProcess p = start()) {
      initialize(p, "{}");
      sendEcho(p, 1, "no-channel");
      JsonNode r = p.next();
      assertThat(r.path("id").asInt()).isEqualTo(1);
      assertThat(code(r)).isEqualTo("approval_unavailable");
      assertThat(r.path("result").path("content").path(0).path("text").asText())
          .contains("elicitation");
    }
    assertThat(received()).doesNotContain("no-channel");
  }
}
