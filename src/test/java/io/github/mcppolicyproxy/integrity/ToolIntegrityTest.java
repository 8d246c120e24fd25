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
}
