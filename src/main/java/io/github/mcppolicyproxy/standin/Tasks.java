package io.github.mcppolicyproxy.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stand-in's task mode ({@code --tasks}): a {@code tools/call} that may be answered with a task
 * (a 2026-07-28 request whose {@code _meta} client capabilities declare the extension
 * {@code io.modelcontextprotocol/tasks}, or a 2025-11-25 request with {@code params.task}) is
 * answered at once with a {@code CreateTaskResult} of that revision, and the tool then runs into
 * the task. {@code tasks/get}, {@code tasks/result} (2025-11-25: waits for the end) and
 * {@code tasks/cancel} answer in the request's revision; with {@code --task-notifications} a task
 * that ends also sends {@code notifications/tasks/status} (2025-11-25) or
 * {@code notifications/tasks} (2026-07-28).
 */
final class Tasks {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String EXTENSION = "io.modelcontextprotocol/tasks";
  private static final long TTL_MS = 60_000;

  /** Runs a tool into the given call. */
  interface Runner {
    void run(Call call) throws InterruptedException;
  }

  private static final class Task {
    final String id = UUID.randomUUID().toString();
    final boolean modern;
    final Call inner;
    final ByteArrayOutputStream captured;
    final Instant created = Instant.now();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    volatile String status = "working";
    volatile JsonNode result;
    volatile JsonNode error;

    Task(boolean modern, Call inner, ByteArrayOutputStream captured) {
      this.modern = modern;
      this.inner = inner;
      this.captured = captured;
    }
  }

  private final ObjectMapper json;
  private final FrameWriter out;
  private final boolean notify;
  private final Map<String, Task> tasks = new ConcurrentHashMap<>();

  Tasks(ObjectMapper json, FrameWriter out, boolean notify) {
    this.json = Objects.requireNonNull(json, "json");
    this.out = Objects.requireNonNull(out, "out");
    this.notify = notify;
  }

  /** True when {@code call} may be answered with a task. */
  static boolean wanted(Call call) {
    return call.modern()
        ? call.params().path("_meta").path("io.modelcontextprotocol/clientCapabilities")
            .path("extensions").has(EXTENSION)
        : call.params().path("task").isObject();
  }

  /** Answers {@code call} with a new task, then runs the tool into it (on the calling thread). */
  void create(Call call, Runner runner) throws InterruptedException {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Task t = new Task(call.modern(), new Call(call.request(), new FrameWriter(captured, json)),
        captured);
    tasks.put(t.id, t);
    ObjectNode snapshot = snapshot(t);
    if (t.modern) {
      answer(call, snapshot.put("resultType", "task"));
    } else {
      ObjectNode result = NODES.objectNode();
      result.set("task", snapshot);
      call.result(result);
    }
    try {
      runner.run(t.inner);
    } finally {
      finish(t);
    }
  }

  /** Answers {@code tasks/get}, {@code tasks/result} or {@code tasks/cancel}. */
  void handle(Call call) {
    Task t = tasks.get(call.params().path("taskId").asText(""));
    if (t == null) {
      call.error(-32602, "Failed to retrieve task: Task not found", null);
      return;
    }
    switch (call.request().method()) {
      case "tasks/get" -> answer(call, detailed(t, call.modern()));
      case "tasks/result" -> t.done.thenRun(() -> {
        if (t.error != null) {
          call.error(t.error.path("code").asInt(-32603), t.error.path("message").asText(""),
              t.error.get("data"));
        } else if (t.result == null) {
          call.error(-32000, "Task cancelled", null);
        } else {
          ObjectNode r = (ObjectNode) t.result.deepCopy();
          r.putObject("_meta").putObject("io.modelcontextprotocol/related-task").put("taskId", t.id);
          call.result(r);
        }
      });
      default -> cancel(call, t);
    }
  }

  private void cancel(Call call, Task t) {
    synchronized (t) {
      if (!"working".equals(t.status)) {
        call.error(-32602, "Cannot cancel task: already in terminal status '" + t.status + "'",
            null);
        return;
      }
      t.status = "cancelled";
      t.inner.cancel();
    }
    answer(call, call.modern() ? NODES.objectNode().put("resultType", "complete")
        : snapshot(t).put("statusMessage", "The task was cancelled by request."));
    ended(t);
  }

  /** Records what the tool answered into the task, unless it was cancelled first. */
  private void finish(Task t) {
    synchronized (t) {
      if (!"working".equals(t.status)) {
        return;
      }
      String[] lines = t.captured.toString(StandardCharsets.UTF_8).split("\n");
      try {
        JsonNode last = json.readTree(lines[lines.length - 1]);
        if (last.has("error")) {
          t.error = last.get("error");
          t.status = "failed";
        } else {
          ObjectNode r = (ObjectNode) last.get("result").deepCopy();
          r.remove("resultType");
          t.result = r;
          t.status = "completed";
        }
      } catch (IOException | RuntimeException e) {
        t.error = NODES.objectNode().put("code", -32603).put("message", "the tool answered nothing");
        t.status = "failed";
      }
    }
    ended(t);
  }

  private void ended(Task t) {
    t.done.complete(null);
    if (notify) {
      ObjectNode n = NODES.objectNode().put("jsonrpc", "2.0")
          .put("method", t.modern ? "notifications/tasks" : "notifications/tasks/status");
      n.set("params", t.modern ? detailed(t, true).without("resultType") : snapshot(t));
      out.send(n);
    }
  }

  /** The task's members in its revision's spelling ({@code ttl} / {@code ttlMs}). */
  private static ObjectNode snapshot(Task t) {
    ObjectNode s = NODES.objectNode().put("taskId", t.id).put("status", t.status)
        .put("createdAt", t.created.toString()).put("lastUpdatedAt", Instant.now().toString());
    return t.modern ? s.put("ttlMs", TTL_MS).put("pollIntervalMs", 100)
        : s.put("ttl", TTL_MS).put("pollInterval", 100);
  }

  /** A {@code tasks/get} answer: 2026-07-28 inlines the result or error of an ended task. */
  private static ObjectNode detailed(Task t, boolean modern) {
    ObjectNode s = snapshot(t);
    if (modern) {
      s.put("resultType", "complete");
      if (t.result != null) {
        s.set("result", t.result);
      } else if (t.error != null) {
        s.set("error", t.error);
      }
    }
    return s;
  }

  /** Sends {@code result} as the answer to {@code call} as it is (its resultType untouched). */
  private static void answer(Call call, ObjectNode result) {
    ObjectNode frame = NODES.objectNode().put("jsonrpc", "2.0");
    frame.putRawValue("id", new RawValue(call.request().rawId()));
    frame.set("result", result);
    call.send(frame);
  }
}
