package io.github.mcppolicyproxy.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.jsonrpc.EnvelopeScanner;
import io.github.mcppolicyproxy.jsonrpc.FrameReader;
import io.github.mcppolicyproxy.jsonrpc.FrameWriter;
import io.github.mcppolicyproxy.jsonrpc.Replies;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.policy.CommandInspector;
import io.github.mcppolicyproxy.policy.PolicyEngine;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientToServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String POLICY = """
      {"version":"1","default":"deny","tools":{"read":{},"rm":{"action":"deny","reason":"never"}}}""";

  /** Records violations in memory: the log is a boundary, its file format is tested elsewhere. */
  private final ByteArrayOutputStream server = new ByteArrayOutputStream();
  private final ByteArrayOutputStream client = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final RecordingLog log = new RecordingLog();

  /** Feeds {@code frames} (one per line) through a pipe into a real pump and runs it to the end. */
  private void pump(String... frames) throws Exception {
    PipedOutputStream clientOut = new PipedOutputStream();
    PipedInputStream clientIn = new PipedInputStream(clientOut, 1 << 16);
    ProxyConfig config = new ProxyConfig("session-1", 1 << 20, 100, UpstreamQueue.DEFAULT_MAX_BYTES,
        RefusalStyle.RESULT,
        Duration.ofSeconds(1), false, false,
        Clock.fixed(Instant.parse("2026-08-01T00:00:00Z"), ZoneOffset.UTC), new PrintStream(stderr, true, UTF_8));
    PolicyEngine engine = new PolicyEngine(new PolicyLoader().parse("p.json", POLICY.getBytes(UTF_8)),
        CommandInspector.NONE);
    AtomicLong nanos = new AtomicLong();
    UpstreamQueue toServer = new UpstreamQueue(new FrameWriter(server),
        UpstreamQueue.DEFAULT_MAX_BYTES, UpstreamQueue.DEFAULT_MAX_FRAMES, config.stderr());
    ClientToServer c2s = new ClientToServer(new FrameReader(clientIn, config.maxFrameBytes()),
        toServer, new FrameWriter(client), new EnvelopeScanner(config.maxFrameBytes()),
        new CallJudge(engine, Quota.inMemory(nanos::get, java.time.Clock.systemUTC())), log, new InFlight(100),
        new Answers(JSON, RefusalStyle.RESULT), config);
    Thread t = new Thread(c2s, "c2s-under-test");
    t.start();
    for (String f : frames) {
      clientOut.write((f + "\n").getBytes(UTF_8));
    }
    clientOut.close();
    t.join(10_000);
    assertThat(t.isAlive()).isFalse();
    assertThat(toServer.drain(Duration.ofSeconds(10))).as("upstream queue drained").isTrue();
  }

  private static List<String> lines(ByteArrayOutputStream out) {
    String s = out.toString(UTF_8);
    return s.isEmpty() ? List.of() : List.of(s.split("\n"));
  }

  private static JsonNode only(ByteArrayOutputStream out) throws IOException {
    assertThat(lines(out)).hasSize(1);
    return JSON.readTree(lines(out).get(0));
  }

  @Test
  void refusedToolsCallIsAnsweredAndNeverReachesTheServer() throws Exception {
    pump("""
        {"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"rm","arguments":{"path":"/"}}}""");

    assertThat(server.size()).isZero();
    JsonNode answer = only(client);
    assertThat(answer.get("id").asInt()).isEqualTo(7);
    assertThat(answer.get("result").get("isError").asBoolean()).isTrue();
    assertThat(answer.get("result").get("_meta").get(Answers.META_KEY).get("rule").asText()).isEqualTo("/tools/rm");
    assertThat(log.records).hasSize(1);
    assertThat(log.records.get(0).requestId()).isEqualTo("7");
    assertThat(log.records.get(0).argumentKeys()).containsExactly("path");
  }

  @Test
  void allowedCallAndOtherTrafficAreForwardedByteForByteInOrder() throws Exception {
    String call = "{ \"jsonrpc\":\"2.0\", \"id\":1.10, \"method\":\"tools/call\","
        + " \"params\":{\"name\":\"read\",\"arguments\":{\"n\":1.50},\"x\":[]} }";
    String unknown = "{\"jsonrpc\":\"2.0\",\"id\":\"u\",\"method\":\"vendor/unknown\",\"params\":{\"a\":1e400}}";
    String note = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

    pump(call, unknown, note);

    assertThat(lines(server)).containsExactly(call, unknown, note);
    assertThat(client.size()).isZero();
  }

  @Test
  void duplicateNameInParamsIsRefusedNotForwarded() throws Exception {
    pump("""
        {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"read","name":"rm","arguments":{}}}""");

    assertThat(server.size()).isZero();
    JsonNode answer = only(client);
    assertThat(answer.get("id").asInt()).isEqualTo(2);
    assertThat(answer.get("error").get("code").asInt()).isEqualTo(Replies.INVALID_REQUEST);
  }

  @Test
  void duplicateArgumentsInParamsIsRefusedNotForwarded() throws Exception {
    pump("""
        {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"read","arguments":{},"arguments":{"path":"/"}}}""");

    assertThat(server.size()).isZero();
    assertThat(only(client).get("error").get("code").asInt()).isEqualTo(Replies.INVALID_REQUEST);
  }

  @Test
  void duplicateTopLevelMethodIsRefusedNotForwarded() throws Exception {
    pump("""
        {"jsonrpc":"2.0","id":4,"method":"ping","method":"tools/call","params":{"name":"rm"}}""");

    assertThat(server.size()).isZero();
    assertThat(only(client).get("error").get("code").asInt()).isEqualTo(Replies.INVALID_REQUEST);
  }

  @Test
  void toolsCallSentAsANotificationIsDropped() throws Exception {
    pump("""
        {"jsonrpc":"2.0","method":"tools/call","params":{"name":"read","arguments":{}}}""");

    assertThat(server.size()).isZero();
    assertThat(client.size()).isZero();
    assertThat(stderr.toString(UTF_8)).contains("dropped a tools/call sent as a notification");
  }

  @Test
  void batchWithAnAllowedAndADeniedCallForwardsTheAllowedAndAnswersTheDenied() throws Exception {
    String allowed = "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"tools/call\",\"params\":{\"name\":\"read\"}}";
    String denied = "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/call\",\"params\":{\"name\":\"rm\"}}";

    pump("[" + allowed + ", " + denied + "]");

    assertThat(lines(server)).containsExactly("[" + allowed + "]");
    JsonNode answers = only(client);
    assertThat(answers.isArray()).isTrue();
    assertThat(answers).hasSize(1);
    assertThat(answers.get(0).get("id").asInt()).isEqualTo(11);
    assertThat(answers.get(0).get("result").get("isError").asBoolean()).isTrue();
  }

  @Test
  void batchWithoutToolsCallsPassesAsItCame() throws Exception {
    String batch = "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"} , {\"jsonrpc\":\"2.0\",\"method\":\"n\"}]";

    pump(batch);

    assertThat(lines(server)).containsExactly(batch);
    assertThat(client.size()).isZero();
  }

  @Test
  void emptyBatchIsAnInvalidRequest() throws Exception {
    pump("[]");

    JsonNode a = only(client);
    assertThat(a.get("error").get("code").asInt()).isEqualTo(Replies.INVALID_REQUEST);
    assertThat(a.get("id").isNull()).isTrue();
    assertThat(server.size()).isZero();
  }

  @Test
  void invalidJsonIsAParseErrorWithNullId() throws Exception {
    pump("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",");

    JsonNode a = only(client);
    assertThat(a.get("error").get("code").asInt()).isEqualTo(Replies.PARSE_ERROR);
    assertThat(a.get("id").isNull()).isTrue();
    assertThat(server.size()).isZero();
  }

  @Test
  void escapedNameIsDecodedBeforeItIsJudged() throws Exception {
    pump("""
        {"jsonrpc":"2.0","id":20,"method":"tools/call","params":{"na\\u006de":"rm","arguments":{}}}""",
        """
        {"jsonrpc":"2.0","id":21,"method":"tools/call","params":{"name":"r\\u006d"}}""",
        """
        {"jsonrpc":"2.0","id":22,"method":"tools/\\u0063all","params":{"name":"rm"}}""");

    assertThat(server.size()).isZero();
    assertThat(lines(client)).hasSize(3);
    for (String line : lines(client)) {
      assertThat(JSON.readTree(line).get("result").get("_meta").get(Answers.META_KEY).get("rule").asText())
          .isEqualTo("/tools/rm");
    }
  }

  @Test
  void refusalToAStatelessRevisionCallIsMarkedComplete() throws Exception {
    pump("""
        {"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"rm",
         "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}""".replace("\n", ""));

    assertThat(only(client).get("result").get("resultType").asText()).isEqualTo("complete");
  }

  @Test
  void blankLinesAreIgnored() throws Exception {
    pump("", "  \r");

    assertThat(server.size()).isZero();
    assertThat(client.size()).isZero();
  }
}
