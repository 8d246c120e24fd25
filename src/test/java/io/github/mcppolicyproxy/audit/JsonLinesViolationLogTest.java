package io.github.mcppolicyproxy.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.policy.Code;
import io.github.mcppolicyproxy.policy.Refusal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesViolationLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ByteArrayOutputStream stderrBytes = new ByteArrayOutputStream();
  private final PrintStream stderr = new PrintStream(stderrBytes, true, UTF_8);
  @TempDir Path dir;

  private static Violation violation(String requestId, String secret) throws IOException {
    JsonNode args = JSON.readTree("{\"region\":\"us-east-1\",\"token\":\"" + secret + "\"}");
    return new Violation(Instant.parse("2026-08-01T12:00:00Z"), "session-1", requestId,
        "StartAHOReadSetExportJob",
        new Refusal(Code.RATE_LIMITED, "/tools/StartAHOReadSetExportJob/limits/0",
            "StartAHOReadSetExportJob is limited to 10 calls per minute", OptionalLong.of(42), List.of()),
        true, Canonical.sha256(args), Canonical.keys(args), args, "seed.json", "ab".repeat(32));
  }

  private static List<String> lines(Path f) throws IOException {
    return Files.readAllLines(f, UTF_8);
  }

  /** A mapper that counts the records it renders. */
  private static final class CountingMapper extends ObjectMapper {
    int rendered;

    @Override
    public String writeValueAsString(Object value)
        throws com.fasterxml.jackson.core.JsonProcessingException {
      rendered++;
      return super.writeValueAsString(value);
    }
  }

  @Test
  void theWarmUpRendersARecordAndAnEventAndWritesNeither() throws IOException {
    Path f = dir.resolve("v.jsonl");
    CountingMapper mapper = new CountingMapper();
    try (JsonLinesViolationLog log = JsonLinesViolationLog.open(f, stderr, mapper, true)) {
      log.warmUp(violation("7", "s3cr3t"));
      assertThat(mapper.rendered).as("the record and the event were rendered").isEqualTo(2);
      assertThat(!Files.exists(f) || Files.size(f) == 0).as("nothing written to " + f).isTrue();
      assertThat(log.append(violation("8", "s3cr3t"))).isTrue();
    }
    assertThat(lines(f)).hasSize(1);
    assertThat(JSON.readTree(lines(f).get(0)).get("request_id").asInt()).isEqualTo(8);
    ByteArrayOutputStream toStderr = new ByteArrayOutputStream();
    try (JsonLinesViolationLog log = JsonLinesViolationLog.toStderr(
        new PrintStream(toStderr, true, UTF_8), mapper, true)) {
      log.warmUp(violation("9", "s3cr3t"));
    }
    assertThat(mapper.rendered).isEqualTo(5);
    assertThat(toStderr.size()).as("a log to stderr writes nothing either").isZero();
    assertThat(stderrBytes.toString(UTF_8)).isEmpty();
  }

  @Test
  void eachAppendIsOneFlushedJsonLineWithEveryField() throws IOException {
    Path f = dir.resolve("v.jsonl");
    try (JsonLinesViolationLog log = JsonLinesViolationLog.open(f, stderr, JSON, false)) {
      assertThat(log.append(violation("7", "s3cr3t"))).isTrue();
      assertThat(lines(f)).hasSize(1); // read right after append: already flushed
      assertThat(log.append(violation("\"a\"", "s3cr3t"))).isTrue();
      assertThat(lines(f)).hasSize(2);
      assertThat(log.healthy()).isTrue();
    }
    JsonNode r = JSON.readTree(lines(f).get(0));
    assertThat(r.get("time").asText()).isEqualTo("2026-08-01T12:00:00Z");
    assertThat(r.get("session").asText()).isEqualTo("session-1");
    assertThat(r.get("request_id").isInt()).isTrue();
    assertThat(r.get("request_id").asInt()).isEqualTo(7);
    assertThat(r.get("tool").asText()).isEqualTo("StartAHOReadSetExportJob");
    assertThat(r.get("code").asText()).isEqualTo("rate_limited");
    assertThat(r.get("rule").asText()).isEqualTo("/tools/StartAHOReadSetExportJob/limits/0");
    assertThat(r.get("reason").asText()).contains("10 calls per minute");
    assertThat(r.get("retry_after_seconds").asLong()).isEqualTo(42);
    assertThat(r.get("arguments_sha256").asText()).hasSize(64).isEqualTo(violation("7", "s3cr3t").argumentsSha256());
    assertThat(r.get("argument_keys")).hasToString("[\"region\",\"token\"]");
    assertThat(r.get("policy_sha256").asText()).isEqualTo("ab".repeat(32));
    assertThat(r.get("outcome").asText()).isEqualTo("refused");
    assertThat(r.has("arguments")).isFalse();
    assertThat(lines(f).get(0)).doesNotContain("s3cr3t").doesNotContain("us-east-1");
    assertThat(JSON.readTree(lines(f).get(1)).get("request_id").asText()).isEqualTo("a");
    assertThat(stderrBytes.toString(UTF_8)).isEmpty();
  }

  @Test
  void requestIdIsRecordedExactlyAsItWasSent() throws IOException {
    Path f = dir.resolve("v.jsonl");
    try (JsonLinesViolationLog log = JsonLinesViolationLog.open(f, stderr, JSON, false)) {
      log.append(violation("1.10", "x"));
      log.append(violation("1e400", "x"));
      log.append(violation("\"a\\u0062\"", "x"));
      log.append(violation("123456789012345678901234567890", "x"));
      log.append(violation(null, "x"));
    }
    List<String> lines = lines(f);
    assertThat(lines.get(0)).contains("\"request_id\":1.10,");
    assertThat(lines.get(1)).contains("\"request_id\":1e400,");
    assertThat(lines.get(2)).contains("\"request_id\":\"a\\u0062\",");
    assertThat(lines.get(3)).contains("\"request_id\":123456789012345678901234567890,");
    assertThat(lines.get(4)).contains("\"request_id\":null,");
    for (String line : lines) {
      assertThat(JSON.readTree(line).isObject()).isTrue();
    }
  }

  @Test
  void argumentValuesAreRecordedOnlyWhenAskedFor() throws IOException {
    Path f = dir.resolve("v.jsonl");
    try (JsonLinesViolationLog log = JsonLinesViolationLog.open(f, stderr, JSON, true)) {
      log.append(violation("1", "s3cr3t"));
    }
    assertThat(JSON.readTree(lines(f).get(0)).get("arguments").get("token").asText()).isEqualTo("s3cr3t");
  }

  @Test
  void fileRemovedMidRunIsReopenedAndTheRecordLandsInTheNewFile() throws IOException {
    Path f = dir.resolve("logs/v.jsonl");
    try (JsonLinesViolationLog log = JsonLinesViolationLog.open(f, stderr, JSON, false)) {
      log.append(violation("1", "x"));
      Files.delete(f);

      assertThat(log.append(violation("2", "x"))).isTrue();

      assertThat(lines(f)).hasSize(1);
      assertThat(JSON.readTree(lines(f).get(0)).get("request_id").asInt()).isEqualTo(2);
      assertThat(log.healthy()).isTrue();
      assertThat(stderrBytes.toString(UTF_8)).doesNotContain(JsonLinesViolationLog.UNWRITTEN_MARKER);
    }
  }

  @Test
  void fileReplacedMidRunIsReopened() throws IOException {
    Path f = dir.resolve("v.jsonl");
    try (JsonLinesViolationLog log = JsonLinesViolationLog.open(f, stderr, JSON, false)) {
      log.append(violation("1", "x"));
      Files.move(f, dir.resolve("v.jsonl.1"));
      Files.writeString(f, "");

      log.append(violation("2", "x"));

      assertThat(lines(f)).hasSize(1);
      assertThat(lines(dir.resolve("v.jsonl.1"))).hasSize(1);
    }
  }

  @Test
  void unwritableLogSendsTheRecordToStderrWithTheMarkerAndRecovers() throws IOException {
    Path sub = dir.resolve("sub");
    Path f = sub.resolve("v.jsonl");
    try (JsonLinesViolationLog log = JsonLinesViolationLog.open(f, stderr, JSON, false)) {
      Files.delete(f);
      Files.delete(sub);
      Files.writeString(sub, "a regular file where the log's directory was");

      assertThat(log.append(violation("3", "x"))).isFalse();

      assertThat(log.healthy()).isFalse();
      String err = stderrBytes.toString(UTF_8);
      assertThat(err).contains("cannot be written");
      String marked = err.lines().filter(l -> l.startsWith(JsonLinesViolationLog.UNWRITTEN_MARKER))
          .findFirst().orElseThrow();
      JsonNode r = JSON.readTree(marked.substring(JsonLinesViolationLog.UNWRITTEN_MARKER.length()));
      assertThat(r.get("request_id").asInt()).isEqualTo(3);
      assertThat(r.get("code").asText()).isEqualTo("rate_limited");

      Files.delete(sub);
      assertThat(log.append(violation("4", "x"))).isTrue();
      assertThat(log.healthy()).isTrue();
      assertThat(stderrBytes.toString(UTF_8)).contains("is writable again");
      assertThat(lines(f)).hasSize(1);
    }
  }

  @Test
  void diskFullSendsTheRecordToStderrWithTheMarker() throws IOException {
    Path full = Path.of("/dev/full");
    assumeTrue(Files.exists(full) && Files.isWritable(full), "needs /dev/full");
    try (JsonLinesViolationLog log = JsonLinesViolationLog.open(full, stderr, JSON, false)) {
      assertThat(log.healthy()).isTrue();

      assertThat(log.append(violation("5", "x"))).isFalse();
      assertThat(log.append(violation("6", "y"))).isFalse(); // retried, and still not lost

      // healthy() re-probes (reopen + free space), which /dev/full passes; every write fails.
      assertThat(stderrBytes.toString(UTF_8).split(
          java.util.regex.Pattern.quote(JsonLinesViolationLog.UNWRITTEN_MARKER), -1)).hasSize(3);
      assertThat(stderrBytes.toString(UTF_8))
          .contains(JsonLinesViolationLog.UNWRITTEN_MARKER + "{\"time\":\"2026-08-01T12:00:00Z\"");
    }
  }

  @Test
  void logOnStderrWritesPlainLines() throws IOException {
    JsonLinesViolationLog log = JsonLinesViolationLog.toStderr(stderr, JSON, false);

    assertThat(log.append(violation("9", "x"))).isTrue();

    assertThat(JSON.readTree(stderrBytes.toString(UTF_8)).get("request_id").asInt()).isEqualTo(9);
  }

  @Test
  void rotatesBetweenRecordsKeepingTheNewestFilesAndNeverTearingOne() throws Exception {
    Path log = dir.resolve("violations.jsonl");
    int oneRecord = (new String(JsonLinesViolationLog.open(dir.resolve("probe.jsonl"), stderr,
        JSON, false).json(violation("1", "x"))) + "\n").getBytes(UTF_8).length;
    JsonLinesViolationLog l = JsonLinesViolationLog.open(log, stderr, JSON, false,
        new LogRotation(oneRecord * 3L + 10, 2));
    int writers = 4;
    int each = 25;
    Thread[] threads = new Thread[writers];
    for (int w = 0; w < writers; w++) {
      int base = w * 1000;
      threads[w] = new Thread(() -> {
        for (int i = 0; i < each; i++) {
          try {
            assertThat(l.append(violation(Integer.toString(base + i), "x"))).isTrue();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      });
      threads[w].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    l.close();
    assertThat(Files.exists(LogRotation.rotated(log, 3))).as("only two rotated files").isFalse();
    List<Path> files = List.of(LogRotation.rotated(log, 2), LogRotation.rotated(log, 1), log);
    int records = 0;
    for (Path f : files) {
      assertThat(Files.size(f)).isLessThanOrEqualTo(oneRecord * 3L + 10);
      for (String line : lines(f)) {
        assertThat(JSON.readTree(line).path("code").asText()).isEqualTo("rate_limited");
        records++;
      }
    }
    assertThat(records).as("the newest records, whole").isBetween(7, 9);
    assertThat(lines(log)).isNotEmpty();
  }

  @Test
  void aRecordLargerThanTheLimitGetsAFileOfItsOwn() throws Exception {
    Path log = dir.resolve("violations.jsonl");
    JsonLinesViolationLog l = JsonLinesViolationLog.open(log, stderr, JSON, false,
        new LogRotation(10, 3));
    l.append(violation("1", "a"));
    l.append(violation("2", "b"));
    l.close();
    assertThat(lines(log)).hasSize(1);
    assertThat(lines(LogRotation.rotated(log, 1))).hasSize(1);
    assertThat(JSON.readTree(lines(log).get(0)).path("request_id").asInt()).isEqualTo(2);
  }

  @Test
  void eventsAreLinesWithTheirOwnMembersAndThePolicySha() throws Exception {
    Path log = dir.resolve("violations.jsonl");
    JsonLinesViolationLog l = JsonLinesViolationLog.open(log, stderr, JSON, false);
    java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
    details.put("old_policy_sha256", "aa");
    details.put("problems", List.of(java.util.Map.of("pointer", "/default")));
    l.appendEvent(new LogEvent(Instant.parse("2026-12-02T06:00:00Z"), "s", "policy_reloaded",
        details, "p.json", "bb"));
    l.close();
    JsonNode n = JSON.readTree(lines(log).get(0));
    assertThat(n.path("event").asText()).isEqualTo("policy_reloaded");
    assertThat(n.path("old_policy_sha256").asText()).isEqualTo("aa");
    assertThat(n.path("problems").get(0).path("pointer").asText()).isEqualTo("/default");
    assertThat(n.path("policy_sha256").asText()).isEqualTo("bb");
    assertThat(n.path("time").asText()).isEqualTo("2026-12-02T06:00:00Z");
  }
}
