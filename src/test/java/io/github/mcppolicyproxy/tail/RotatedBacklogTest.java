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
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tail -n} and {@code --since} over a log that {@link JsonLinesViolationLog} rotated: every
 * record is in a file of its own (LOG holds 12, LOG.1 11, ..., LOG.11 1), so which files were read
 * shows in which lines the filter saw.
 */
class RotatedBacklogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private Path log;
  private JsonLinesViolationLog writer;
  private final List<Integer> tested = new ArrayList<>();
  private final List<String> followed = new ArrayList<>();

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

  @BeforeEach
  void twelveRecordsInTwelveFiles() throws Exception {
    log = dir.resolve("v.jsonl");
    PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, UTF_8);
    writer = JsonLinesViolationLog.open(log, err, JSON, false, new LogRotation(1, 20));
    for (int i = 1; i <= 12; i++) {
      writer.append(record(i));
    }
    assertThat(LogRotation.rotated(log, 11)).exists();
  }

  @AfterEach
  void close() {
    writer.close();
  }

  private List<Integer> last(LogFollower f, int n, java.util.function.IntPredicate wanted,
      Instant notBefore) throws Exception {
    return f.last(n, line -> {
      tested.add(id(line));
      return wanted.test(id(line));
    }, notBefore).stream().map(RotatedBacklogTest::id).toList();
  }

  @Test
  void lastNRightAfterRotationsReadsOnlyTheNewestFilesItNeeds() throws Exception {
    LogFollower f = new LogFollower(log, Duration.ofMillis(10));
    assertThat(last(f, 5, i -> true, null)).containsExactly(8, 9, 10, 11, 12);
    assertThat(tested).as("LOG.5 and older not read").containsExactly(12, 11, 10, 9, 8);
    writer.append(record(13));
    f.step(l -> followed.add(l));
    assertThat(followed).extracting(RotatedBacklogTest::id).as("follows from LOG's end")
        .containsExactly(13);
  }

  @Test
  void aFilterThatMatchesFewRecordsGoesBackAsFarAsNeeded() throws Exception {
    LogFollower f = new LogFollower(log, Duration.ofMillis(10));
    assertThat(last(f, 3, i -> i % 5 == 0, null)).containsExactly(5, 10);
    assertThat(tested).as("every file read, once").hasSize(12).doesNotHaveDuplicates();
  }

  @Test
  void allRecordsComeOldestFirst() throws Exception {
    LogFollower f = new LogFollower(log, Duration.ofMillis(10));
    assertThat(last(f, -1, i -> true, null))
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
  }

  @Test
  void sinceStopsAtTheFirstRotatedFileLastWrittenBeforeIt() throws Exception {
    Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
    for (int k = 6; k <= 11; k++) {
      Files.setLastModifiedTime(LogRotation.rotated(log, k), FileTime.from(twoHoursAgo));
    }
    LogFollower f = new LogFollower(log, Duration.ofMillis(10));
    assertThat(last(f, -1, i -> true, Instant.now().minus(Duration.ofHours(1))))
        .containsExactly(7, 8, 9, 10, 11, 12);
    assertThat(tested).doesNotContain(1, 2, 3, 4, 5, 6);
  }

  @Test
  void aRotationDuringTheWalkNeitherSkipsNorRepeatsAFile() throws Exception {
    LogFollower f = new LogFollower(log, Duration.ofMillis(10));
    boolean[] once = {true};
    List<Integer> got = last(f, -1, i -> {
      if (i == 10 && once[0]) { // reading LOG.2: every file moves up by one under the walk
        once[0] = false;
        writer.append(record(13));
      }
      return true;
    }, null);
    assertThat(got).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    f.step(l -> followed.add(l));
    assertThat(followed).extracting(RotatedBacklogTest::id).containsExactly(13);
  }

  @Test
  void aLogMovedAwayLeavesTheRotatedFilesAndFollowingWaitsForTheNextLog() throws Exception {
    writer.close();
    java.nio.file.Files.move(log, dir.resolve("elsewhere.jsonl")); // record 12 went with it
    LogFollower f = new LogFollower(log, Duration.ofMillis(10));
    assertThat(last(f, 3, i -> true, null)).containsExactly(9, 10, 11);
    f.step(l -> followed.add(l));
    assertThat(followed).isEmpty();
    java.nio.file.Files.writeString(log, "{\"request_id\":\"13\"}\n", UTF_8);
    f.step(l -> followed.add(l));
    assertThat(followed).extracting(RotatedBacklogTest::id).containsExactly(13);
  }

  @Test
  void aLogThatNeverRotatedIsReadAlone() throws Exception {
    Path plain = dir.resolve("plain.jsonl");
    Files.writeString(plain, "{\"request_id\":\"1\"}\n{\"request_id\":\"2\"}\n", UTF_8);
    LogFollower f = new LogFollower(plain, Duration.ofMillis(10));
    assertThat(last(f, 10, i -> true, null)).containsExactly(1, 2);
  }
}
