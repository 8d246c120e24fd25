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
    // nothing rotated out of reach: this is about following
    followWhileRotating(new LogRotation(2000, 200), 400, 50, Duration.ofMillis(5));
  }

  @Test
  void aLookInTheMiddleOfARotationSkipsNoFile() throws Exception {
    // A rotation renames LOG.1 -> LOG.2 before LOG -> LOG.1, so for a moment LOG.1 is missing.
    // A look then must still find the file it last read (at LOG.2), and the rotation finishing
    // before the next open (B to LOG.1, a new C as LOG) must not make it skip B.
    Path log = dir.resolve("v.jsonl");
    Files.writeString(log, line(1), UTF_8);
    boolean[] once = {true};
    LogFollower f = new LogFollower(log, Duration.ofMillis(10), () -> {
      if (once[0]) {
        once[0] = false;
        try {
          Files.move(log, LogRotation.rotated(log, 1));
          Files.writeString(log, line(4), UTF_8);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    });
    f.step(seen::add);
    Files.move(log, LogRotation.rotated(log, 1)); // A rotated: LOG.1
    Files.writeString(log, line(2) + line(3), UTF_8); // B, not read yet
    Files.move(LogRotation.rotated(log, 1), LogRotation.rotated(log, 2)); // the next rotation, half done
    f.step(seen::add);
    f.step(seen::add);
    assertThat(seen).extracting(LogFollowerTest::id).containsExactly(1, 2, 3, 4);
  }

  private static String line(int id) {
    return "{\"request_id\":\"" + id + "\"}\n";
  }

  private void followWhileRotating(LogRotation rotation, int count, int pauseEvery, Duration poll)
      throws Exception {
    Path log = dir.resolve("v.jsonl");
    PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, UTF_8);
    JsonLinesViolationLog writer = JsonLinesViolationLog.open(log, err, JSON, false, rotation);
    List<String> got = new CopyOnWriteArrayList<>();
    LogFollower f = new LogFollower(log, poll);
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
    for (int i = 1; i <= count; i++) {
      writer.append(record(i));
      if (i % pauseEvery == 0) {
        Thread.sleep(20);
      }
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (got.size() < count && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    follower.interrupt();
    follower.join(5000);
    writer.close();
    assertThat(Files.exists(LogRotation.rotated(log, 10))).as("it rotated often").isTrue();
    List<Integer> ids = got.stream().map(LogFollowerTest::id).toList();
    assertThat(ids).as("every record once, in order").hasSize(count).isSorted()
        .doesNotHaveDuplicates();
  }
}
