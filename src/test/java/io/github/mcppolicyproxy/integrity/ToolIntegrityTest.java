package io.github.mcppolicyproxy.integrity;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.audit.JsonLinesViolationLog;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log records tool integrity writes, as the violation log writes them to a real file. */
class ToolIntegrityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  @TempDir
  Path dir;

  @Test
  void eachRedactionIsARecordWithCodeRedactedThePathAndNeverTheValue() throws Exception {
    Path file = dir.resolve("violations.jsonl");
    PrintStream stderr = new PrintStream(new ByteArrayOutputStream(), true, UTF_8);
    JsonLinesViolationLog log = JsonLinesViolationLog.open(file, stderr, JSON, true);
    ToolIntegrity integrity = new ToolIntegrity(new Redactor(), () -> true,
        new ToolPins(Map.of()), () -> true, log,
        Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC), "s1", stderr, JSON);
    byte[] answer = ("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"structuredContent\":{"
        + "\"Credentials\":{\"AccessKeyId\":\"ASIAIOSFODNN7EXAMPLE\",\"SecretAccessKey\":\""
        + SECRET + "\"}}}}").getBytes(UTF_8);

    byte[] out = integrity.result(answer, JsonId.ofNumber("3"), "call_aws");
    log.close();

    assertThat(new String(out, UTF_8)).doesNotContain(SECRET).contains(SecretText.MARKER);
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).doesNotContain(SECRET);
    JsonNode r = JSON.readTree(lines.get(0));
    assertThat(r.path("code").asText()).isEqualTo("redacted");
    assertThat(r.path("event").asText()).isEqualTo("redacted");
    assertThat(r.path("path").asText()).isEqualTo("/result/structuredContent/Credentials/SecretAccessKey");
    assertThat(r.path("kind").asText()).isEqualTo("secret_field");
    assertThat(r.path("tool").asText()).isEqualTo("call_aws");
    assertThat(r.path("request_id").asInt()).isEqualTo(3);
  }

  private ToolIntegrity integrity(Path file, java.util.function.BooleanSupplier redacting)
      throws Exception {
    PrintStream stderr = new PrintStream(new ByteArrayOutputStream(), true, UTF_8);
    return new ToolIntegrity(new Redactor(), redacting, new ToolPins(Map.of()), () -> true,
        JsonLinesViolationLog.open(file, stderr, JSON, true),
        Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC), "s1", stderr, JSON);
  }

  /** A result of about 2 MB whose text holds {@code inside} at about its middle. */
  private static byte[] large(String inside) {
    String filler = "The quick brown fox jumps over the lazy dog, 200 OK. ".repeat(20_000);
    return ("{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\""
        + filler + inside + filler + "\"}]}}").getBytes(UTF_8);
  }

  /**
   * A large answer's trigger look is started before the answer is known to be a result, on a
   * thread of its own: its answer is the same as the look the redactor makes itself, a secret is
   * redacted, a clean answer passes as the same array, and a look that failed or was cancelled
   * counts as a trigger (the answer is then read for secrets).
   */
  @Test
  void aLookStartedAheadGivesTheSameResultAsTheRedactorsOwn() throws Exception {
    ToolIntegrity integrity = integrity(dir.resolve("v.jsonl"), () -> true);
    byte[] secret = large(" \\\"SecretAccessKey\\\": \\\"" + SECRET + "\\\" ");
    byte[] clean = large(" nothing to see ");
    assertThat(secret.length).isGreaterThan(Triggers.SPLIT_BYTES);
    for (byte[] answer : List.of(secret, clean)) {
      byte[] own = integrity.result(answer, JsonId.ofNumber("4"), "t");
      java.util.concurrent.Future<Boolean> look = integrity.lookAhead(answer);
      assertThat(look).as("a large answer is looked at ahead").isNotNull();
      byte[] ahead = integrity.result(answer, JsonId.ofNumber("4"), "t", look);
      assertThat(ahead).isEqualTo(own);
      if (answer == clean) {
        assertThat(ahead).isSameAs(answer);
      } else {
        assertThat(new String(ahead, UTF_8)).doesNotContain(SECRET).contains(SecretText.MARKER);
      }
    }
    // a failed or cancelled look: the answer is read, so the secret is still redacted
    java.util.concurrent.CompletableFuture<Boolean> failed = new java.util.concurrent.CompletableFuture<>();
    failed.completeExceptionally(new IllegalStateException("look failed"));
    java.util.concurrent.Future<Boolean> cancelled = integrity.lookAhead(secret);
    cancelled.cancel(true);
    for (java.util.concurrent.Future<Boolean> bad : List.of(failed, cancelled)) {
      assertThat(new String(integrity.result(secret, JsonId.ofNumber("4"), "t", bad), UTF_8))
          .doesNotContain(SECRET).contains(SecretText.MARKER);
    }
    // a look that wrongly said "no trigger" would pass the secret: the look's answer is used
    java.util.concurrent.CompletableFuture<Boolean> no =
        java.util.concurrent.CompletableFuture.completedFuture(false);
    assertThat(integrity.result(secret, JsonId.ofNumber("4"), "t", no)).isSameAs(secret);
  }

  @Test
  void smallAnswersAndRedactionOffStartNoLook() throws Exception {
    assertThat(integrity(dir.resolve("a.jsonl"), () -> true).lookAhead(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}".getBytes(UTF_8))).isNull();
    ToolIntegrity off = integrity(dir.resolve("b.jsonl"), () -> false);
    byte[] secret = large(" \\\"SecretAccessKey\\\": \\\"" + SECRET + "\\\" ");
    assertThat(off.lookAhead(secret)).isNull();
    assertThat(off.result(secret, JsonId.ofNumber("4"), "t",
        java.util.concurrent.CompletableFuture.completedFuture(true))).isSameAs(secret);
  }
}
