package io.github.mcppolicyproxy.peers;

import static io.github.mcppolicyproxy.peers.NodePeers.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.peers.Transcript.Direction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official TypeScript SDK 1.x client ({@code Client} + {@code StdioClientTransport}, scenario
 * {@code enforcement} of {@code ts-client.mjs}) calls server-everything's tools through the real
 * proxy while a policy refuses some of them. What the client saw, what the server saw (a wiretap
 * between proxy and server) and the violation log are checked: refusals are ordinary tool results
 * the client can show, allowed calls and their progress notifications arrive untouched, and no
 * refused call reaches the server.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class EnforcementIT {

  private static final String POLICY = """
      {"version": "1", "default": "allow",
       "tools": {
         "get-sum": {"action": "deny", "reason": "no sums today"},
         "echo": {"limits": [{"counter": "echo_rate", "window": "minute", "max": 3, "scope": "session"}]}
       },
       "hide": ["trigger-sampling-request"]}
      """;
  private static final String META_KEY = "io.github.mcp-policy-proxy/refusal";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path work;

  private static JsonNode steps;
  private static Transcript serverSide;

  @BeforeAll
  static void runTheClientThroughTheEnforcingProxy() throws IOException {
    NodePeers peers = NodePeers.locate();
    ProxyUnderTest proxy = ProxyUnderTest.enforcing(work, POLICY);
    Path serverSideLog = work.resolve("server-side.jsonl");
    PeerProcess.Result run = PeerProcess.run(
        join(peers.script("ts-client.mjs", "--scenario", "enforcement", "--"), proxy.prefix(),
            peers.wiretap(serverSideLog), peers.serverEverything()),
        work, "enforcement", Duration.ofSeconds(60)).assertSucceeded();
    steps = JSON.readTree(run.stdoutText()).path("steps");
    serverSide = Transcript.read(serverSideLog);
  }

  private static JsonNode step(String name) {
    for (JsonNode s : steps) {
      if (s.path("name").asText().equals(name)) {
        return s.path("result");
      }
    }
    throw new AssertionError("the client reported no step \"" + name + "\": " + steps);
  }

  private static void assertRefused(JsonNode result, String code, String textStart) {
    assertThat(result.has("thrown")).as("the SDK resolved the call instead of throwing: %s", result).isFalse();
    assertThat(result.path("isError").asBoolean()).as("isError of %s", result).isTrue();
    assertThat(result.path("content").get(0).path("type").asText()).isEqualTo("text");
    assertThat(result.path("content").get(0).path("text").asText()).startsWith(textStart);
    assertThat(result.path("_meta").path(META_KEY).path("code").asText()).isEqualTo(code);
  }

  @Test
  void hiddenAndDeniedToolsAreMissingFromToolsListWhileAllowedOnesRemain() {
    List<String> names = new ArrayList<>();
    step("tools/list").forEach(n -> names.add(n.asText()));

    assertThat(names).contains("echo", "get-tiny-image", "trigger-long-running-operation", "trigger-elicitation-request")
        .doesNotContain("trigger-sampling-request", "get-sum");
  }

  @Test
  void deniedToolGivesTheClientAnIsErrorResultWithTheReasonAndCode() {
    JsonNode result = step("get-sum (denied)");

    assertRefused(result, "denied", "Policy violation: get-sum is denied: no sums today");
    assertThat(result.path("_meta").path(META_KEY).path("rule").asText()).isEqualTo("/tools/get-sum");
  }

  @Test
  void hiddenToolCalledAnywayIsRefusedAsHidden() {
    assertRefused(step("trigger-sampling-request (hidden)"), "hidden", "Policy violation: trigger-sampling-request is hidden");
  }

  @Test
  void allowedToolsAnswerNormally() {
    JsonNode image = step("get-tiny-image (allowed)");
    assertThat(image.path("isError").asBoolean(false)).isFalse();
    assertThat(image.path("content")).anyMatch(c -> c.path("type").asText().equals("image")
        && c.path("mimeType").asText().equals("image/png") && c.path("data").asText().startsWith("iVBORw0KGgo"));

    for (int i = 1; i <= 3; i++) {
      JsonNode echo = step("echo #" + i);
      assertThat(echo.has("isError")).as("echo #%d: %s", i, echo).isFalse();
      assertThat(echo.path("content").get(0).path("text").asText())
          .isEqualTo("Echo: echo " + i + " héllo wörld — 日本語 — 😀 𝄞 — \u2028 end");
    }
  }

  @Test
  void fourthEchoWithinAMinuteIsRateLimitedWithARetryTime() {
    JsonNode result = step("echo #4");

    assertRefused(result, "rate_limited", "Policy violation: echo is limited to 3 calls per minute in this session; retry in ");
    assertThat(result.path("content").get(0).path("text").asText()).matches(".*; retry in \\d+ s .*");
    assertThat(result.path("_meta").path(META_KEY).path("retry_after_seconds").asLong()).isBetween(1L, 60L);
  }

  @Test
  void progressOfAnAllowedLongRunningCallReachesTheClient() {
    JsonNode step = step("trigger-long-running-operation (allowed, with progress)");

    assertThat(step.path("progress").findValuesAsText("progress")).containsExactly("1", "2", "3");
    assertThat(step.path("result").path("content").get(0).path("text").asText())
        .startsWith("Long running operation completed.");
  }

  @Test
  void violationLogHoldsOneLinePerRefusal() throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(ProxyUnderTest.violationLog(work), StandardCharsets.UTF_8)) {
      JsonNode n = JSON.readTree(line);
      if (!n.has("event")) { // refusals, not the session's summary
        lines.add(n);
      }
    }

    assertThat(lines).extracting(l -> l.path("tool").asText() + " " + l.path("code").asText() + " " + l.path("outcome").asText())
        .containsExactly("get-sum denied refused", "echo rate_limited refused", "trigger-sampling-request hidden refused");
    assertThat(lines.get(1).path("retry_after_seconds").asLong()).isBetween(1L, 60L);
  }

  @Test
  void refusedCallsNeverReachTheServer() {
    List<String> called = new ArrayList<>();
    for (String frame : serverSide.frames(Direction.C2S)) {
      if (frame.contains("\"method\":\"tools/call\"")) {
        called.add(frame.replaceAll(".*\"name\":\"([^\"]+)\".*", "$1"));
      }
    }

    assertThat(called).containsExactly("get-tiny-image", "echo", "echo", "echo", "trigger-long-running-operation");
  }
}
