package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tool calls answered with a task, through the packaged jar to the stand-in in task mode
 * ({@code --tasks}): the call's permit follows the task to its end (completed keeps it, failed
 * and cancelled give it back unless {@code --no-refund}), the log records the task's end, and a
 * refused call never reaches the upstream, so it never creates a task. Both revisions' shapes:
 * the 2026-07-28 tasks extension and the 2025-11-25 experimental tasks.
 */
class TasksIT {
  /** One call a minute for each tool: a second call passes only if the first one's permit came back. */
  private static final String POLICY = """
      {"version":"1","default":"allow","tools":{
        "standin_echo":{"limits":[{"counter":"echo","window":"minute","max":1}]},
        "standin_sleep":{"limits":[{"counter":"sleep","window":"minute","max":1}]},
        "standin_rpc_error":{"limits":[{"counter":"rpc","window":"minute","max":1}]}}}
      """;
  private static final String MODERN = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":"
      + "\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{\"extensions\":"
      + "{\"io.modelcontextprotocol/tasks\":{}}}}";
  private static final String LEGACY = "\"task\":{\"ttl\":60000}";

  @TempDir
  Path dir;

  private ProxyProcess start(Path record, String... more) throws Exception {
    return startIn("--tasks", record, more);
  }

  private ProxyProcess startIn(String mode, Path record, String... more) throws Exception {
    Path policy = ProxyProcess.write(dir, "policy.json", POLICY);
    List<String> args = new ArrayList<>(List.of("--policy", policy.toString(), "--violation-log",
        dir.resolve("violations.jsonl").toString()));
    args.addAll(List.of(more));
    args.add("--");
    args.addAll(ProxyProcess.standIn("--test-tools", mode, "--record", record.toString()));
    return ProxyProcess.start(args);
  }

  private static JsonNode call(ProxyProcess p, int id, String tool, String args, String extra)
      throws Exception {
    return p.call(id, "tools/call", "{\"name\":\"" + tool + "\",\"arguments\":" + args + ","
        + extra + "}");
  }

  private static String task(JsonNode created) {
    JsonNode r = created.path("result");
    String id = r.has("task") ? r.path("task").path("taskId").asText() : r.path("taskId").asText();
    assertThat(id).as(created.toString()).isNotEmpty();
    return id;
  }

  private static JsonNode get(ProxyProcess p, int id, String taskId, String extra) throws Exception {
    return p.call(id, "tasks/get", "{\"taskId\":\"" + taskId + "\"" + extra + "}");
  }

  /** Polls tasks/get until the task is no longer working. */
  private static JsonNode until(ProxyProcess p, int id, String taskId, String extra)
      throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode r = get(p, id++, taskId, extra);
      if (!"working".equals(r.path("result").path("status").asText()) || System.nanoTime() > end) {
        return r;
      }
      Thread.sleep(50);
    }
  }

  private static String code(JsonNode answer) {
    return answer.path("result").path("_meta").path("io.github.mcp-policy-proxy/refusal")
        .path("code").asText();
  }

  private List<String> log() throws Exception {
    return Files.readAllLines(dir.resolve("violations.jsonl"));
  }

  @Test
  void aModernTaskThatFailsGivesItsPermitBackOneThatCompletesKeepsIt() throws Exception {
    Path record = dir.resolve("received.jsonl");
    try (ProxyProcess p = start(record)) {
      JsonNode discover = p.call(0, "server/discover", "{" + MODERN + "}");
      assertThat(discover.at("/result/capabilities/extensions").has("io.modelcontextprotocol/tasks"))
          .as(discover.toString()).isTrue();
      JsonNode created = call(p, 1, "standin_rpc_error", "{\"code\":-32603}", MODERN);
      assertThat(created.path("result").path("resultType").asText()).as(created.toString())
          .isEqualTo("task");
      JsonNode failed = until(p, 100, task(created), "," + MODERN);
      assertThat(failed.path("result").path("status").asText()).isEqualTo("failed");
      // the failed task's permit came back: the next call is a task again, not a refusal
      JsonNode again = call(p, 2, "standin_rpc_error", "{\"code\":-32603}", MODERN);
      assertThat(again.path("result").path("resultType").asText()).as(again.toString())
          .isEqualTo("task");

      JsonNode echo = call(p, 3, "standin_echo", "{\"marker\":\"first\"}", MODERN);
      JsonNode done = until(p, 200, task(echo), "," + MODERN);
      assertThat(done.path("result").path("status").asText()).isEqualTo("completed");
      assertThat(done.path("result").path("result").toString()).contains("first");
      JsonNode refused = call(p, 4, "standin_echo", "{\"marker\":\"second\"}", MODERN);
      assertThat(code(refused)).as(refused.toString()).isEqualTo("rate_limited");
      assertThat(refused.path("result").path("resultType").asText()).isEqualTo("complete");
      p.closeStdin(); // the second rpc_error task was never asked about: abandoned at the end
      assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
    }
    String received = Files.readString(record, StandardCharsets.UTF_8);
    assertThat(received).contains("first").doesNotContain("second"); // a refusal creates no task
    String log = String.join("\n", log());
    assertThat(log).contains("\"event\":\"task_created\"").contains("\"status\":\"failed\"")
        .contains("\"permits\":\"refunded\"").contains("\"status\":\"completed\"")
        .contains("\"permits\":\"kept\"").contains("\"code\":\"rate_limited\"")
        .contains("\"status\":\"abandoned\"");
  }

  @Test
  void aLegacyTaskCancelledByTheClientGivesItsPermitBackButNotWithNoRefund() throws Exception {
    for (boolean refund : new boolean[] {true, false}) {
      Path record = dir.resolve("received-" + refund + ".jsonl");
      try (ProxyProcess p = refund ? start(record) : start(record, "--no-refund")) {
        assertThat(p.initialize().at("/result/capabilities/tasks/requests/tools/call").isObject())
            .isTrue();
        JsonNode created = call(p, 1, "standin_sleep", "{\"millis\":60000}", LEGACY);
        String id = task(created);
        assertThat(created.path("result").path("task").path("status").asText()).isEqualTo("working");
        JsonNode cancelled = p.call(2, "tasks/cancel", "{\"taskId\":\"" + id + "\"}");
        assertThat(cancelled.path("result").path("status").asText()).as(cancelled.toString())
            .isEqualTo("cancelled");
        JsonNode next = call(p, 3, "standin_sleep", "{\"millis\":1}", LEGACY);
        if (refund) {
          assertThat(next.path("result").path("task").path("taskId").asText()).as(next.toString())
              .isNotEmpty();
          JsonNode result = p.call(4, "tasks/result", "{\"taskId\":\"" + task(next) + "\"}");
          assertThat(result.path("result").path("isError").asBoolean(true)).as(result.toString())
              .isFalse();
        } else {
          assertThat(code(next)).as(next.toString()).isEqualTo("rate_limited");
        }
      }
    }
  }

  @Test
  void aLegacyTasksResultErrorKeepsThePermitUntilTasksGetShowsTheTaskFailed() throws Exception {
    try (ProxyProcess p = start(dir.resolve("received.jsonl"))) {
      p.initialize();
      JsonNode created = call(p, 1, "standin_rpc_error", "{\"code\":-32000}", LEGACY);
      String id = task(created);
      JsonNode result = p.call(2, "tasks/result", "{\"taskId\":\"" + id + "\"}");
      assertThat(result.path("error").path("code").asInt()).as(result.toString()).isEqualTo(-32000);
      assertThat(code(call(p, 3, "standin_rpc_error", "{\"code\":-32000}", LEGACY)))
          .as("an error from tasks/result does not prove the task failed").isEqualTo("rate_limited");
      assertThat(get(p, 4, id, "").path("result").path("status").asText()).isEqualTo("failed");
      JsonNode again = call(p, 5, "standin_rpc_error", "{\"code\":-32000}", LEGACY);
      assertThat(again.path("result").path("task").isObject()).as(again.toString()).isTrue();
    }
  }

  @Test
  void aStatusNotificationThatATaskFailedGivesItsPermitBackWithoutPolling() throws Exception {
    try (ProxyProcess p = startIn("--task-notifications", dir.resolve("received.jsonl"))) {
      p.initialize();
      JsonNode created = call(p, 1, "standin_rpc_error", "{\"code\":-32000}", LEGACY);
      String id = task(created);
      JsonNode n = p.next();
      assertThat(n.path("method").asText()).as(n.toString()).isEqualTo("notifications/tasks/status");
      assertThat(n.path("params").path("taskId").asText()).isEqualTo(id);
      assertThat(n.path("params").path("status").asText()).isEqualTo("failed");
      JsonNode again = call(p, 2, "standin_rpc_error", "{\"code\":-32000}", LEGACY);
      assertThat(again.path("result").path("task").isObject()).as(again.toString()).isTrue();
    }
  }

  @Test
  void aTaskResultReachesTheClientWithItsSecretsRedactedByTasksGetAndByNotification()
      throws Exception {
    String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    try (ProxyProcess p = startIn("--task-notifications", dir.resolve("received.jsonl"))) {
      JsonNode created = call(p, 1, "standin_echo", "{\"SecretAccessKey\":\"" + secret + "\"}",
          MODERN);
      String id = task(created);
      JsonNode n = p.next();
      assertThat(n.path("method").asText()).as(n.toString()).isEqualTo("notifications/tasks");
      assertThat(n.path("params").path("status").asText()).isEqualTo("completed");
      assertThat(n.toString()).doesNotContain(secret).contains("SecretAccessKey");
      JsonNode got = get(p, 2, id, "," + MODERN);
      assertThat(got.path("result").path("status").asText()).isEqualTo("completed");
      assertThat(got.toString()).doesNotContain(secret).contains("SecretAccessKey");
    }
    assertThat(String.join("\n", log())).contains("\"event\":\"redacted\"");
  }

  /**
   * A 2026-07-28 cancel is only acknowledged; the proxy asks the upstream for the task's status
   * itself (its own tasks/get, whose answer the client never sees) and refunds once it is cancelled.
   */
  @Test
  void aModernCancelGivesThePermitBackOnceTheUpstreamReportsTheTaskCancelled() throws Exception {
    try (ProxyProcess p = start(dir.resolve("received.jsonl"))) {
      JsonNode created = call(p, 1, "standin_sleep", "{\"millis\":60000}", MODERN);
      String id = task(created);
      JsonNode ack = p.call(2, "tasks/cancel", "{\"taskId\":\"" + id + "\"," + MODERN + "}");
      assertThat(ack.path("result").path("resultType").asText()).as(ack.toString())
          .isEqualTo("complete");
      long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      JsonNode next;
      int n = 3;
      do { // the refund follows the proxy's own round trip to the upstream
        p.send("{\"jsonrpc\":\"2.0\",\"id\":" + n + ",\"method\":\"tools/call\",\"params\":"
            + "{\"name\":\"standin_sleep\",\"arguments\":{\"millis\":1}," + MODERN + "}}");
        next = p.next();
        assertThat(next.path("id").isInt()).as("only answers to the client's own requests: " + next)
            .isTrue();
        n++;
      } while ("rate_limited".equals(code(next)) && System.nanoTime() < end && sleep());
      assertThat(next.path("result").path("resultType").asText()).as(next.toString())
          .isEqualTo("task");
    }
    assertThat(String.join("\n", log())).contains("\"status\":\"cancelled\"")
        .contains("\"permits\":\"refunded\"");
  }

  private static boolean sleep() throws InterruptedException {
    Thread.sleep(100);
    return true;
  }
}
