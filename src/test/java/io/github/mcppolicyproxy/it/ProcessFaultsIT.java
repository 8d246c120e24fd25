package io.github.mcppolicyproxy.it;

import static io.github.mcppolicyproxy.it.ProxyProcessIT.alive;
import static io.github.mcppolicyproxy.it.RecordingSession.DENY_BUT_ECHO;
import static io.github.mcppolicyproxy.it.RecordingSession.toolsCall;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the processes around the proxy, against the packaged jar: signals to the proxy, and an
 * upstream that stops reading its input. (Client EOF, upstream death, start failures and a stderr
 * flood are in {@link ProxyProcessIT}.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessFaultsIT {
  private static final String POLICY = "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{"
      + "\"standin_echo\":{},\"standin_spawn_grandchild\":{},\"standin_stop_reading\":{},"
      + "\"standin_sleep\":{}}}";

  @TempDir
  Path dir;

  @Test
  void sigtermStopsTheUpstreamAndItsGrandchildWithinTwoSecondsAndTheLogIsFlushed()
      throws Exception {
    signalStopsTheTree(p -> p.process().destroy(), 143);
  }

  @Test
  void sigintStopsTheUpstreamAndItsGrandchildWithinTwoSecondsAndTheLogIsFlushed()
      throws Exception {
    signalStopsTheTree(p -> kill("-INT", p.process().pid()), 130);
  }

  private interface Signal {
    void send(ProxyProcess p) throws Exception;
  }

  private void signalStopsTheTree(Signal signal, int expectedExit) throws Exception {
    try (RecordingSession s = RecordingSession.start(dir, POLICY)) {
      ProxyProcess p = s.proxy();
      p.initialize();
      JsonNode r = p.callTool(1, "standin_spawn_grandchild", "{}");
      long grandchild = r.path("result").path("structuredContent").path("pid").asLong();
      long child = p.upstreamPid();
      assertThat(alive(grandchild)).isTrue();
      JsonNode refused = p.callTool(2, "call_aws", "{\"cli_command\":\"aws s3 ls\"}");
      assertThat(refused.path("result").path("isError").asBoolean()).isTrue();
      long start = System.nanoTime();
      signal.send(p);
      long deadline = start + Duration.ofSeconds(2).toNanos();
      while ((alive(child) || alive(grandchild)) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      long stoppedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(alive(child)).as("upstream gone within 2 s").isFalse();
      assertThat(alive(grandchild)).as("grandchild gone within 2 s").isFalse();
      assertThat(p.waitFor(Duration.ofSeconds(5))).isEqualTo(expectedExit);
      System.out.println("ProcessFaultsIT: tree stopped " + stoppedMillis + " ms after the signal");
      assertNoZombie(child);
      List<JsonNode> log = s.violationLines();
      assertThat(log).hasSize(2);
      assertThat(log.get(0).path("request_id").asInt()).isEqualTo(2);
      assertThat(log.get(1).path("event").asText()).as("the summary, on a signal too")
          .isEqualTo("session_summary");
    }
  }

  /** The direct child was reaped: no zombie of it remains (its pid is gone or reused). */
  private static void assertNoZombie(long pid) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() < end) {
      Path stat = Path.of("/proc/" + pid + "/stat");
      if (!Files.exists(stat)) {
        return;
      }
      String s;
      try {
        s = Files.readString(stat);
      } catch (java.io.IOException e) {
        return;
      }
      if (s.charAt(s.lastIndexOf(')') + 2) != 'Z') {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("pid " + pid + " is still a zombie");
  }

  private static void kill(String signal, long pid) throws Exception {
    Process k = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
    assertThat(k.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(k.exitValue()).isZero();
  }

  @Test
  void anUpstreamThatStopsReadingDoesNotStopRefusalsOrTheOtherDirectionAndLosesNothing()
      throws Exception {
    try (RecordingSession s = RecordingSession.start(dir, POLICY)) {
      ProxyProcess p = s.proxy();
      p.initialize();
      // a slow call whose progress notifications flow server -> client throughout
      p.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
          + "\"standin_sleep\",\"arguments\":{\"millis\":4000},\"_meta\":{\"progressToken\":\"t\"}}}");
      JsonNode stop = p.callTool(2, "standin_stop_reading", "{\"millis\":3000}");
      assertThat(stop.path("result").path("isError").asBoolean()).isFalse();
      long stoppedAt = System.nanoTime();
      // far more than a pipe holds: these wait in the proxy's queue
      String pad = "p".repeat(60_000);
      for (int id = 100; id < 140; id++) {
        p.send(toolsCall(Integer.toString(id), "standin_echo", "{\"n\":" + id + ",\"pad\":\""
            + pad + "\"}"));
      }
      // refusals are still answered at once
      long t0 = System.nanoTime();
      JsonNode refused = s.exchange("200", toolsCall("200", "call_aws",
          "{\"cli_command\":\"aws s3 ls\"}"));
      long refusalMillis = (System.nanoTime() - t0) / 1_000_000;
      assertThat(refused.path("result").path("isError").asBoolean()).isTrue();
      assertThat(System.nanoTime() - stoppedAt)
          .as("the refusal came while the upstream was still not reading")
          .isLessThan(TimeUnit.MILLISECONDS.toNanos(3000));
      assertThat(refusalMillis).isLessThan(1500);
      // the other direction kept flowing: progress notifications arrived meanwhile
      JsonNode progress = s.next(n -> "notifications/progress".equals(n.path("method").asText()));
      assertThat(progress.path("params").path("progressToken").asText()).isEqualTo("t");
      // once it reads again, every queued call arrives and is answered, in order
      List<Integer> answered = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        JsonNode a = s.next(n -> n.has("result") && n.path("id").asInt() >= 100
            && n.path("id").asInt() < 140);
        answered.add(a.path("result").path("structuredContent").path("n").asInt());
      }
      assertThat(answered).hasSize(40).doesNotHaveDuplicates();
      s.sync();
    }
  }

  @Test
  void whenTheQueueToAStuckUpstreamIsFullRequestsAreAnsweredWithAnError() throws Exception {
    try (RecordingSession s = RecordingSession.start(dir, POLICY,
        List.of("--max-queued-bytes", "262144"), List.of())) {
      ProxyProcess p = s.proxy();
      p.initialize();
      p.callTool(1, "standin_stop_reading", "{\"millis\":60000}");
      String pad = "q".repeat(30_000);
      for (int id = 100; id < 130; id++) {
        p.send(toolsCall(Integer.toString(id), "standin_echo", "{\"pad\":\"" + pad + "\"}"));
      }
      JsonNode full = s.next(n -> n.path("error").path("code").asInt() == -32004);
      assertThat(full.path("error").path("message").asText()).contains("not reading its input");
      // and SIGTERM still stops everything quickly although a write to the upstream is stuck
      long child = p.upstreamPid();
      long start = System.nanoTime();
      p.process().destroy();
      assertThat(p.waitFor(Duration.ofSeconds(5))).isEqualTo(143);
      long deadline = start + Duration.ofSeconds(2).toNanos();
      while (alive(child) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(alive(child)).isFalse();
    }
  }

  @Test
  void clientEofWhileTheUpstreamIsNotReadingStillEndsTheSessionPromptly() throws Exception {
    try (RecordingSession s = RecordingSession.start(dir, POLICY)) {
      ProxyProcess p = s.proxy();
      p.initialize();
      p.callTool(1, "standin_stop_reading", "{\"millis\":60000}");
      String pad = "r".repeat(60_000);
      for (int id = 100; id < 120; id++) {
        p.send(toolsCall(Integer.toString(id), "standin_echo", "{\"pad\":\"" + pad + "\"}"));
      }
      long child = p.upstreamPid();
      long start = System.nanoTime();
      p.closeStdin();
      p.waitFor(Duration.ofSeconds(6));
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
      assertThat(alive(child)).isFalse();
    }
  }
}
