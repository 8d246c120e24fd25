package io.github.mcppolicyproxy.telemetry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcppolicyproxy.audit.Violation;
import io.github.mcppolicyproxy.policy.Code;
import io.github.mcppolicyproxy.policy.Refusal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The tracker fed the frames of real calls at chosen times, as the four taps would. */
class CallTrackerTest {
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
  private final List<CallRecord> sink = new ArrayList<>();
  private final CallTracker tracker = new CallTracker("s-1", new CallSink() {
    @Override
    public void record(CallRecord call) {
      sink.add(call);
    }

    @Override
    public void close(Duration timeout) {}
  }, Clock.fixed(T0, ZoneOffset.UTC), () -> 0L);

  private static List<FrameFacts> f(String json) {
    byte[] b = json.getBytes(UTF_8);
    return FrameFacts.of(b, b.length);
  }

  private static String call(String id, String tool) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
        + tool + "\",\"_meta\":{\"traceparent\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-"
        + "00f067aa0ba902b7-01\"}}}";
  }

  private static Violation refusal(String rawId, Code code, boolean enforced) {
    return new Violation(T0, "s-1", rawId, "rm", new Refusal(code, "/default", "no",
        OptionalLong.empty(), List.of()), enforced, "00", List.of(), null, "p.json", "ab");
  }

  @Test
  void aForwardedCallAddsTheTimeBeforeTheUpstreamAndAfterItsAnswerOnly() {
    tracker.fromClient(f(call("1", "read")), 1_000);
    tracker.toUpstream(f(call("1", "read")), 1_300);
    tracker.fromUpstream(f("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"), 900_000);
    tracker.toClient(f("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"), 900_200);
    assertThat(sink).singleElement().satisfies(c -> {
      assertThat(c.decision()).isEqualTo("allowed");
      assertThat(c.forwarded()).isTrue();
      assertThat(c.addedNanos()).isEqualTo(300 + 200);
      assertThat(c.endEpochNanos() - c.startEpochNanos()).isEqualTo(899_200);
      assertThat(c.traceparent()).contains("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(c.errorType()).isNull();
    });
  }

  @Test
  void anUpstreamThatAnswersBeforeTheWriteIsToldStillMakesAForwardedCall() {
    // the write to the upstream is told after its flush; the answer may overtake that
    tracker.fromClient(f(call("1", "read")), 1_000);
    tracker.fromUpstream(f("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"), 50_000);
    tracker.toClient(f("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"), 50_400);
    assertThat(sink).as("waits for the write to be told").isEmpty();
    tracker.toUpstream(f(call("1", "read")), 60_000);
    assertThat(sink).singleElement().satisfies(c -> {
      assertThat(c.decision()).isEqualTo("allowed");
      assertThat(c.forwarded()).isTrue();
      assertThat(c.addedNanos()).isEqualTo((50_000 - 1_000) + 400);
      assertThat(c.endEpochNanos() - c.startEpochNanos()).isEqualTo(49_400);
    });
  }

  @Test
  void aRefusedCallTakesItsCodeFromTheLogAndAllItsTimeIsTheProxys() {
    tracker.fromClient(f(call("\"r-1\"", "rm")), 1_000);
    tracker.refused(refusal("\"r-1\"", Code.DENIED, true));
    tracker.toClient(f("{\"jsonrpc\":\"2.0\",\"id\":\"r-1\",\"result\":{\"isError\":true}}"),
        5_000);
    assertThat(sink).singleElement().satisfies(c -> {
      assertThat(c.decision()).isEqualTo("denied");
      assertThat(c.forwarded()).isFalse();
      assertThat(c.addedNanos()).isEqualTo(4_000);
      assertThat(c.errorType()).isEqualTo("tool_error");
      assertThat(c.requestId()).isEqualTo("r-1");
    });
  }

  @Test
  void aHeldCallThatIsApprovedIsAllowedAndAMonitoredRefusalKeepsItsCode() {
    tracker.fromClient(f(call("1", "rm")), 0);
    tracker.fromClient(f(call("2", "rm")), 0);
    tracker.refused(refusal("1", Code.APPROVAL_HELD, true));
    tracker.refused(refusal("2.0", Code.RATE_LIMITED, false));
    for (String id : List.of("1", "2")) {
      tracker.toUpstream(f(call(id, "rm")), 10);
      tracker.fromUpstream(f("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{}}"), 20);
      tracker.toClient(f("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{}}"), 30);
    }
    assertThat(sink).extracting(CallRecord::decision, CallRecord::enforced)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("allowed", true),
            org.assertj.core.groups.Tuple.tuple("rate_limited", false));
  }

  @Test
  void theRevisionIsTheOneTheInitializeAnswerNamedUnlessTheRequestNamesItsOwn() {
    tracker.fromClient(f("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
        + "{\"protocolVersion\":\"2025-11-25\"}}"), 0);
    tracker.toClient(f("{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{\"protocolVersion\":"
        + "\"2025-06-18\",\"capabilities\":{}}}"), 1);
    tracker.fromClient(f(call("1", "read")), 2);
    tracker.toClient(f("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"), 3);
    tracker.fromClient(f("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
        + "{\"name\":\"x\",\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":"
        + "\"2026-07-28\"}}}"), 4);
    tracker.toClient(f("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"resultType\":"
        + "\"complete\"}}"), 5);
    assertThat(sink).extracting(CallRecord::protocolVersion)
        .containsExactly("2025-06-18", "2026-07-28");
  }

  @Test
  void otherMessagesAreNotCallsAndUnansweredCallsEndWithTheSession() {
    tracker.fromClient(f("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}"), 0);
    tracker.toClient(f("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"tools\":[]}}"), 10);
    tracker.fromClient(f(call("6", "slow")), 0);
    tracker.toClient(f("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\"}"), 10);
    assertThat(sink).isEmpty();
    tracker.close();
    assertThat(sink).singleElement().satisfies(c -> {
      assertThat(c.tool()).isEqualTo("slow");
      assertThat(c.errorType()).isEqualTo("no_answer");
      assertThat(c.decision()).isEqualTo("not_forwarded");
    });
  }
}
