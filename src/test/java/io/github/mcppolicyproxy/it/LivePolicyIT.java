package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy changes while the packaged proxy runs: reloads under load, a broken file, a call held
 * for approval while the policy changes, how long a reload takes, and the session summary (also
 * when the proxy is stopped by SIGTERM).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LivePolicyIT {
  private static final List<String> FAST_POLL = List.of("-Dmcp-policy-proxy.policy-poll-ms=250");
  private static final String REFUSAL_META = "io.github.mcp-policy-proxy/refusal";

  @TempDir
  Path dir;

  /** Version {@code k}: echo allowed, probe denied with reason "vK", everything else denied. */
  private static String version(int k) {
    return "{\"version\":\"1\",\"default\":\"deny\",\"description\":\"v" + k + "\",\"tools\":{"
        + "\"standin_echo\":{},\"probe\":{\"action\":\"deny\",\"reason\":\"v" + k + "\"}}}\n";
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Replaces the file the way config tools do: a new file renamed over the old one. */
  private static void replace(Path file, String content) throws Exception {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private ProxyProcess start(Path policy, Path log, String... standInOptions) throws Exception {
    return ProxyProcess.start(args(policy, log, standInOptions), Map.of(), FAST_POLL);
  }

  /** The proxy's arguments: the policy, the log, and a stand-in upstream with these options. */
  private static List<String> args(Path policy, Path log, String... standInOptions) {
    List<String> args = new ArrayList<>(List.of("--policy", policy.toString(), "--violation-log",
        log.toString(), "--session-id", "live-it", "--"));
    args.addAll(ProxyProcess.standIn(standInOptions));
    return args;
  }

  private static int count(String text, String needle) {
    return text.split(Pattern.quote(needle), -1).length - 1;
  }

  private static void awaitStderr(ProxyProcess p, String needle, int times) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (count(p.stderr(), needle) < times) {
      assertThat(System.nanoTime()).as("\"%s\" %d times on stderr:\n%s", needle, times, p.stderr())
          .isLessThan(end);
      Thread.sleep(20);
    }
  }

  private static List<JsonNode> lines(Path log) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      out.add(ProxyProcess.JSON.readTree(l)); // a torn line would throw
    }
    return out;
  }

  private record Judged(int caller, int id, String tool, JsonNode answer) {}

  @Test
  void eightCallersWhileTheFileIsReplacedTwentyTimesEachCallJudgedByOneWholeVersion()
      throws Exception {
    Path policy = ProxyProcess.write(dir, "policy.json", version(0));
    Path log = dir.resolve("violations.jsonl");
    List<String> shas = new ArrayList<>();
    for (int k = 0; k <= 20; k++) {
      shas.add(sha256(version(k)));
    }
    try (ProxyProcess p = start(policy, log, "--test-tools")) {
      p.initialize();
      Map<Integer, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
      AtomicBoolean reading = new AtomicBoolean(true);
      Thread dispatcher = new Thread(() -> {
        try {
          while (reading.get()) {
            byte[] line = p.poll(Duration.ofMillis(200));
            if (line != null) {
              JsonNode n = ProxyProcess.JSON.readTree(line);
              CompletableFuture<JsonNode> f = waiting.remove(n.path("id").asInt(-1));
              if (f != null && !n.has("method")) {
                f.complete(n);
              }
            }
          }
        } catch (Exception e) {
          waiting.values().forEach(f -> f.completeExceptionally(e));
        }
      }, "dispatcher");
      dispatcher.start();

      AtomicBoolean replacing = new AtomicBoolean(true);
      AtomicInteger ids = new AtomicInteger(100);
      ExecutorService callers = Executors.newFixedThreadPool(8);
      List<Future<List<Judged>>> results = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        int caller = c;
        results.add(callers.submit(() -> {
          List<Judged> mine = new ArrayList<>();
          int n = 0;
          while (replacing.get() || n < 4) {
            int id = ids.incrementAndGet();
            String tool = n++ % 2 == 0 ? "probe" : "standin_echo";
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            waiting.put(id, f);
            synchronized (p) {
              p.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":"
                  + "{\"name\":\"" + tool + "\",\"arguments\":{\"n\":" + id + "}}}");
            }
            mine.add(new Judged(caller, id, tool, f.get(30, TimeUnit.SECONDS)));
          }
          return mine;
        }));
      }
      for (int k = 1; k <= 20; k++) {
        replace(policy, version(k));
        awaitStderr(p, "policy reloaded", k);
        Thread.sleep(50); // calls under version k
      }
      replacing.set(false);
      List<Judged> all = new ArrayList<>();
      for (Future<List<Judged>> r : results) {
        all.addAll(r.get(60, TimeUnit.SECONDS));
      }
      callers.shutdown();
      reading.set(false);
      dispatcher.join(5000);

      // none lost: every call has exactly its one answer
      assertThat(all).extracting(Judged::id).doesNotHaveDuplicates()
          .hasSize(ids.get() - 100);
      Map<String, JsonNode> logged = new ConcurrentHashMap<>();
      for (JsonNode n : lines(log)) {
        if (n.has("code")) {
          assertThat(logged.put(n.path("request_id").asText(), n)).as("one record per call").isNull();
        }
      }
      Pattern v = Pattern.compile("\\bv(\\d+)\\b");
      int[] lastVersion = new int[8];
      java.util.Set<Integer> seen = new java.util.TreeSet<>();
      for (Judged j : all) {
        JsonNode result = j.answer().path("result");
        if (j.tool().equals("standin_echo")) {
          assertThat(result.path("isError").asBoolean()).as("echo allowed: %s", j).isFalse();
          continue;
        }
        assertThat(result.path("_meta").path(REFUSAL_META).path("code").asText()).isEqualTo("denied");
        Matcher m = v.matcher(result.path("content").get(0).path("text").asText());
        assertThat(m.find()).as("the answer names its version: %s", j).isTrue();
        int k = Integer.parseInt(m.group(1));
        JsonNode record = logged.get(Integer.toString(j.id()));
        assertThat(record).as("logged: %s", j).isNotNull();
        // the rule that refused it, its reason and the policy SHA in the log: one version
        assertThat(record.path("reason").asText()).endsWith(": v" + k);
        assertThat(record.path("policy_sha256").asText()).isEqualTo(shas.get(k));
        assertThat(k).as("versions only move forward for caller %d", j.caller())
            .isGreaterThanOrEqualTo(lastVersion[j.caller()]);
        lastVersion[j.caller()] = k;
        seen.add(k);
      }
      assertThat(seen).as("calls were judged under many versions").hasSizeGreaterThan(10)
          .contains(20);
      List<JsonNode> reloads = lines(log).stream()
          .filter(n -> n.path("event").asText().equals("policy_reloaded")).toList();
      assertThat(reloads).hasSize(20);
      for (int k = 1; k <= 20; k++) {
        assertThat(reloads.get(k - 1).path("old_policy_sha256").asText()).isEqualTo(shas.get(k - 1));
        assertThat(reloads.get(k - 1).path("policy_sha256").asText()).isEqualTo(shas.get(k));
      }
      System.out.println("LivePolicyIT: " + all.size() + " calls by 8 callers across 20 reloads;"
          + " refusals seen under " + seen.size() + " versions");
    }
  }

  @Test
  void aBrokenFileChangesNothingAndAGoodOneAfterItApplies() throws Exception {
    Path policy = ProxyProcess.write(dir, "policy.json", version(0));
    Path log = dir.resolve("violations.jsonl");
    try (ProxyProcess p = start(policy, log, "--test-tools")) {
      p.initialize();
      replace(policy, "{\"version\":\"1\",\n \"default\":\"deny\",\n \"tools\":{\"probe\":"
          + "{\"action\":\"explode\"}},\n \"mode\":\"sometimes\"}\n");
      awaitStderr(p, "the new policy did not load", 1);
      assertThat(p.stderr()).contains("/tools/probe/action").contains("(line 3")
          .contains("/mode").contains("(line 4");
      JsonNode still = p.callTool(1, "probe", "{}");
      assertThat(still.path("result").path("content").get(0).path("text").asText()).contains("v0");

      replace(policy, version(1));
      awaitStderr(p, "policy reloaded", 1);
      JsonNode now = p.callTool(2, "probe", "{}");
      assertThat(now.path("result").path("content").get(0).path("text").asText()).contains("v1");
      p.closeStdin();
      assertThat(p.waitFor(Duration.ofSeconds(20))).isZero();
      assertThat(p.stderr()).containsPattern("session live-it ended: 2 calls, 0 forwarded,"
          + " refused: 2 denied; approvals 0/0 granted; 1 reload; [0-9.]+ s");
    }
    List<JsonNode> records = lines(log);
    JsonNode failed = records.stream()
        .filter(n -> n.path("event").asText().equals("policy_reload_failed")).findFirst()
        .orElseThrow();
    assertThat(failed.path("policy_sha256").asText()).isEqualTo(sha256(version(0)));
    assertThat(failed.path("problems").findValuesAsText("pointer"))
        .contains("/tools/probe/action", "/mode");
    JsonNode summary = records.get(records.size() - 1);
    assertThat(summary.path("event").asText()).isEqualTo("session_summary");
    assertThat(summary.path("calls_seen").asInt()).isEqualTo(2);
    assertThat(summary.path("refused").path("denied").asInt()).isEqualTo(2);
    assertThat(summary.path("reloads").asInt()).isEqualTo(1);
    assertThat(summary.path("policy_sha256").asText()).isEqualTo(sha256(version(1)));
  }

  @Test
  void sighupReloadsTheFile() throws Exception {
    Path policy = ProxyProcess.write(dir, "policy.json", version(0));
    List<String> args = args(policy, dir.resolve("violations.jsonl"), "--test-tools");
    // the watcher off: only the signal can reload. SIGHUP set back to its default for the proxy:
    // a build started under nohup would hand it down ignored (see the test below)
    try (ProxyProcess p = ProxyProcess.command(withSighup("--default-signal=HUP",
        List.of("-Dmcp-policy-proxy.policy-poll-ms=0"), args), Map.of())) {
      p.initialize();
      // valid, with a reason that is never shown: the reload warns as the start would
      replace(policy, version(1).replace("\"standin_echo\":{}",
          "\"standin_echo\":{\"reason\":\"never shown\"}"));
      Thread.sleep(1500);
      assertThat(p.callTool(1, "probe", "{}").path("result").path("content").get(0)
          .path("text").asText()).as("no watcher: still v0").contains("v0");
      Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start();
      assertThat(kill.waitFor()).isZero();
      awaitStderr(p, "policy reloaded (SIGHUP)", 1);
      assertThat(p.callTool(2, "probe", "{}").path("result").path("content").get(0)
          .path("text").asText()).contains("v1");
      p.assertStderrContains("mcp-policy-proxy: warning: " + policy
          + ": /tools/standin_echo/reason: is never shown");
    }
  }

  /** True when this machine's env can set a signal's handling for the command it runs. */
  private static boolean envSetsSignals() {
    try {
      return new ProcessBuilder("env", "--default-signal=HUP", "--ignore-signal=HUP", "true")
          .redirectErrorStream(true).start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * {@code env OPTION java JVM-OPTIONS -jar proxy.jar ARGS}; without {@code env OPTION} where env
   * cannot set signals (then SIGHUP is as this JVM's parent left it).
   */
  private static List<String> withSighup(String option, List<String> jvm, List<String> args) {
    List<String> cmd = new ArrayList<>();
    if (envSetsSignals()) {
      cmd.addAll(List.of("env", option));
    }
    cmd.add(ProxyProcess.java());
    cmd.addAll(jvm);
    cmd.add("-jar");
    cmd.add(ProxyProcess.jar().toString());
    cmd.addAll(args);
    return cmd;
  }

  /**
   * Started with SIGHUP ignored (nohup does that), the JVM cannot catch it: the proxy says so at
   * start instead of letting kill -HUP do nothing without a word, and a hangup does not stop it.
   */
  @Test
  void startedWithSighupIgnoredItSaysSoAndAHangupDoesNotStopIt() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(envSetsSignals(),
        "needs env --ignore-signal (GNU coreutils 8.31+)");
    Path policy = ProxyProcess.write(dir, "policy.json", version(0));
    List<String> args = args(policy, dir.resolve("violations.jsonl"), "--test-tools");
    // the watcher off and the file changed: a SIGHUP that got through would reload it
    try (ProxyProcess p = ProxyProcess.command(withSighup("--ignore-signal=HUP",
        List.of("-Dmcp-policy-proxy.policy-poll-ms=0"), args), Map.of())) {
      p.initialize();
      awaitStderr(p, "SIGHUP is ignored in this process", 1);
      replace(policy, version(1));
      Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start();
      assertThat(kill.waitFor()).isZero();
      Thread.sleep(500);
      assertThat(p.callTool(1, "probe", "{}").path("result").path("content").get(0)
          .path("text").asText()).as("still running, still v0").contains("v0");
      assertThat(p.stderr()).doesNotContain("policy reloaded (SIGHUP)");
    }
  }

  @Test
  void sigtermEndsTheSessionWithItsSummaryOnStderrAndInTheLog() throws Exception {
    Path policy = ProxyProcess.write(dir, "policy.json", version(0));
    Path log = dir.resolve("violations.jsonl");
    try (ProxyProcess p = start(policy, log, "--test-tools")) {
      p.initialize();
      assertThat(p.callTool(1, "probe", "{}").path("result").path("isError").asBoolean()).isTrue();
      assertThat(p.callTool(2, "standin_echo", "{\"m\":\"x\"}").path("result").path("isError")
          .asBoolean()).isFalse();
      Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start();
      assertThat(kill.waitFor()).isZero();
      assertThat(p.waitFor(Duration.ofSeconds(30))).as("exited by the signal").isEqualTo(143);
      assertThat(p.stderr()).containsPattern("session live-it ended: 2 calls, 1 forwarded,"
          + " refused: 1 denied; approvals 0/0 granted; 0 reloads; [0-9.]+ s");
    }
    List<JsonNode> records = lines(log);
    JsonNode summary = records.get(records.size() - 1);
    assertThat(summary.path("event").asText()).isEqualTo("session_summary");
    assertThat(summary.path("session").asText()).isEqualTo("live-it");
    assertThat(summary.path("calls_seen").asInt()).isEqualTo(2);
    assertThat(summary.path("calls_forwarded").asInt()).isEqualTo(1);
    assertThat(summary.path("refused").path("denied").asInt()).isEqualTo(1);
    assertThat(summary.path("policy_sha256").asText()).isEqualTo(sha256(version(0)));
  }

  /**
   * How long a replaced file takes to judge calls, with the default watcher (file events, a 1 s
   * fingerprint poll, 100 ms of quiet): from the rename to the first answer refused under the new
   * version, calls sent one after another; five replacements, each timed.
   */
  @Test
  void aRenamedFileJudgesTheNextCallsWithinSeconds() throws Exception {
    Path policy = ProxyProcess.write(dir, "policy.json", version(0));
    // the log elsewhere: its writes would be events in the policy's directory, which the watcher
    // reads as a file still changing (see the README's "A live policy")
    Path logs = Files.createDirectories(dir.resolve("logs"));
    List<String> args = new ArrayList<>(List.of("--policy", policy.toString(), "--violation-log",
        logs.resolve("violations.jsonl").toString(), "--"));
    args.addAll(ProxyProcess.standIn("--test-tools"));
    List<Long> millis = new ArrayList<>();
    try (ProxyProcess p = ProxyProcess.start(args)) { // the default poll: what operators get
      p.initialize();
      int id = 1;
      for (int k = 1; k <= 5; k++) {
        assertThat(refusalText(p, id++)).contains("v" + (k - 1));
        long renamed = System.nanoTime();
        replace(policy, version(k));
        long deadline = renamed + TimeUnit.SECONDS.toNanos(20);
        while (!refusalText(p, id++).contains("v" + k)) {
          assertThat(System.nanoTime()).as("version %d in force within 20 s", k)
              .isLessThan(deadline);
        }
        millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - renamed));
      }
    }
    List<Long> sorted = millis.stream().sorted().toList();
    System.out.println("LivePolicyIT: reload latency (rename to the first call judged by the new"
        + " version, default watcher) " + millis + " ms; median " + sorted.get(2) + " ms");
    assertThat(sorted.get(4)).as("every reload within 5 s: %s", millis).isLessThan(5000);
  }

  /** The text of the answer to a call of probe, which every version denies with its name. */
  private static String refusalText(ProxyProcess p, int id) throws Exception {
    return p.callTool(id, "probe", "{}").path("result").path("content").get(0).path("text")
        .asText();
  }

  @Test
  void aCallHeldForApprovalIsJudgedAgainByTheVersionInForceWhenThePersonAnswers()
      throws Exception {
    Path policy = ProxyProcess.write(dir, "policy.json", """
        {"version":"1","default":"allow","tools":{"standin_echo":{
          "action":"require_approval","approval":{"timeout_seconds":60}}}}
        """);
    Path log = dir.resolve("violations.jsonl");
    try (ProxyProcess p = start(policy, log, "--test-tools")) {
      p.call(0, "initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":"
          + "{\"elicitation\":{}},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}");
      p.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      p.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
          + "\"standin_echo\",\"arguments\":{\"m\":\"held\"}}}");
      JsonNode ask = p.next();
      assertThat(ask.path("method").asText()).isEqualTo("elicitation/create");

      replace(policy, """
          {"version":"1","default":"allow","tools":{"standin_echo":{
            "action":"deny","reason":"echo is off now"}}}
          """);
      awaitStderr(p, "policy reloaded", 1);
      p.send("{\"jsonrpc\":\"2.0\",\"id\":" + ask.path("id") + ",\"result\":{\"action\":"
          + "\"accept\",\"content\":{\"approve\":true}}}");
      JsonNode answer = p.answerTo(1);
      assertThat(answer.path("result").path("_meta").path(REFUSAL_META).path("code").asText())
          .isEqualTo("denied");
      assertThat(answer.path("result").path("content").get(0).path("text").asText())
          .contains("echo is off now");
    }
  }
}
