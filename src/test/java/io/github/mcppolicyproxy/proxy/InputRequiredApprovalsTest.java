package io.github.mcppolicyproxy.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.approval.ApprovalChannel;
import io.github.mcppolicyproxy.jsonrpc.EnvelopeScanner;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.policy.CommandInspector;
import io.github.mcppolicyproxy.policy.PolicyEngine;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Approval with a 2026-07-28 input-required result, through the real {@link ToolsCallGate}: the
 * question, the approved retry rewritten without the proxy's input, and every state that must not
 * pass (declined, expired, altered, replayed, foreign, issued for another call). Time is a clock
 * the test moves.
 */
class InputRequiredApprovalsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = InputRequiredApprovals.KEY;
  private static final String POLICY = """
      {"version":"1","default":"deny","tools":{
        "deploy":{"action":"require_approval","approval":{"timeout_seconds":60},
                  "limits":[{"counter":"deploys","window":"minute","max":1}]},
        "read":{}}}""";
  private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":"
      + "\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{}}}";

  /** A clock the test moves. */
  private static final class MovableClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-08-01T00:00:00Z"));

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  private final MovableClock clock = new MovableClock();
  private final RecordingLog log = new RecordingLog();
  private final Continuations continuations = new Continuations();
  private final EnvelopeScanner scanner = new EnvelopeScanner(1 << 20);
  private final ToolsCallGate gate = gate(continuations);

  private ToolsCallGate gate(Continuations c) {
    return gate(c, ApprovalChannel.NONE);
  }

  private ToolsCallGate gate(Continuations c, ApprovalChannel approvals) {
    try {
      ProxyConfig config = new ProxyConfig("session-1", 1 << 20, 100,
          UpstreamQueue.DEFAULT_MAX_BYTES, RefusalStyle.RESULT, Duration.ofSeconds(1), false, false,
          clock, new PrintStream(new ByteArrayOutputStream(), true, UTF_8));
      PolicyEngine engine = new PolicyEngine(new PolicyLoader().parse("p.json",
          POLICY.getBytes(UTF_8)), CommandInspector.NONE);
      AtomicLong nanos = new AtomicLong();
      return new ToolsCallGate(new CallJudge(engine, Quota.inMemory(nanos::get, java.time.Clock.systemUTC())), log, c,
          new Answers(JSON, RefusalStyle.RESULT), config, approvals);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private ToolsCallGate.Outcome decide(ToolsCallGate g, String frame) {
    byte[] bytes = frame.getBytes(UTF_8);
    return g.decide(bytes, 0, bytes.length, scanner.scan(bytes), true);
  }

  private static String call(int id, String tool, String args, String extraParams) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
        + tool + "\",\"arguments\":" + args + "," + META + extraParams + "}}";
  }

  private static String retry(int id, String tool, String args, String answer, String state) {
    return call(id, tool, args, ",\"inputResponses\":{\"" + KEY + "\":" + answer + "},"
        + "\"requestState\":" + JSON.valueToTree(state));
  }

  private static final String ACCEPT = "{\"action\":\"accept\",\"content\":{\"approve\":true}}";
  private static final String ARGS = "{\"env\":\"prod\",\"n\":1.50,\"big\":123456789012345678901234}";

  private static JsonNode answer(ToolsCallGate.Outcome o) throws Exception {
    assertThat(o).isInstanceOf(ToolsCallGate.Outcome.Answer.class);
    return JSON.readTree(((ToolsCallGate.Outcome.Answer) o).frame());
  }

  private static String code(JsonNode answer) {
    return answer.path("result").path("_meta").path("io.github.mcp-policy-proxy/refusal")
        .path("code").asText();
  }

  /** Asks about deploy(ARGS) and returns the proxy's state. */
  private String ask(ToolsCallGate g) throws Exception {
    JsonNode asked = answer(decide(g, call(1, "deploy", ARGS, "")));
    return asked.path("result").path("requestState").asText();
  }

  @Test
  void aCallThatNeedsApprovalIsAnsweredWithTheProxysOwnFormAndState() throws Exception {
    JsonNode asked = answer(decide(gate, call(1, "deploy", ARGS, "")));

    JsonNode result = asked.path("result");
    assertThat(asked.path("id").asInt()).isEqualTo(1);
    assertThat(result.path("resultType").asText()).isEqualTo("input_required");
    assertThat(result.path("inputRequests").size()).isEqualTo(1);
    JsonNode request = result.path("inputRequests").path(KEY);
    assertThat(request.path("method").asText()).isEqualTo("elicitation/create");
    assertThat(request.path("params").path("mode").asText()).isEqualTo("form");
    assertThat(request.path("params").path("message").asText()).contains("deploy")
        .contains("\"env\":\"prod\"").contains("/tools/deploy").contains("60 s");
    assertThat(request.path("params").path("requestedSchema").path("properties")
        .path("approve").path("type").asText()).isEqualTo("boolean");
    assertThat(result.path("requestState").asText()).startsWith("mcp-policy-proxy.v1.");
    assertThat(log.records).isEmpty();
  }

  @Test
  void anAcceptedRetryIsForwardedOnceWithoutTheProxysInputAndChargedOnce() throws Exception {
    String state = ask(gate);

    ToolsCallGate.Outcome o = decide(gate, retry(2, "deploy", ARGS, ACCEPT, state));

    assertThat(o).isInstanceOf(ToolsCallGate.Outcome.Forward.class);
    assertThat(((ToolsCallGate.Outcome.Forward) o).reservation().isEmpty())
        .as("the permit it took travels with it, to come back if the upstream fails it").isFalse();
    byte[] sent = ((ToolsCallGate.Outcome.Forward) o).replacement();
    String text = new String(sent, UTF_8);
    JsonNode forwarded = JSON.readTree(sent);
    assertThat(forwarded.path("id").asInt()).isEqualTo(2);
    assertThat(forwarded.path("params").has("requestState")).isFalse();
    assertThat(forwarded.path("params").has("inputResponses")).isFalse();
    assertThat(forwarded.path("params").path("_meta").path("io.modelcontextprotocol/protocolVersion")
        .asText()).isEqualTo("2026-07-28");
    assertThat(text).contains("\"n\":1.50").contains("123456789012345678901234")
        .doesNotContain("mcp-policy-proxy.v1.").doesNotContain(KEY);

    // single use: the same answer again is refused, and never forwarded
    JsonNode replay = answer(decide(gate, retry(3, "deploy", ARGS, ACCEPT, state)));
    assertThat(code(replay)).isEqualTo("approval_invalid");
    assertThat(replay.path("result").path("resultType").asText()).isEqualTo("complete");
    assertThat(replay.path("result").path("content").path(0).path("text").asText())
        .contains("already used");
    // the permit was taken once, after approval: the next deploy is refused before anybody is asked
    JsonNode next = answer(decide(gate, call(4, "deploy", ARGS, "")));
    assertThat(code(next)).isEqualTo("rate_limited");
    assertThat(log.records).extracting(v -> v.refusal().code().wire())
        .containsExactly("approval_invalid", "rate_limited");
  }

  @Test
  void declineCancelAndApproveFalseAreRefusedAsDeclined() throws Exception {
    for (String no : List.of("{\"action\":\"decline\"}", "{\"action\":\"cancel\"}",
        "{\"action\":\"accept\",\"content\":{\"approve\":false}}",
        "{\"action\":\"accept\",\"content\":{\"approve\":\"true\"}}")) {
      String state = ask(gate);
      JsonNode r = answer(decide(gate, retry(2, "deploy", ARGS, no, state)));
      assertThat(code(r)).as(no).isEqualTo("approval_declined");
      assertThat(r.path("result").path("resultType").asText()).isEqualTo("complete");
      assertThat(r.path("result").path("isError").asBoolean()).isTrue();
    }
    // nothing was charged: a fresh call is still asked, not rate limited
    assertThat(answer(decide(gate, call(9, "deploy", ARGS, ""))).path("result")
        .path("resultType").asText()).isEqualTo("input_required");
  }

  @Test
  void anExpiredStateIsRefusedAsTimedOut() throws Exception {
    String state = ask(gate);
    clock.now.set(clock.now.get().plusSeconds(60));

    JsonNode r = answer(decide(gate, retry(2, "deploy", ARGS, ACCEPT, state)));

    assertThat(code(r)).isEqualTo("approval_timeout");
  }

  @Test
  void alteredForgedAndForeignStatesAreRefusedAsInvalid() throws Exception {
    String state = ask(gate);
    int dot = state.lastIndexOf('.');
    char c = state.charAt(dot - 3);
    String altered = state.substring(0, dot - 3) + (c == 'A' ? 'B' : 'A') + state.substring(dot - 2);
    String foreign = ask(gate(new Continuations())); // another secret, as in another process
    for (String bad : List.of(altered, "mcp-policy-proxy.v1.e30.AAAA", "mcp-policy-proxy.v1.", "not-ours", foreign)) {
      JsonNode r = answer(decide(gate, retry(2, "deploy", ARGS, ACCEPT, bad)));
      assertThat(code(r)).as(bad).isEqualTo("approval_invalid");
    }
    // the genuine state was never redeemed by those attempts and still works once
    assertThat(decide(gate, retry(3, "deploy", ARGS, ACCEPT, state)))
        .isInstanceOf(ToolsCallGate.Outcome.Forward.class);
  }

  @Test
  void aStatePresentedWithOtherArgumentsOrWithoutAnAnswerIsRefused() throws Exception {
    String state = ask(gate);

    JsonNode other = answer(decide(gate, retry(2, "deploy", "{\"env\":\"dev\"}", ACCEPT, state)));
    JsonNode reordered = answer(decide(gate, retry(3, "deploy",
        "{\"env\":\"prod\",\"n\":1.5,\"big\":123456789012345678901234,\"x\":1}", ACCEPT, state)));
    JsonNode noAnswer = answer(decide(gate, call(4, "deploy", ARGS, ",\"requestState\":"
        + JSON.valueToTree(state))));
    JsonNode noState = answer(decide(gate, call(5, "deploy", ARGS, ",\"inputResponses\":{\""
        + KEY + "\":" + ACCEPT + "}")));

    assertThat(code(other)).isEqualTo("approval_invalid");
    assertThat(other.toString()).contains("other arguments");
    assertThat(code(reordered)).isEqualTo("approval_invalid");
    assertThat(code(noAnswer)).isEqualTo("approval_invalid");
    assertThat(code(noState)).isEqualTo("approval_invalid");
  }

  @Test
  void aClientWithoutElicitationInItsMetaCannotBeAsked() throws Exception {
    String frame = call(1, "deploy", ARGS, "").replace("{\"elicitation\":{}}", "{}");

    JsonNode r = answer(decide(gate, frame));

    assertThat(code(r)).isEqualTo("approval_unavailable");
    assertThat(r.path("result").path("resultType").asText()).isEqualTo("complete");
  }

  @Test
  void theUpstreamsOwnStateSurvivesTheQuestionAndItsContinuationIsNotAskedAgain() throws Exception {
    String upstream = ",\"inputResponses\":{\"confirm\":{\"action\":\"accept\",\"content\":"
        + "{\"ok\":true}}},\"requestState\":\"upstream-state-1\"";
    JsonNode asked = answer(decide(gate, call(1, "deploy", ARGS, upstream)));
    String state = asked.path("result").path("requestState").asText();

    ToolsCallGate.Outcome o = decide(gate, retry(2, "deploy", ARGS, ACCEPT, state));

    JsonNode forwarded = JSON.readTree(((ToolsCallGate.Outcome.Forward) o).replacement());
    assertThat(forwarded.path("params").path("requestState").asText()).isEqualTo("upstream-state-1");
    assertThat(forwarded.path("params").path("inputResponses").fieldNames()).toIterable()
        .containsExactly("confirm");
    // the upstream answers input_required to the approved call; its retry passes as it came
    String key = ((ToolsCallGate.Outcome.Forward) o).continuationKey();
    continuations.open(key);
    ToolsCallGate.Outcome again = decide(gate, call(3, "deploy", ARGS, ",\"inputResponses\":"
        + "{\"confirm\":{\"action\":\"accept\"}},\"requestState\":\"upstream-state-2\""));
    assertThat(again).isInstanceOf(ToolsCallGate.Outcome.Forward.class);
    assertThat(((ToolsCallGate.Outcome.Forward) again).replacement()).isNull();
    assertThat(log.records).isEmpty();
  }

  @org.junit.jupiter.api.io.TempDir
  java.nio.file.Path tmp;

  @Test
  void withApprovalViaOutOfBandAStatelessCallIsHeldAndForwardedWhenApprovedFromTheDirectory()
      throws Exception {
    java.util.concurrent.ScheduledExecutorService timer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      io.github.mcppolicyproxy.approval.ApprovalsDirectory dir =
          io.github.mcppolicyproxy.approval.ApprovalsDirectory.open(tmp.resolve("approvals"), JSON);
      io.github.mcppolicyproxy.approval.OutOfBandApprovals oob =
          new io.github.mcppolicyproxy.approval.OutOfBandApprovals(dir, JSON, clock, timer,
              Duration.ofMillis(20), new java.security.SecureRandom(),
              new PrintStream(new ByteArrayOutputStream(), true, UTF_8));
      ToolsCallGate g = gate(new Continuations(),
          new io.github.mcppolicyproxy.approval.RoutedApprovals(ApprovalChannel.NONE, oob, true));

      ToolsCallGate.Outcome o = decide(g, call(1, "deploy", ARGS, ""));

      assertThat(o).isInstanceOf(ToolsCallGate.Outcome.Hold.class);
      assertThat(log.records).extracting(v -> v.refusal().code().wire())
          .containsExactly("approval_held");
      String id = dir.heldIds().get(0);
      JsonNode request = dir.readRequest(id).orElseThrow();
      assertThat(request.path("tool").asText()).isEqualTo("deploy");
      dir.writeAnswer(id, JSON.createObjectNode().put("id", id)
          .put("digest", request.path("digest").asText()).put("decision", "approve"));
      ToolsCallGate.Outcome done = ((ToolsCallGate.Outcome.Hold) o).result()
          .get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(done).isInstanceOf(ToolsCallGate.Outcome.Forward.class);
      // the permit was charged on approval: the next deploy is refused before it is held
      assertThat(code(answer(decide(g, call(2, "deploy", ARGS, ""))))).isEqualTo("rate_limited");
    } finally {
      timer.shutdownNow();
    }
  }
}
