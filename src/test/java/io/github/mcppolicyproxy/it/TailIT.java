package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.audit.JsonLinesViolationLog;
import io.github.mcppolicyproxy.audit.LogRotation;
import io.github.mcppolicyproxy.audit.Violation;
import io.github.mcppolicyproxy.policy.Code;
import io.github.mcppolicyproxy.policy.Refusal;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcp-policy-proxy tail} as a real process (the packaged jar) against a log that is written
 * and rotated while it runs: it waits for the file, shows each record once as a plain line when
 * piped, follows rotation, and filters.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TailIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static Violation record(int id, String tool, Code code) {
    return new Violation(Instant.now(), "sess-" + (id % 2), Integer.toString(id), tool,
        new Refusal(code, "/tools/" + tool, tool + " refused #" + id, OptionalLong.empty(),
            List.of()), true, "00", List.of(), null, "p.json", "ab");
  }

  private static Process tail(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProxyJar.java(), "-jar",
        ProxyJar.path().toString(), "tail"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).start();
  }

  private static BlockingQueue<String> lines(Process p) {
    BlockingQueue<String> q = new LinkedBlockingQueue<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        String l;
        while ((l = r.readLine()) != null) {
          q.add(l);
        }
      } catch (java.io.IOException e) {
        // ended
      }
    });
    t.setDaemon(true);
    t.start();
    return q;
  }

  private static List<String> take(BlockingQueue<String> q, int n) throws Exception {
    List<String> out = new ArrayList<>();
    while (out.size() < n) {
      String l = q.poll(30, TimeUnit.SECONDS);
      assertThat(l).as("line %d of %d; got %s", out.size() + 1, n, out).isNotNull();
      out.add(l);
    }
    return out;
  }

  @Test
  void followsALogThatAppearsLaterAndRotatesWhileItIsWritten() throws Exception {
    Path log = dir.resolve("logs/violations.jsonl");
    Process p = tail(log.toString());
    try {
      BlockingQueue<String> q = lines(p);
      Thread.sleep(3000); // tail is up and waiting for the file
      PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      JsonLinesViolationLog writer = JsonLinesViolationLog.open(log, err, JSON, false,
          new LogRotation(1500, 20));
      writer.append(record(1, "call_aws", Code.DENIED));
      List<String> got = new ArrayList<>(take(q, 1)); // from here on tail is surely following
      for (int i = 2; i <= 60; i++) {
        writer.append(record(i, "call_aws", Code.DENIED));
        if (i % 10 == 0) {
          Thread.sleep(100);
        }
      }
      writer.close();
      got.addAll(take(q, 59));
      assertThat(Files.exists(LogRotation.rotated(log, 3))).as("the log rotated").isTrue();
      for (int i = 1; i <= 60; i++) {
        assertThat(got.get(i - 1)).as("plain (piped), in order, once")
            .matches("\\S+  sess-" + (i % 2) + "  call_aws  denied  call_aws refused #" + i
                + "  /tools/call_aws");
      }
      assertThat(q.poll(500, TimeUnit.MILLISECONDS)).as("nothing twice").isNull();
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void lastNMatchingRecordsAsJsonThenFollowsWithTheSameFilters() throws Exception {
    Path log = dir.resolve("violations.jsonl");
    PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    JsonLinesViolationLog writer = JsonLinesViolationLog.open(log, err, JSON, false);
    for (int i = 1; i <= 10; i++) {
      writer.append(record(i, i % 3 == 0 ? "rm" : "read", i % 3 == 0 ? Code.DENIED
          : Code.RATE_LIMITED));
    }
    Process p = tail(log.toString(), "--json", "-n", "2", "--code", "rate_limited",
        "--session", "sess-0", "--since", "1h");
    try {
      BlockingQueue<String> q = lines(p);
      List<String> first = take(q, 2);
      assertThat(first).extracting(l -> JSON.readTree(l).path("request_id").asInt())
          .containsExactly(8, 10);
      assertThat(first.get(0)).isEqualTo(Files.readAllLines(log).get(7)); // unchanged
      writer.append(record(11, "read", Code.RATE_LIMITED)); // sess-1: filtered out
      writer.append(record(12, "rm", Code.DENIED)); // code: filtered out
      writer.append(record(14, "read", Code.RATE_LIMITED));
      assertThat(JSON.readTree(take(q, 1).get(0)).path("request_id").asInt()).isEqualTo(14);
      writer.close();
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void lastNAndSinceReachIntoTheRotatedFiles() throws Exception {
    Path log = dir.resolve("violations.jsonl");
    PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    JsonLinesViolationLog writer = JsonLinesViolationLog.open(log, err, JSON, false,
        new LogRotation(1, 50)); // every record in a file of its own
    for (int i = 1; i <= 30; i++) {
      writer.append(record(i, "call_aws", Code.DENIED));
    }
    writer.close();
    assertThat(LogRotation.rotated(log, 29)).exists();
    Process n = tail(log.toString(), "--json", "-n", "12", "--no-follow");
    List<String> last = take(lines(n), 12);
    assertThat(n.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(last).extracting(l -> JSON.readTree(l).path("request_id").asInt())
        .containsExactly(19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
    Process since = tail(log.toString(), "--json", "--since", "1h", "--no-follow");
    BlockingQueue<String> q = lines(since);
    List<String> all = take(q, 30);
    assertThat(since.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(all).extracting(l -> JSON.readTree(l).path("request_id").asInt())
        .isSorted().doesNotHaveDuplicates().hasSize(30);
    assertThat(q.poll(500, TimeUnit.MILLISECONDS)).isNull();
  }
}
