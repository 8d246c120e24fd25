package io.github.mcppolicyproxy.tail;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.audit.JsonLinesViolationLog;
import io.github.mcppolicyproxy.audit.LogRotation;
import io.github.mcppolicyproxy.audit.Violation;
import io.github.mcppolicyproxy.policy.Code;
import io.github.mcppolicyproxy.policy.Refusal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class LogFollowerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final List<String> seen = new ArrayList<>();

  private static Violation record(int id) {
    return new Violation(Instant.parse("2026-12-02T06:00:00Z"), "s", Integer.toString(id), "t",
        new Refusal(Code.DENIED, "/default", "t is not allowed", OptionalLong.empty(), List.of()),
        true, "00", List.of(), null, "p.json", "ab");
  }

  private static int id(String line) {
    try {
      return JSON.readTree(line).path("request_id").asInt();
    } catch (java.io.IOException e) {
      throw new AssertionError(line, e);
    }
  }

  @Test
  void waitsForTheFileThenHandsOnOnlyCompleteLines() throws Exception {
    Path log = dir.resolve("v.jsonl");
    LogFollower f = new LogFollower(log, Duration.ofMillis(10));
    assertThat(f.last(10, l -> true)).isEmpty();
    f.step(seen::add);
    Files.writeString(log, "{\"a\":1}\n{\"a\":", UTF_8);
    f.step(seen::add);
    assertThat(seen).containsExactly("{\"a\":1}");
    Files.writeString(log, "2}\n", UTF_8, StandardOpenOption.APPEND);
    f.step(seen::add);
    assertThat(seen).containsExactly("{\"a\":1}", "{\"a\":2}");
  }

  @Test
  void lastGivesTheNewestMatchingLinesAndFollowingStartsAfterThem() throws Exception {
    Path log = dir.resolve("v.jsonl");
    Files.writeString(log, "1\n2\n3\n4\n5\n", UTF_8);
    LogFollower f = new LogFollower(log, Duration.ofMillis(10));
    assertThat(f.last(2, l -> !l.equals("5"))).containsExactly("3", "4");
    Files.writeString(log, "6\n", UTF_8, StandardOpenOption.APPEND);
    f.step(seen::add);
    assertThat(seen).containsExactly("6");
  }

  @Test
  void aTruncatedFileIsReadAgainFromItsStart() throws Exception {
    Path log = dir.resolve("v.jsonl");
    Files.writeString(log, "one\ntwo\n", UTF_8);
    LogFollower f = new LogFollower(log, Duration.ofMillis(10));
    f.last(0, l -> true);
    Files.writeString(log, "x\n", UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    f.step(seen::add);
    assertThat(seen).containsExactly("x");
  }

  @Test
  void aLogRotatedTwiceBetweenTwoLooksLosesNothing() throws Exception {
    Path log = dir.resolve("v.jsonl");
    PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, UTF_8);
    JsonLinesViolationLog writer = JsonLinesViolationLog.open(log, err, JSON, false,
        new LogRotation(1, 5)); // every record in a file of its own
    writer.append(record(1));
    LogFollower f = new LogFollower(log, Duration.ofMillis(10));
    f.last(10, l -> true).forEach(seen::add);
    writer.append(record(2));
    writer.append(record(3));
    writer.append(record(4));
    f.step(seen::add);
    writer.close();
    assertThat(seen).extracting(LogFollowerTest::id).containsExactly(1, 2, 3, 4);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void followsALogBeingWrittenAndRotatedByAnotherThread() throws Exception {
    Path log = dir.resolve("v.jsonl");
    PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, UTF_8);
    JsonLinesViolationLog writer = JsonLinesViolationLog.open(log, err, JSON, false,
        new LogRotation(2000, 200)); // nothing rotated out of reach: this is about following
    List<String> got = new CopyOnWriteArrayList<>();
    LogFollower f = new LogFollower(log, Duration.ofMillis(5));
    assertThat(f.last(0, l -> true)).as("the log exists, empty, before the first record").isEmpty();
    Thread follower = new Thread(() -> {
      try {
        f.follow(got::add);
      } catch (InterruptedException e) {
        // stopped
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    follower.start();
    for (int i = 1; i <= 400; i++) {
      writer.append(record(i));
      if (i % 50 == 0) {
        Thread.sleep(20);
      }
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (got.size() < 400 && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    follower.interrupt();
    follower.join(5000);
    writer.close();
    assertThat(Files.exists(LogRotation.rotated(log, 10))).as("it rotated often").isTrue();
    List<Integer> ids = got.stream().map(LogFollowerTest::id).toList();
    assertThat(ids).as("every record once, in order").hasSize(400).isSorted()
        .doesNotHaveDuplicates();
  }
}
