package io.github.mcppolicyproxy.peers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.it.ProxyJar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official TypeScript SDK v2 client (2026-07-28) answering the proxy's own approval question
 * through the packaged jar, in front of a real TS SDK v2 server behind a byte-exact wiretap: accept
 * runs the calls (including the server's own multi round-trip {@code confirm}, whose
 * {@code requestState} comes back untouched), decline refuses them and the server never sees them.
 */
class InputRequiredApprovalPeersIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static NodePeers peers;

  @TempDir
  Path dir;

  @BeforeAll
  static void locate() {
    peers = NodePeers.locate();
  }

  /**
   * The summary of the session that asked: the one with the most calls. A client may start the
   * server more than once (the v2 client can end a first connection with SIGTERM), and since a
   * proxy stopped by a signal writes its summary too, the log can hold one per process.
   */
  private static JsonNode summary(Path log) throws java.io.IOException {
    JsonNode best = null;
    int sessions = 0;
    for (String l : Files.readAllLines(log)) {
      JsonNode n = JSON.readTree(l);
      if (n.path("event").asText().equals("session_summary")) {
        sessions++;
        if (best == null || n.path("calls_seen").asInt() > best.path("calls_seen").asInt()) {
          best = n;
        }
      }
    }
    if (best == null) {
      throw new AssertionError("no session_summary in " + log);
    }
    System.out.println("InputRequiredApprovalPeersIT: " + sessions + " session summaries in " + log);
    return best;
  }

  /** The log's refusal records (its events, such as the session's summary, left out). */
  private static List<String> refusals(Path log) throws java.io.IOException {
    return Files.exists(log) ? Files.readAllLines(log).stream()
        .filter(l -> !l.contains("\"event\":")).toList() : List.of();
  }

  private JsonNode run(String answer, Path wire, Path log) throws Exception {
    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{"
        + "\"echo\":{\"action\":\"require_approval\",\"limits\":[{\"counter\":\"echo\","
        + "\"window\":\"minute\",\"max\":1}]},\"confirm\":{\"action\":\"require_approval\"}}}",
        StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>(peers.script("approval-v2-client.mjs", "--answer",
        answer, "--"));
    command.addAll(List.of(ProxyJar.java(), "-jar", ProxyJar.path().toString(), "--policy",
        policy.toString(), "--violation-log", log.toString(), "--"));
    command.addAll(peers.wiretap(wire));
    command.addAll(peers.v2Server());
    PeerProcess.Result r = PeerProcess.run(command, dir, "approval-" + answer,
        Duration.ofSeconds(90));
    r.assertSucceeded();
    return JSON.readTree(r.stdoutText().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
        .orElseThrow());
  }

  @Test
  void acceptedApprovalsRunTheCallsAndTheServersOwnRoundTripPassesUntouched() throws Exception {
    Path wire = dir.resolve("wire-accept.log");
    Path log = dir.resolve("violations-accept.jsonl");

    JsonNode out = run("accept", wire, log);

    JsonNode steps = out.path("steps");
    assertThat(steps.path(0).path("result").toString()).contains("Echo: ship it");
    assertThat(steps.path(1).path("result").toString())
        .contains("confirmed=true by Zoë (state state-for-deploy)");
    assertThat(out.path("asked").findValuesAsText("message")).hasSize(3);
    assertThat(out.path("asked").path(0).path("message").asText()).contains("echo")
        .contains("ship it").contains("/tools/echo");
    String wired = Files.readString(wire, StandardCharsets.UTF_8);
    assertThat(wired).contains("ship it").contains("state-for-deploy")
        .doesNotContain("io.github.mcp-policy-proxy/approval").doesNotContain("mcp-policy-proxy.v1.");
    assertThat(refusals(log)).isEmpty();
    JsonNode summary = summary(log);
    assertThat(summary.path("approvals_asked").asInt()).as("questions asked").isPositive();
    assertThat(summary.path("approvals_granted").asInt()).as("every one approved")
        .isEqualTo(summary.path("approvals_asked").asInt());
  }

  @Test
  void declinedApprovalsAreRefusedAndNeverReachTheServer() throws Exception {
    Path wire = dir.resolve("wire-decline.log");
    Path log = dir.resolve("violations-decline.jsonl");

    JsonNode out = run("decline", wire, log);

    for (JsonNode step : out.path("steps")) {
      JsonNode refusal = step.path("result").path("_meta").path("io.github.mcp-policy-proxy/refusal");
      assertThat(refusal.path("code").asText()).as(step.toString()).isEqualTo("approval_declined");
      assertThat(step.path("result").path("isError").asBoolean()).isTrue();
    }
    String wired = Files.exists(wire) ? Files.readString(wire, StandardCharsets.UTF_8) : "";
    assertThat(wired).doesNotContain("ship it").doesNotContain("\"confirm\"");
    assertThat(refusals(log)).hasSize(2);
    assertThat(summary(log).path("approvals_asked").asInt()).as("questions asked").isEqualTo(2);
    assertThat(summary(log).path("approvals_granted").asInt()).isZero();
  }
}
