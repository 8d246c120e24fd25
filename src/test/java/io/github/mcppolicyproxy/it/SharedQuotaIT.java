package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mcppolicyproxy.limits.store.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * grant and global counters shared by real proxy processes (the packaged jar in front of the
 * stand-in upstream) through a real SQLite file and a real redis-server on loopback.
 */
class SharedQuotaIT {
  private static final String META = "io.github.mcp-policy-proxy/refusal";

  /** A day's window, so that no window edge falls inside a test run. */
  private static final String HUNDRED_A_DAY = """
      {"version":"1","default":"deny","tools":{
        "standin_echo":{"limits":[{"counter":"echo","window":"day","max":100,"scope":"grant"}]}}}""";

  @TempDir
  Path dir;

  private ProxyProcess proxy(Path policy, String state, String grant, String session,
      String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("--policy", policy.toString(),
        "--violation-log", dir.resolve("violations-" + session + ".jsonl").toString(),
        "--session-id", session, "--state", state, "--grant", grant,
        // generous: the machines that run these tests are often loaded far beyond their cores
        "--state-timeout-ms", "20000"));
    args.addAll(List.of(extra));
    args.add("--");
    // small heaps, quick start: eight proxies and their upstreams share two cores
    args.addAll(List.of(ProxyProcess.java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Xmx64m", "-cp", ProxyProcess.jar().toString(), ProxyProcess.STAND_IN, "--test-tools"));
    return ProxyProcess.start(args, Map.of(), List.of("-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-Xmx96m"));
  }

  /** The next frame, waiting as long as a loaded machine may need. */
  private static JsonNode next(ProxyProcess p) throws Exception {
    return ProxyProcess.JSON.readTree(p.nextLine(SLOW));
  }

  private static final Duration SLOW = Duration.ofMinutes(3);

  private static JsonNode call(ProxyProcess p, int id, String tool, String arguments)
      throws Exception {
    p.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":"
        + "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}");
    while (true) {
      JsonNode n = next(p);
      if (!n.has("method") && n.path("id").asInt(-1) == id) {
        return n;
      }
    }
  }

  private static void initialize(ProxyProcess p) throws Exception {
    p.send("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
        + "\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}");
    assertThat(next(p).path("id").asInt(-1)).isZero();
    p.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
  }

  private static JsonNode echo(ProxyProcess p, int id) throws Exception {
    return call(p, id, "standin_echo", "{\"n\":" + id + "}");
  }

  private static boolean allowed(JsonNode answer) {
    return answer.has("result") && !answer.path("result").path("isError").asBoolean();
  }

  private static String code(JsonNode answer) {
    return answer.path("result").path("_meta").path(META).path("code").asText(null);
  }

  /** Eight proxy processes, 50 calls in flight each, one grant of 100: exactly 100 admitted. */
  private void eightProcessesAdmitExactlyTheMaximum(String state) throws Exception {
    Path policy = ProxyProcess.write(dir, "hundred.policy.json", HUNDRED_A_DAY);
    List<ProxyProcess> proxies = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        proxies.add(proxy(policy, state, "team-a", "p" + i));
      }
      for (ProxyProcess p : proxies) {
        initialize(p);
      }
      for (ProxyProcess p : proxies) { // every call of every process is sent before any answer
        StringBuilder burst = new StringBuilder();
        for (int id = 1; id <= 50; id++) {
          burst.append("{\"jsonrpc\":\"2.0\",\"id\":").append(id).append(",\"method\":"
              + "\"tools/call\",\"params\":{\"name\":\"standin_echo\",\"arguments\":{}}}\n");
        }
        p.sendBytes(burst.toString().getBytes(StandardCharsets.UTF_8));
      }
      int admitted = 0;
      Map<String, Integer> refusals = new HashMap<>();
      for (ProxyProcess p : proxies) {
        for (int n = 0; n < 50; n++) {
          JsonNode a = next(p);
          if (allowed(a)) {
            admitted++;
          } else {
            refusals.merge(code(a) + " " + a.path("result").path("_meta").path(META)
                .path("scope").asText(), 1, Integer::sum);
          }
        }
      }
      if (admitted != 100 || refusals.size() != 1) {
        for (ProxyProcess p : proxies) {
          System.err.println("---- proxy stderr:\n" + p.stderr());
        }
        System.err.println("---- counters: " + run("counters", "--state", state, "--json", "--state-timeout-ms", "20000"));
      }
      assertThat(admitted).isEqualTo(100);
      assertThat(refusals).containsExactly(Map.entry("rate_limited grant team-a", 300));
    } finally {
      proxies.forEach(ProxyProcess::close);
    }
    // the refused calls took nothing: the counter stands at exactly its maximum
    JsonNode counters = ProxyProcess.JSON.readTree(run("counters", "--state", state, "--json", "--state-timeout-ms", "20000"));
    assertThat(counters).hasSize(1);
    assertThat(counters.get(0).path("scope").asText()).isEqualTo("grant team-a");
    assertThat(counters.get(0).path("counter").asText()).isEqualTo("echo");
    assertThat(counters.get(0).path("count").asInt()).isEqualTo(100);
    assertThat(counters.get(0).path("max").asInt()).isEqualTo(100);
  }

  @Test
  void eightProxyProcessesShareOneGrantExactlyOnTheEmbeddedStore() throws Exception {
    eightProcessesAdmitExactlyTheMaximum(dir.resolve("state.db").toString());
  }

  @Test
  void eightProxyProcessesShareOneGrantExactlyOnRedis() throws Exception {
    assumeTrue(RedisServer.installed(), "redis-server is not installed");
    try (RedisServer redis = RedisServer.start()) {
      eightProcessesAdmitExactlyTheMaximum(redis.uri());
    }
  }

  /** Runs {@code mcp-policy-proxy ARGS} to its end; its stdout. */
  private String run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProxyProcess.java(), "-jar",
        ProxyProcess.jar().toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("exit code of %s", String.join(" ", args)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void countersSurviveARestartAndAnOperatorCanResetThem() throws Exception {
    Path policy = ProxyProcess.write(dir, "three.policy.json", """
        {"version":"1","default":"deny","tools":{
          "standin_echo":{"limits":[{"counter":"echo","window":"day","max":3,"scope":"grant"}]}}}""");
    String state = dir.resolve("state.db").toString();
    try (ProxyProcess p = proxy(policy, state, "team-a", "first")) {
      initialize(p);
      assertThat(allowed(echo(p, 1))).isTrue();
      assertThat(allowed(echo(p, 2))).isTrue();
      p.closeStdin();
      p.waitFor(SLOW);
    }
    try (ProxyProcess p = proxy(policy, state, "team-a", "second")) {
      initialize(p);
      assertThat(allowed(echo(p, 1))).isTrue();
      JsonNode refused = echo(p, 2);
      assertThat(code(refused)).isEqualTo("rate_limited");
      assertThat(refused.path("result").path("content").get(0).path("text").asText())
          .contains("limited to 3 calls per day for grant team-a");

      assertThat(run("counters", "--state", state, "--state-timeout-ms", "20000")).contains("grant team-a").contains("echo")
          .containsPattern("\\s3\\s+3\\s");
      assertThat(run("counters", "reset", "echo", "--state", state, "--grant", "team-a",
          "--state-timeout-ms", "20000"))
          .contains("reset echo (grant team-a)");
      assertThat(allowed(echo(p, 3))).isTrue();
    }
  }

  @Test
  void grantsAreIndependentGlobalSpansGrantsAndSessionIsNeverShared() throws Exception {
    Path policy = ProxyProcess.write(dir, "scopes.policy.json", """
        {"version":"1","default":"deny","tools":{
          "standin_echo":{"limits":[{"counter":"echo","window":"day","max":2,"scope":"grant"}]},
          "suggest_aws_commands":{"limits":[{"counter":"suggest","window":"day","max":3,"scope":"global"}]},
          "standin_notify":{"limits":[{"counter":"notify","window":"day","max":1,"scope":"session"}]}}}""");
    String state = dir.resolve("state.db").toString();
    try (ProxyProcess a = proxy(policy, state, "team-a", "a");
        ProxyProcess b = proxy(policy, state, "team-b", "b");
        ProxyProcess a2 = proxy(policy, state, "team-a", "a2")) {
      for (ProxyProcess p : List.of(a, b, a2)) {
        initialize(p);
      }
      int id = 10;
      // grant: team-a's two are shared by its two proxies; team-b has two of its own
      assertThat(allowed(echo(a, id++))).isTrue();
      assertThat(allowed(echo(a2, id++))).isTrue();
      assertThat(code(echo(a, id++))).isEqualTo("rate_limited");
      assertThat(allowed(echo(b, id++))).isTrue();
      assertThat(allowed(echo(b, id++))).isTrue();
      // global: three across every grant
      String q = "{\"query\":\"list buckets\"}";
      assertThat(allowed(call(a, id++, "suggest_aws_commands", q))).isTrue();
      assertThat(allowed(call(b, id++, "suggest_aws_commands", q))).isTrue();
      assertThat(allowed(call(a2, id++, "suggest_aws_commands", q))).isTrue();
      JsonNode global = call(b, id++, "suggest_aws_commands", q);
      assertThat(code(global)).isEqualTo("rate_limited");
      assertThat(global.path("result").path("_meta").path(META).path("scope").asText())
          .isEqualTo("global");
      // session: one per proxy session, whatever the store holds
      for (ProxyProcess p : List.of(a, b, a2)) {
        assertThat(allowed(call(p, id++, "standin_notify", "{\"count\":0}"))).isTrue();
        assertThat(code(call(p, id++, "standin_notify", "{\"count\":0}")))
            .isEqualTo("rate_limited");
      }
    }
  }

  @Test
  void permitsOfCallsTheUpstreamFailedAreGivenBackUnlessNoRefund() throws Exception {
    Path policy = ProxyProcess.write(dir, "refund.policy.json", """
        {"version":"1","default":"deny","tools":{
          "standin_rpc_error":{"limits":[{"counter":"c","window":"day","max":1,"scope":"grant"}]},
          "standin_crash":{"limits":[{"counter":"c","window":"day","max":1,"scope":"grant"}]},
          "standin_echo":{"limits":[{"counter":"c","window":"day","max":1,"scope":"grant"}]}}}""");
    String state = dir.resolve("state.db").toString();
    try (ProxyProcess p = proxy(policy, state, "refund", "r1")) {
      initialize(p);
      JsonNode failed = call(p, 1, "standin_rpc_error", "{\"code\":-32603}");
      assertThat(failed.has("error")).isTrue();
      assertThat(allowed(echo(p, 2))).as("the failed call's permit came back").isTrue();
      assertThat(code(echo(p, 3))).isEqualTo("rate_limited");
    }
    // the upstream dies before answering: its permit comes back too (seen by the next proxy)
    try (ProxyProcess p = proxy(policy, state, "crash", "r2")) {
      initialize(p);
      JsonNode died = call(p, 1, "standin_crash", "{\"exit_code\":3}");
      assertThat(died.path("error").path("message").asText()).contains("exited with code 3");
      p.waitFor(SLOW);
    }
    try (ProxyProcess p = proxy(policy, state, "crash", "r3")) {
      initialize(p);
      assertThat(allowed(echo(p, 1))).as("the crashed call's permit came back").isTrue();
    }
    try (ProxyProcess p = proxy(policy, state, "kept", "r4", "--no-refund")) {
      initialize(p);
      assertThat(call(p, 1, "standin_rpc_error", "{}").has("error")).isTrue();
      assertThat(code(echo(p, 2))).as("--no-refund keeps it").isEqualTo("rate_limited");
    }
  }

  @Test
  void redisOutageRefusesSharedCallsWhenClosedAndRecoversWithoutARestart() throws Exception {
    assumeTrue(RedisServer.installed(), "redis-server is not installed");
    Path policy = ProxyProcess.write(dir, "outage.policy.json", HUNDRED_A_DAY.replace(
        "}}}", "},\"suggest_aws_commands\":{}}}"));
    try (RedisServer redis = RedisServer.start();
        ProxyProcess closed = proxy(policy, redis.uri(), "team-a", "closed");
        ProxyProcess open = proxy(policy, redis.uri(), "team-a", "open",
            "--state-fail-mode", "open")) {
      initialize(closed);
      initialize(open);
      assertThat(allowed(echo(closed, 1))).isTrue();
      assertThat(allowed(echo(open, 1))).isTrue();

      redis.stop();
      JsonNode refused = echo(closed, 2);
      assertThat(code(refused)).isEqualTo("quota_unavailable");
      assertThat(refused.path("result").path("_meta").path(META).path("retry_after_seconds")
          .asInt()).isPositive();
      assertThat(allowed(call(closed, 3, "suggest_aws_commands", "{\"query\":\"x\"}")))
          .as("a call without shared limits goes on").isTrue();
      assertThat(allowed(echo(open, 2))).as("open: counted in memory").isTrue();
      // stderr is read by a thread of its own: wait for the lines rather than race them
      org.awaitility.Awaitility.await().atMost(SLOW).until(() ->
          open.stderr().contains("counted in this process's memory only")
              && closed.stderr().contains("quota_unavailable"));
      assertThat(Files.readString(dir.resolve("violations-closed.jsonl")))
          .contains("\"code\":\"quota_unavailable\"");
      assertThat(Files.readString(dir.resolve("violations-open.jsonl")))
          .as("open mode says in the log too that it counts in memory")
          .contains("\"event\":\"counter_store\"").contains("memory only");

      redis.startAgain(); // empty: its counts went with it (no persistence in this test)
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      int id = 10;
      boolean back = false;
      while (!back && System.nanoTime() < end) {
        back = allowed(echo(closed, id++));
        if (!back) {
          Thread.sleep(200);
        }
      }
      assertThat(back).as("the proxy uses Redis again without a restart; stderr:\n%s",
          closed.stderr()).isTrue();
      org.awaitility.Awaitility.await().atMost(SLOW)
          .until(() -> closed.stderr().contains("answers again"));
    }
  }
}
