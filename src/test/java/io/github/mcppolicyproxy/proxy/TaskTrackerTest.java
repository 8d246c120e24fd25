package io.github.mcppolicyproxy.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcppolicyproxy.audit.LogEvent;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import io.github.mcppolicyproxy.limits.FakeClock;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.policy.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The quota and the log of a call answered with a task follow the task to its end, for the shapes
 * of both revisions (2025-11-25 experimental tasks and the 2026-07-28 tasks extension); time is a
 * fake clock.
 */
class TaskTrackerTest {
  private static final Limit LIMIT = new Limit("/tools/t/limits/0", "t", Duration.ofMinutes(1),
      "minute", 5, Limit.Scope.SESSION);
  private static final Quota.Reservation TOOK =
      new Quota.Reservation("s", Map.of(LIMIT, 1), Map.of(LIMIT, 0L), List.of(), false);

  private final FakeClock clock = new FakeClock(1_000_000);
  private final List<Quota.Reservation> refunded = new ArrayList<>();
  private final List<LogEvent> events = new ArrayList<>();

  private TaskTracker tracker(boolean refunds, int max) {
    return new TaskTracker(refunded::add, refunds, clock, "s", events::add, null, max,
        Duration.ofHours(1));
  }

  private static InFlight.Pending call(int id) {
    return new InFlight.Pending(JsonId.ofNumber(Integer.toString(id)), "tools/call", null, "t",
        TOOK);
  }

  private static InFlight.Pending request(int id, String method) {
    return new InFlight.Pending(JsonId.ofNumber(Integer.toString(id)), method, null);
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  private static final String MODERN_TASK = """
      {"jsonrpc":"2.0","id":%d,"result":{"resultType":"task","taskId":"%s","status":"working",\
      "createdAt":"2026-12-02T09:00:00Z","lastUpdatedAt":"2026-12-02T09:00:00Z","ttlMs":%s,\
      "pollIntervalMs":500}}""";
  private static final String LEGACY_TASK = """
      {"jsonrpc":"2.0","id":%d,"result":{"task":{"taskId":"%s","status":"working",\
      "createdAt":"2026-12-02T09:00:00Z","lastUpdatedAt":"2026-12-02T09:00:00Z","ttl":%s}}}""";

  private void ask(TaskTracker t, int id, String method, String taskId) {
    byte[] req = b("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method
        + "\",\"params\":{\"taskId\":\"" + taskId + "\"}}");
    t.asked(JsonId.ofNumber(Integer.toString(id)), req, 0, req.length);
  }

  /** A text of {@code bytes} bytes that speaks of tasks and errors in prose, as results do. */
  private static String prose(int bytes) {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < bytes) {
      sb.append("the task ended with an error; see the task log, error 42 \\\"task\\\". ");
    }
    return sb.toString();
  }

  @Test
  void aLargeAnswerIsReadForATaskOrAnErrorOnlyWhereItsBytesCanHoldOne() {
    TaskTracker t = tracker(true, 10);
    String text = prose(200_000); // far over the size once always parsed
    // prose about tasks and errors (its quotes escaped): no task, no error, the permits stay
    assertThat(t.answered(call(1), b("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":"
        + "[{\"type\":\"text\",\"text\":\"" + text + "\"}]}}"))).isTrue();
    assertThat(t.open()).isZero();
    assertThat(refunded).isEmpty();
    // the same text ahead of a task marker: the task is followed
    assertThat(t.answered(call(2), b("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"_note\":\""
        + text + "\",\"resultType\":\"task\",\"taskId\":\"T2\",\"status\":\"working\","
        + "\"createdAt\":\"2026-12-02T09:00:00Z\",\"lastUpdatedAt\":\"2026-12-02T09:00:00Z\","
        + "\"ttlMs\":60000}}"))).isTrue();
    assertThat(t.open()).isEqualTo(1);
    // and a large error answer gives its permits back
    assertThat(t.answered(call(3), b("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32603,"
        + "\"message\":\"" + text + "\"}}"))).isTrue();
    assertThat(refunded).hasSize(1);
  }

  @Test
  void aCompletedTaskKeepsItsPermitsAndTheLogFollowsItToItsEnd() {
    TaskTracker t = tracker(true, 10);
    assertThat(t.answered(call(1), b(MODERN_TASK.formatted(1, "T1", "60000")))).isTrue();
    assertThat(t.open()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(3));
    ask(t, 2, "tasks/get", "T1");
    t.answered(request(2, "tasks/get"), b("""
        {"jsonrpc":"2.0","id":2,"result":{"resultType":"complete","taskId":"T1","status":"working"}}"""));
    assertThat(t.open()).isEqualTo(1);
    ask(t, 3, "tasks/get", "T1");
    t.answered(request(3, "tasks/get"), b("""
        {"jsonrpc":"2.0","id":3,"result":{"resultType":"complete","taskId":"T1","status":"completed",\
        "result":{"content":[{"type":"text","text":"done"}],"isError":false}}}"""));
    assertThat(t.open()).isZero();
    assertThat(refunded).isEmpty();
    assertThat(events).extracting(LogEvent::event).containsExactly("task_created", "task_ended");
    LogEvent end = events.get(1);
    assertThat(end.requestId()).isEqualTo("1");
    assertThat(end.tool()).isEqualTo("t");
    assertThat(end.details()).containsEntry("task_id", "T1").containsEntry("status", "completed")
        .containsEntry("permits", "kept").containsEntry("open_ms", 3000L);
  }

  @Test
  void aFailedTaskGivesItsPermitsBackUnlessRefundsAreOff() {
    TaskTracker t = tracker(true, 10);
    t.answered(call(1), b(MODERN_TASK.formatted(1, "T1", "60000")));
    t.answered(request(2, "tasks/get"), b("""
        {"jsonrpc":"2.0","id":2,"result":{"resultType":"complete","taskId":"T1","status":"failed",\
        "error":{"code":-32603,"message":"boom"}}}"""));
    assertThat(refunded).containsExactly(TOOK);

    TaskTracker off = tracker(false, 10);
    off.answered(call(3), b(MODERN_TASK.formatted(3, "T3", "60000")));
    off.answered(request(4, "tasks/get"), b("""
        {"jsonrpc":"2.0","id":4,"result":{"resultType":"complete","taskId":"T3","status":"failed"}}"""));
    assertThat(refunded).hasSize(1);
    assertThat(events.get(events.size() - 1).details()).containsEntry("permits", "kept");
  }

  @Test
  void anErrorAnswerToTasksResultEndsNothingOnlyAStatusDoes() {
    TaskTracker t = tracker(true, 10);
    t.answered(call(1), b(LEGACY_TASK.formatted(1, "L1", "null")));
    ask(t, 2, "tasks/result", "L1");
    // a failed task, a malformed request, or a 2026-07-28 server without tasks/result: unknown
    t.answered(request(2, "tasks/result"), b("""
        {"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"Method not found"}}"""));
    assertThat(t.open()).isEqualTo(1);
    assertThat(refunded).isEmpty();
    ask(t, 3, "tasks/get", "L1");
    t.answered(request(3, "tasks/get"), b("""
        {"jsonrpc":"2.0","id":3,"result":{"taskId":"L1","status":"failed","ttl":null}}"""));
    assertThat(t.open()).isZero();
    assertThat(refunded).containsExactly(TOOK);
    assertThat(events.get(1).details()).containsEntry("status", "failed");
  }

  @Test
  void anAnswerAboutAnotherTaskThanTheOneRequestedSettlesNothing() {
    TaskTracker t = tracker(true, 10);
    t.answered(call(1), b(MODERN_TASK.formatted(1, "T1", "60000")));
    t.answered(call(2), b(MODERN_TASK.formatted(2, "T2", "60000")));
    // the proxy reads the first taskId, a server may read the last: such a request is not noted
    byte[] dup = b("""
        {"jsonrpc":"2.0","id":3,"method":"tasks/result","params":{"taskId":"T1","taskId":"T2"}}""");
    t.asked(JsonId.ofNumber("3"), dup, 0, dup.length);
    t.answered(request(3, "tasks/result"), b("""
        {"jsonrpc":"2.0","id":3,"result":{"content":[],"isError":false}}"""));
    ask(t, 4, "tasks/get", "T1");
    t.answered(request(4, "tasks/get"), b("""
        {"jsonrpc":"2.0","id":4,"result":{"resultType":"complete","taskId":"T2","status":"failed"}}"""));
    assertThat(t.open()).isEqualTo(2);
    assertThat(refunded).isEmpty();
  }

  @Test
  void aLegacyTasksResultWithTheResultCompletesTheTask() {
    TaskTracker t = tracker(true, 10);
    t.answered(call(1), b(LEGACY_TASK.formatted(1, "L1", "60000")));
    t.answered(request(2, "tasks/result"), b("""
        {"jsonrpc":"2.0","id":2,"result":{"content":[],"isError":false,"_meta":\
        {"io.modelcontextprotocol/related-task":{"taskId":"L1"}}}}"""));
    assertThat(t.open()).isZero();
    assertThat(refunded).isEmpty();
  }

  @Test
  void aLegacyCancelAnsweredWithTheCancelledTaskRefunds() {
    TaskTracker t = tracker(true, 10);
    t.answered(call(1), b(LEGACY_TASK.formatted(1, "L1", "60000")));
    ask(t, 2, "tasks/cancel", "L1");
    t.answered(request(2, "tasks/cancel"), b("""
        {"jsonrpc":"2.0","id":2,"result":{"taskId":"L1","status":"cancelled"}}"""));
    assertThat(refunded).containsExactly(TOOK);
    assertThat(events.get(1).details()).containsEntry("status", "cancelled");
  }

  @Test
  void aModernCancelAcknowledgementMakesTheProxyAskTheStatusOnceOnlyCancelledRefunds()
      throws Exception {
    TaskTracker t = tracker(true, 10);
    List<byte[]> sent = new ArrayList<>();
    t.upstream(sent::add);
    t.answered(call(1), b(MODERN_TASK.formatted(1, "M1", "60000")));
    t.answered(call(2), b(MODERN_TASK.formatted(2, "M2", "60000")));
    for (String task : List.of("M1", "M2")) {
      ask(t, 10 + sent.size(), "tasks/cancel", task);
      t.answered(request(10 + sent.size(), "tasks/cancel"), b("""
          {"jsonrpc":"2.0","id":%d,"result":{"resultType":"complete"}}""".formatted(10 + sent.size())));
    }
    assertThat(sent).hasSize(2);
    assertThat(refunded).as("an acknowledgement alone: the work may still finish").isEmpty();
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode get = json.readTree(sent.get(0));
    assertThat(get.path("method").asText()).isEqualTo("tasks/get");
    assertThat(get.path("params").path("taskId").asText()).isEqualTo("M1");
    assertThat(get.at("/params/_meta/io.modelcontextprotocol~1protocolVersion").asText())
        .isEqualTo("2026-07-28");
    JsonId own1 = JsonId.ofString(json.writeValueAsString(get.path("id").asText()),
        get.path("id").asText());
    JsonId own2 = JsonId.ofString(json.writeValueAsString(json.readTree(sent.get(1)).path("id")
        .asText()), json.readTree(sent.get(1)).path("id").asText());

    assertThat(t.offer(own1, b("""
        {"jsonrpc":"2.0","id":"x","result":{"resultType":"complete","taskId":"M1","status":"cancelled"}}""")))
        .as("the proxy's own answer is consumed").isTrue();
    assertThat(refunded).containsExactly(TOOK);
    assertThat(t.offer(own2, b("""
        {"jsonrpc":"2.0","id":"y","result":{"resultType":"complete","taskId":"M2","status":"working"}}""")))
        .isTrue();
    assertThat(t.open()).as("still working: followed until a status ends it").isEqualTo(1);
    t.notified(b("""
        {"jsonrpc":"2.0","method":"notifications/tasks","params":{"taskId":"M2","status":"completed"}}"""));
    assertThat(refunded).hasSize(1);
    assertThat(t.offer(JsonId.ofNumber("7"), b("{}"))).as("a client's answer is not the proxy's")
        .isFalse();
  }

  @Test
  void aStatusNotificationOfEitherRevisionEndsItsTask() {
    TaskTracker t = tracker(true, 10);
    t.answered(call(1), b(LEGACY_TASK.formatted(1, "L1", "60000")));
    t.notified(b("""
        {"jsonrpc":"2.0","method":"notifications/tasks/status","params":{"taskId":"L1",\
        "status":"completed","ttl":60000}}"""));
    assertThat(t.open()).isZero();
    assertThat(refunded).isEmpty();
  }

  @Test
  void aTaskWithNoTerminalStatusExpiresAtItsTtlCappedAtTheMaximumAgeAndKeepsItsPermits() {
    TaskTracker t = tracker(true, 10);
    t.answered(call(1), b(MODERN_TASK.formatted(1, "short", "10000")));
    t.answered(call(2), b(MODERN_TASK.formatted(2, "unlimited", "null")));
    clock.advance(Duration.ofSeconds(10));
    assertThat(t.open()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(59).plusSeconds(50));
    assertThat(t.open()).isZero();
    assertThat(refunded).isEmpty();
    assertThat(events).filteredOn(e -> e.event().equals("task_ended"))
        .extracting(e -> e.details().get("status")).containsExactly("expired", "expired");
  }

  @Test
  void theTableIsBoundedTheOldestTaskEndsAsExpired() {
    TaskTracker t = tracker(true, 3);
    for (int i = 0; i < 5; i++) {
      t.answered(call(i), b(MODERN_TASK.formatted(i, "T" + i, "60000")));
    }
    assertThat(t.open()).isEqualTo(3);
    assertThat(events).filteredOn(e -> e.event().equals("task_ended"))
        .extracting(e -> e.details().get("task_id")).containsExactly("T0", "T1");
  }

  @Test
  void anErrorAnswerToACallRefundsAsBeforeAndAnOrdinaryResultCreatesNoTask() {
    TaskTracker t = tracker(true, 10);
    t.answered(call(1), b("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-1,\"message\":\"x\"}}"));
    assertThat(refunded).containsExactly(TOOK);
    t.answered(call(2), b("""
        {"jsonrpc":"2.0","id":2,"result":{"content":[{"type":"text","text":"\\"task\\""}],\
        "structuredContent":{"task":{"taskId":"x"}},"isError":false}}"""));
    assertThat(t.open()).isZero();
    assertThat(t.answered(request(3, "resources/read"), b("{}"))).isFalse();
  }

  @Test
  void whenTheUpstreamDiesItsTasksFailAndTheirPermitsComeBack() {
    TaskTracker t = tracker(true, 10);
    t.answered(call(1), b(MODERN_TASK.formatted(1, "T1", "60000")));
    t.upstreamGone();
    assertThat(t.open()).isZero();
    assertThat(refunded).containsExactly(TOOK);
  }

  @Test
  void whenTheSessionEndsItsOpenTasksAreAbandonedAndKeepTheirPermits() {
    TaskTracker t = tracker(true, 10);
    t.answered(call(1), b(LEGACY_TASK.formatted(1, "L1", "60000")));
    t.sessionEnded();
    assertThat(t.open()).isZero();
    assertThat(refunded).isEmpty();
    assertThat(events.get(1).details()).containsEntry("status", "abandoned")
        .containsEntry("permits", "kept");
  }

  @Test
  void aTaskCreatedAlreadyFailedEndsAtOnce() {
    TaskTracker t = tracker(true, 10);
    t.answered(call(1), b("""
        {"jsonrpc":"2.0","id":1,"result":{"resultType":"task","taskId":"F","status":"failed",\
        "ttlMs":1000}}"""));
    assertThat(t.open()).isZero();
    assertThat(refunded).containsExactly(TOOK);
  }
}
