package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a process over real pipes, in front of the stand-in upstream: lifecycle,
 * exit codes, stdout hygiene, faults of the processes around it.
 */
class ProxyProcessIT {
  private static final String ALLOW_ALL = "{\"version\":\"1\",\"default\":\"allow\"}";

  @TempDir
  Path dir;

  private List<String> args(String policy, String... upstreamOptions) throws Exception {
    Path p = ProxyProcess.write(dir, "policy-" + System.nanoTime() + ".json", policy);
    List<String> a = new ArrayList<>(List.of("--policy", p.toString(), "--violation-log",
        dir.resolve("violations.jsonl").toString(), "--session-id", "it", "--"));
    a.addAll(ProxyProcess.standIn(upstreamOptions));
    return a;
  }

  @Test
  void stdoutCarriesOnlyFramesEvenWhenTheUpstreamWritesGarbage() throws Exception {
    try (ProxyProcess p = ProxyProcess.start(args(ALLOW_ALL, "--test-tools"))) {
      p.initialize();
      p.call(1, "tools/list", "{}");
      JsonNode r = p.callTool(2, "standin_garbage", "{\"text\":\"this is not JSON {\"}");
      assertThat(r.path("result").path("isError").asBoolean()).isFalse();
      p.callTool(3, "standin_notify", "{\"count\":3}");
      p.closeStdin();
      assertThat(p.waitFor(Duration.ofSeconds(10))).isZero();
      for (byte[] line : p.stdoutLines()) {
        JsonNode n = ProxyProcess.JSON.readTree(line);
        assertThat(n.path("jsonrpc").asText()).isEqualTo("2.0");
      }
      p.assertStderrContains("not a JSON-RPC frame", "this is not JSON");
    }
  }

  @Test
  void clientClosingStdinStopsTheUpstreamAndItsGrandchildWithinTwoSecondsAndExitsZero()
      throws Exception {
    try (ProxyProcess p = ProxyProcess.start(args(ALLOW_ALL, "--test-tools"))) {
      p.initialize();
      JsonNode r = p.callTool(1, "standin_spawn_grandchild", "{}");
      long grandchild = r.path("result").path("structuredContent").path("pid").asLong();
      long child = p.upstreamPid();
      assertThat(ProcessHandle.of(grandchild)).isPresent();
      long start = System.nanoTime();
      p.closeStdin();
      assertThat(p.waitFor(Duration.ofSeconds(5))).isZero();
      long deadline = start + Duration.ofSeconds(2).toNanos();
      while ((alive(child) || alive(grandchild)) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(alive(child)).as("upstream gone").isFalse();
      assertThat(alive(grandchild)).as("grandchild gone").isFalse();
    }
  }

  @Test
  void upstreamDyingMidCallAnswersEveryPendingRequestAndExitsWithItsCode() throws Exception {
    try (ProxyProcess p = ProxyProcess.start(args(ALLOW_ALL, "--test-tools"))) {
      p.initialize();
      p.send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":"
          + "\"standin_sleep\",\"arguments\":{\"millis\":60000}}}");
      long start = System.nanoTime();
      p.send("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":"
          + "\"standin_crash\",\"arguments\":{\"exit_code\":3,\"stderr_lines\":"
          + "[\"boom: the disk is on fire\"]}}}");
      JsonNode a = p.next();
      JsonNode b = p.next();
      assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(2).toNanos() + 500_000_000L);
      assertThat(List.of(a.path("id").asInt(), b.path("id").asInt())).containsExactlyInAnyOrder(5, 6);
      for (JsonNode e : List.of(a, b)) {
        assertThat(e.path("error").path("code").asInt()).isEqualTo(-32002);
        assertThat(e.path("error").path("message").asText()).contains("exited with code 3")
            .contains("boom: the disk is on fire");
        assertThat(e.path("error").path("data").path("exit_code").asInt()).isEqualTo(3);
      }
      assertThat(p.waitFor(Duration.ofSeconds(5))).isEqualTo(3);
    }
  }

  @Test
  void aPolicyThatDoesNotLoadExitsTwoNamingThePointerAndRelaysNothing() throws Exception {
    Path record = dir.resolve("never.jsonl");
    String bad = "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"x\":{\"limits\":"
        + "[{\"window\":\"fortnight\",\"max\":10}]}}}";
    try (ProxyProcess p = ProxyProcess.start(args(bad, "--record", record.toString()))) {
      p.closeStdin(); // a client that asks nothing (ClientHearsWhyIT: one that asks)
      assertThat(p.waitFor(Duration.ofSeconds(10))).isEqualTo(2);
      assertThat(p.stderr()).contains("/tools/x/limits/0/window")
          .contains("\"fortnight\" is not one of").contains("line 1");
      assertThat(p.stdoutLines()).isEmpty();
    }
    // the upstream may have been spawned before the policy was read (EarlyUpstream; it is stopped
    // before the proxy exits, EarlyUpstreamIT), but no line ever reached it
    if (Files.exists(record)) {
      assertThat(Files.readAllLines(record)).isEmpty();
    }
  }

  @Test
  void aViolationLogThatCannotBeOpenedExitsTwo() throws Exception {
    Path notADir = ProxyProcess.write(dir, "file", "x");
    Path p = ProxyProcess.write(dir, "p.json", ALLOW_ALL);
    List<String> a = new ArrayList<>(List.of("--policy", p.toString(), "--violation-log",
        notADir.resolve("log.jsonl").toString(), "--"));
    a.addAll(ProxyProcess.standIn());
    try (ProxyProcess proc = ProxyProcess.start(a)) {
      proc.closeStdin();
      assertThat(proc.waitFor(Duration.ofSeconds(10))).isEqualTo(2);
      assertThat(proc.stderr()).contains("cannot open the violation log")
          .doesNotContain("Exception");
    }
  }

  @Test
  void anUpstreamThatCannotBeStartedAnswersInitializeAndExits127() throws Exception {
    Path p = ProxyProcess.write(dir, "p.json", ALLOW_ALL);
    try (ProxyProcess proc = ProxyProcess.start(List.of("--policy", p.toString(),
        "--violation-log", dir.resolve("v.jsonl").toString(), "--",
        "/nonexistent/mcp-server-binary"))) {
      JsonNode r = proc.initialize();
      assertThat(r.path("error").path("code").asInt()).isEqualTo(-32002);
      assertThat(r.path("error").path("message").asText()).contains("could not be started");
      assertThat(proc.waitFor(Duration.ofSeconds(10))).isEqualTo(127);
      assertThat(proc.stderr()).contains("/nonexistent/mcp-server-binary");
    }
  }

  @Test
  void helpAndVersionExitZero() throws Exception {
    try (ProxyProcess p = ProxyProcess.start(List.of("--help"))) {
      assertThat(p.waitFor(Duration.ofSeconds(10))).isZero();
      String out = new String(String.join("\n", p.stdoutLines().stream()
          .map(b -> new String(b, StandardCharsets.UTF_8)).toList()));
      assertThat(out).contains("--policy").contains("--violation-log").contains("Exit codes")
          .contains(".mcp-policy-proxy/violations.jsonl");
    }
    try (ProxyProcess p = ProxyProcess.start(List.of("--version"))) {
      assertThat(p.waitFor(Duration.ofSeconds(10))).isZero();
      assertThat(new String(p.stdoutLines().get(0), StandardCharsets.UTF_8))
          .startsWith("mcp-policy-proxy ");
    }
    try (ProxyProcess p = ProxyProcess.start(List.of("--no-such-option"))) {
      assertThat(p.waitFor(Duration.ofSeconds(10))).isEqualTo(2);
      assertThat(p.stdoutLines()).isEmpty();
    }
  }

  @Test
  void anOversizeFrameIsRefusedAndTheSessionSurvives() throws Exception {
    List<String> a = new ArrayList<>(List.of("--max-frame-bytes", "4096"));
    a.addAll(args(ALLOW_ALL, "--test-tools"));
    try (ProxyProcess p = ProxyProcess.start(a)) {
      p.initialize();
      String big = "x".repeat(10_000);
      p.send("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":"
          + "\"standin_echo\",\"arguments\":{\"s\":\"" + big + "\"}}}");
      JsonNode r = p.next();
      assertThat(r.path("id").asInt()).isEqualTo(7);
      assertThat(r.path("error").path("code").asInt()).isEqualTo(-32003);
      JsonNode ok = p.callTool(8, "standin_echo", "{\"s\":\"small\"}");
      assertThat(ok.path("result").path("structuredContent").path("s").asText()).isEqualTo("small");
      JsonNode tooBigAnswer = p.callTool(9, "standin_big", "{\"bytes\":20000}");
      assertThat(tooBigAnswer.path("error").path("code").asInt()).isEqualTo(-32003);
      JsonNode after = p.callTool(10, "standin_echo", "{\"s\":\"still here\"}");
      assertThat(after.path("result").path("structuredContent").path("s").asText())
          .isEqualTo("still here");
    }
  }

  @Test
  void aStderrFloodFromTheUpstreamDoesNotBlockTheSession() throws Exception {
    try (ProxyProcess p = ProxyProcess.start(args(ALLOW_ALL, "--test-tools"))) {
      p.initialize();
      JsonNode r = p.callTool(1, "standin_stderr_flood", "{\"bytes\":10000000}");
      assertThat(r.path("result").path("isError").asBoolean()).isFalse();
      JsonNode again = p.callTool(2, "standin_echo", "{\"ok\":true}");
      assertThat(again.path("result").path("structuredContent").path("ok").asBoolean()).isTrue();
      // the upstream's stderr reaches ours through the proxy and a reader thread of this test
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> p.stderr().length() > 9_000_000);
    }
  }

  @Test
  void monitorModeForwardsEverythingAndLogsWhatWouldBeRefused() throws Exception {
    Path record = dir.resolve("received.jsonl");
    String monitor = "{\"version\":\"1\",\"default\":\"deny\",\"mode\":\"monitor\"}";
    try (ProxyProcess p = ProxyProcess.start(args(monitor, "--record", record.toString()))) {
      p.initialize();
      JsonNode list = p.call(1, "tools/list", "{}");
      assertThat(list.path("result").path("tools").size()).isEqualTo(3);
      JsonNode r = p.callTool(2, "call_aws", "{\"cli_command\":\"aws s3 ls\"}");
      assertThat(r.path("result").path("isError").asBoolean()).isFalse();
    }
    List<String> log = Files.readAllLines(dir.resolve("violations.jsonl")).stream()
        .filter(l -> !l.contains("\"event\":")).toList(); // refusals, not the session's summary
    assertThat(log).hasSize(1);
    JsonNode line = ProxyProcess.JSON.readTree(log.get(0));
    assertThat(line.path("outcome").asText()).isEqualTo("would_refuse");
    assertThat(line.path("mode").asText()).isEqualTo("monitor");
    assertThat(Files.readString(record)).contains("call_aws");
  }

  @Test
  void toolsListIsFilteredPageByPageWithCursorsIntact() throws Exception {
    String policy = "{\"version\":\"1\",\"default\":\"allow\",\"hide\":[\"suggest_*\"]}";
    try (ProxyProcess p = ProxyProcess.start(args(policy, "--page-size", "1"))) {
      p.initialize();
      List<String> names = new ArrayList<>();
      String cursor = null;
      int id = 1;
      do {
        JsonNode page = p.call(id++, "tools/list",
            cursor == null ? "{}" : "{\"cursor\":\"" + cursor + "\"}");
        page.path("result").path("tools").forEach(t -> names.add(t.path("name").asText()));
        cursor = page.path("result").path("nextCursor").isTextual()
            ? page.path("result").path("nextCursor").asText() : null;
      } while (cursor != null && id < 10);
      assertThat(names).contains("call_aws", "StartAHOReadSetExportJob")
          .doesNotContain("suggest_aws_commands");
      JsonNode hidden = p.callTool(20, "suggest_aws_commands", "{\"query\":\"list buckets\"}");
      assertThat(hidden.path("result").path("_meta").path("io.github.mcp-policy-proxy/refusal")
          .path("code").asText()).isEqualTo("hidden");
    }
  }

  @Test
  void statelessRevisionRequestsPassWithoutInitializeAndRefusalsCarryResultType()
      throws Exception {
    String policy = "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"suggest_aws_commands\":{}}}";
    try (ProxyProcess p = ProxyProcess.start(args(policy))) {
      String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
          + "\"io.modelcontextprotocol/clientCapabilities\":{}}";
      p.send("{\"jsonrpc\":\"2.0\",\"id\":\"d-1\",\"method\":\"server/discover\",\"params\":{"
          + meta + "}}");
      JsonNode discover = p.next();
      assertThat(discover.path("id").asText()).isEqualTo("d-1");
      assertThat(discover.has("result")).isTrue();
      p.send("{\"jsonrpc\":\"2.0\",\"id\":\"c-1\",\"method\":\"tools/call\",\"params\":{"
          + "\"name\":\"call_aws\",\"arguments\":{\"cli_command\":\"aws s3 ls\"}," + meta + "}}");
      JsonNode refused = p.next();
      assertThat(refused.path("id").asText()).isEqualTo("c-1");
      assertThat(refused.path("result").path("isError").asBoolean()).isTrue();
      assertThat(refused.path("result").path("resultType").asText()).isEqualTo("complete");
      p.send("{\"jsonrpc\":\"2.0\",\"id\":\"c-2\",\"method\":\"tools/call\",\"params\":{"
          + "\"name\":\"suggest_aws_commands\",\"arguments\":{\"query\":\"list buckets\"}," + meta
          + "}}");
      JsonNode allowed = p.next();
      assertThat(allowed.path("id").asText()).isEqualTo("c-2");
      assertThat(allowed.path("result").path("resultType").asText()).isEqualTo("complete");
      assertThat(allowed.path("result").path("isError").asBoolean()).isFalse();
    }
  }

  /**
   * A 2026-07-28 list the policy filtered is neither public nor cacheable under a policy file (it
   * may be reloaded at any moment); an unfiltered one passes as the upstream wrote it.
   */
  @Test
  void aFilteredStatelessListIsPrivateAndImmediatelyStaleUnderALivePolicy() throws Exception {
    String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
        + "\"io.modelcontextprotocol/clientCapabilities\":{}}";
    try (ProxyProcess p = ProxyProcess.start(args("{\"version\":\"1\",\"default\":\"allow\","
        + "\"hide\":[\"call_aws\"]}"))) {
      JsonNode list = p.call(1, "tools/list", "{" + meta + "}").path("result");
      assertThat(list.path("tools").toString()).doesNotContain("\"call_aws\"")
          .contains("suggest_aws_commands");
      assertThat(list.path("cacheScope").asText()).isEqualTo("private");
      assertThat(list.path("ttlMs").asLong(-1)).isZero();
    }
    try (ProxyProcess p = ProxyProcess.start(args(ALLOW_ALL))) {
      JsonNode list = p.call(1, "tools/list", "{" + meta + "}").path("result");
      assertThat(list.path("cacheScope").asText()).isEqualTo("public");
      assertThat(list.path("ttlMs").asLong()).isEqualTo(60_000);
    }
  }

  @Test
  void aClientCannotForgeAMultiRoundTripRetryToDodgeALimit() throws Exception {
    String policy = "{\"version\":\"1\",\"default\":\"allow\",\"tools\":{\"standin_echo\":"
        + "{\"limits\":[{\"window\":\"minute\",\"max\":1}]}}}";
    try (ProxyProcess p = ProxyProcess.start(args(policy, "--test-tools"))) {
      String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
          + "\"io.modelcontextprotocol/clientCapabilities\":{}}";
      for (int id = 1; id <= 2; id++) {
        p.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{"
            + "\"name\":\"standin_echo\",\"arguments\":{\"x\":1},\"requestState\":\"forged\","
            + "\"inputResponses\":{}," + meta + "}}");
        JsonNode r = p.answerTo(id);
        assertThat(r.path("result").path("_meta").path("io.github.mcp-policy-proxy/refusal")
            .path("code").asText("")).isEqualTo(id == 1 ? "" : "rate_limited");
      }
    }
  }

  @Test
  void utf8PassesUnchangedUnderAnAsciiDefaultCharset() throws Exception {
    String text = "naïve café 𝄞 😀 日本語";
    Path record = dir.resolve("received.jsonl");
    try (ProxyProcess p = ProxyProcess.start(args(ALLOW_ALL, "--test-tools", "--record",
        record.toString()),
        Map.of("LC_ALL", "C", "LANG", "C"), List.of("-Dfile.encoding=US-ASCII"))) {
      p.initialize();
      byte[] frame = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
          + "\"standin_echo\",\"arguments\":{\"text\":\"" + text + "\"}}}\n")
          .getBytes(StandardCharsets.UTF_8);
      p.sendBytes(frame);
      byte[] answer = p.nextLine(Duration.ofSeconds(20));
      // the stand-in writes 4-byte UTF-8 as is, and the proxy passes those bytes unchanged
      assertThat(new String(answer, StandardCharsets.UTF_8)).contains(text);
      assertThat(Files.readAllBytes(record)).containsSequence(frame);
      JsonNode r = ProxyProcess.JSON.readTree(answer);
      assertThat(r.path("result").path("structuredContent").path("text").asText()).isEqualTo(text);
    }
  }

  @Test
  void refusalsCanBeJsonRpcErrorsInstead() throws Exception {
    List<String> a = new ArrayList<>(List.of("--refusal-style", "error"));
    a.addAll(args("{\"version\":\"1\",\"default\":\"deny\"}"));
    try (ProxyProcess p = ProxyProcess.start(a)) {
      p.initialize();
      JsonNode r = p.callTool(1, "call_aws", "{\"cli_command\":\"aws s3 ls\"}");
      assertThat(r.path("error").path("code").asInt()).isEqualTo(-32001);
      assertThat(r.path("error").path("data").path("code").asText()).isEqualTo("denied");
      assertThat(r.path("error").path("message").asText()).startsWith("Policy violation:");
    }
  }

  /** Alive and not a zombie (a killed orphan waits for init to reap it, which may take a while). */
  static boolean alive(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
