package io.github.mcppolicyproxy.proxy;

import io.github.mcppolicyproxy.audit.LogEvent;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Forwarded {@code tools/call}s that the upstream answered with a task instead of a result: the
 * call does not end with that answer, so its quota reservation and its log record follow the task
 * until a terminal status is seen ({@code tasks/get}, {@code tasks/result}, {@code tasks/cancel}
 * answers, {@code notifications/tasks/status} or {@code notifications/tasks}). {@code completed}
 * keeps the permits; {@code failed} and {@code cancelled} give them back like a call the upstream
 * failed (unless refunds are off). A 2026-07-28 {@code tasks/cancel} is only acknowledged, so the
 * proxy then asks the upstream once for the task's status with its own {@code tasks/get} (whose
 * answer it consumes). A task that shows no terminal status within its {@code ttl}
 * (capped at {@code maxAge}) ends as {@code expired} and keeps its permits, as do the oldest ones
 * when more than {@code max} are open (deadlines are checked whenever a task is created, asked
 * about or reported on). Thread-safe; time comes from the injected clock.
 */
public final class TaskTracker {
  /** Default bound on the tasks followed at once. */
  public static final int DEFAULT_MAX = 1_000;
  /** Default longest a task is followed, whatever its {@code ttl} (also for an unlimited one). */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
  private static final String TOOLS_CALL = "tools/call";
  /** The bound on remembered {@code tasks/*} requests (as many as may wait for the upstream). */
  private static final int MAX_ASKED = 10_000;

  /** A task being followed: the call that created it (with its reservation) and its deadline. */
  private record Open(String taskId, InFlight.Pending call, Instant created, Instant expires) {}

  private final InFlight.Refunds refunds;
  private final boolean refundFailures;
  private final Clock clock;
  private final String session;
  private final Consumer<LogEvent> log;
  private final PrintStream stderr;
  private final int max;
  private final Duration maxAge;
  private final Map<String, Open> open = new LinkedHashMap<>(); // guarded by this; oldest first
  private final Map<String, String> asked = new LinkedHashMap<>(); // request key → task id; this
  private final Map<String, String> own = new LinkedHashMap<>(); // own request key → task id; this
  private final String ownPrefix = "mcp-policy-proxy/tasks/" + UUID.randomUUID() + "/";
  /** The key prefix ({@link JsonId#key()}) of the ids above; made once, as every answer is checked. */
  private final String ownKeyPrefix = "s:" + ownPrefix;
  private final AtomicLong ownIds = new AtomicLong();
  private volatile Predicate<byte[]> upstream = f -> false;

  /**
   * @param refunds gives back the reservation of a task that failed or was cancelled
   * @param refundFailures false with {@code --no-refund}: every task keeps its permits
   * @param log receives {@code task_created} and {@code task_ended} events
   * @param max how many tasks are followed at once (the oldest ends as {@code expired} beyond)
   * @param maxAge the longest a task is followed
   */
  public TaskTracker(InFlight.Refunds refunds, boolean refundFailures, Clock clock, String session,
      Consumer<LogEvent> log, PrintStream stderr, int max, Duration maxAge) {
    this.refunds = Objects.requireNonNull(refunds, "refunds");
    this.refundFailures = refundFailures;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.session = Objects.requireNonNull(session, "session");
    this.log = Objects.requireNonNull(log, "log");
    this.stderr = stderr; // null: no diagnostics
    if (max < 1 || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("task bounds must be positive: " + max + " tasks, "
          + maxAge);
    }
    this.max = max;
    this.maxAge = maxAge;
  }

  /** A tracker that refunds but logs nowhere, with the default bounds (for tests and tools). */
  static TaskTracker quiet(InFlight.Refunds refunds, boolean refundFailures) {
    return new TaskTracker(refunds, refundFailures, Clock.systemUTC(), "", e -> { }, null,
        DEFAULT_MAX, DEFAULT_MAX_AGE);
  }

  /**
   * The client asks about a task ({@code tasks/get}, {@code tasks/result}, {@code tasks/cancel}) in
   * the request {@code frame[from, to)}: remembered until answered, so that an answer that does not
   * name its task (a {@code tasks/result} result without its related-task {@code _meta}) still
   * ends the right one. A request whose params repeat a member is not remembered.
   */
  public void asked(JsonId id, byte[] frame, int from, int to) {
    String taskId = TaskFrames.requestedTaskId(frame, from, to);
    if (taskId == null) {
      return;
    }
    synchronized (this) {
      if (open.containsKey(taskId)) {
        remember(asked, id.key(), taskId);
      }
    }
  }

  /** Puts {@code key} in {@code map}, dropping the oldest entries beyond {@link #MAX_ASKED}. */
  private static void remember(Map<String, String> map, String key, String taskId) {
    map.put(key, taskId);
    while (map.size() > MAX_ASKED) {
      map.remove(map.keySet().iterator().next());
    }
  }

  /**
   * Settles the answer to a forwarded {@code tools/call} or {@code tasks/*} request: an error to a
   * call gives its permits back (as before tasks), a task answer starts following the task, a
   * terminal status ends it, a {@code tasks/result} result ends it as completed. False for other
   * requests (nothing done).
   */
  public boolean answered(InFlight.Pending p, byte[] frame) {
    if (p == null || p.method() == null) {
      return false;
    }
    boolean call = TOOLS_CALL.equals(p.method());
    if (!call && !p.method().startsWith("tasks/")) {
      return false;
    }
    if (call && !TaskFrames.mayCreateTask(frame)
        && (p.reservation().isEmpty() || !TaskFrames.mayBeError(frame))) {
      return true; // no task, and nothing to give back: not worth a parse (the common case)
    }
    TaskFrames.Read r = TaskFrames.response(frame);
    if (call) {
      if (r.error()) {
        refund(p);
      } else if (r.created()) {
        created(p, r);
      }
      return true;
    }
    sweep();
    String requested;
    synchronized (this) {
      requested = asked.remove(p.id().key());
    }
    // the server's word on which task it answered about wins; a request that named another one
    // (the proxy and the server may read it differently) settles nothing
    String taskId = r.taskId() != null ? r.taskId() : requested;
    if (requested != null && !requested.equals(taskId)) {
      return true;
    }
    switch (p.method()) {
      // an error says nothing sure about the task (a malformed request, a 2026-07-28 server that
      // has no tasks/result): the task ends only when a status says so
      case "tasks/result" -> {
        if (!r.error()) {
          end(taskId, "completed");
        }
      }
      case "tasks/get", "tasks/cancel" -> {
        if (r.terminal()) {
          end(taskId, r.status());
        } else if (p.method().equals("tasks/cancel") && !r.error() && taskId != null) {
          confirm(taskId);
        }
      }
      default -> { }
    }
    return true;
  }

  /** Connects the way to the upstream's stdin: {@code offer} queues a frame or says it cannot. */
  public void upstream(Predicate<byte[]> offer) {
    this.upstream = Objects.requireNonNull(offer, "offer");
  }

  /**
   * True for the answer to the proxy's own {@code tasks/get} (it is consumed, never passed on);
   * a terminal status in it ends the task.
   */
  public boolean offer(JsonId id, byte[] frame) {
    if (id == null || !id.key().startsWith(ownKeyPrefix)) {
      return false;
    }
    String taskId;
    synchronized (this) {
      taskId = own.remove(id.key());
    }
    TaskFrames.Read r = TaskFrames.response(frame);
    if (taskId != null && r.terminal() && (r.taskId() == null || r.taskId().equals(taskId))) {
      end(taskId, r.status());
    } else if (taskId != null) {
      diag("task " + taskId + " is " + (r.error() ? "unknown to the upstream's tasks/get" : "still "
          + r.status()) + " after its cancel was acknowledged; its permits stay taken until a"
          + " status ends it");
    }
    return true;
  }

  /**
   * A 2026-07-28 {@code tasks/cancel} is only acknowledged (the work may still finish and its
   * result be fetched), so the proxy asks the upstream once for the task's status itself.
   */
  private void confirm(String taskId) {
    String key = ownPrefix + ownIds.incrementAndGet();
    synchronized (this) {
      if (!open.containsKey(taskId)) {
        return;
      }
      remember(own, "s:" + key, taskId);
    }
    if (!upstream.test(TaskFrames.modernGet(key, taskId))) {
      diag("could not ask the upstream for the status of task " + taskId + " after its cancel"
          + " (queue full); its permits stay taken until a status ends it");
    }
  }

  /** A status notification of either revision: a terminal status ends its task. */
  public void notified(byte[] frame) {
    sweep();
    TaskFrames.Read r = TaskFrames.notification(frame);
    if (r.terminal()) {
      end(r.taskId(), r.status());
    }
  }

  /** The upstream is gone and its tasks with it: each ends as {@code failed}. */
  public void upstreamGone() {
    endAll("failed");
  }

  /**
   * The session ends (the client closed; the upstream is stopped): each task still followed ends
   * as {@code abandoned} and keeps its permits (nobody learns whether its work was done).
   */
  public void sessionEnded() {
    endAll("abandoned");
  }

  private void endAll(String status) {
    List<String> ids;
    synchronized (this) {
      ids = List.copyOf(open.keySet());
    }
    ids.forEach(id -> end(id, status));
  }

  /** Tasks followed now (after ending those past their deadline). */
  public int open() {
    sweep();
    synchronized (this) {
      return open.size();
    }
  }

  private void created(InFlight.Pending p, TaskFrames.Read r) {
    Instant now = clock.instant();
    Duration ttl = r.ttlMs() == null || r.ttlMs() < 0 ? maxAge : Duration.ofMillis(r.ttlMs());
    Instant expires = now.plus(ttl.compareTo(maxAge) > 0 ? maxAge : ttl);
    String evicted = null;
    synchronized (this) {
      open.put(r.taskId(), new Open(r.taskId(), p, now, expires));
      if (open.size() > max) {
        evicted = open.keySet().iterator().next();
      }
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("task_id", r.taskId());
    d.put("status", r.status());
    d.put("ttl_ms", r.ttlMs());
    log.accept(LogEvent.about(now, session, p.id().raw(), p.tool(), "task_created", d));
    if (evicted != null) {
      end(evicted, "expired");
    }
    if (r.terminal()) {
      end(r.taskId(), r.status()); // created already ended: nothing to follow
    }
    sweep();
  }

  /** Ends every task whose deadline has passed, as {@code expired}. */
  private void sweep() {
    Instant now = clock.instant();
    List<String> due;
    synchronized (this) {
      due = open.values().stream().filter(o -> !now.isBefore(o.expires())).map(Open::taskId)
          .toList();
    }
    due.forEach(id -> end(id, "expired"));
  }

  private void end(String taskId, String status) {
    Open o;
    synchronized (this) {
      o = taskId == null ? null : open.remove(taskId);
    }
    if (o == null) {
      return;
    }
    boolean give = ("failed".equals(status) || "cancelled".equals(status)) && refundFailures
        && !o.call().reservation().isEmpty();
    if (give) {
      refunds.refund(o.call().reservation());
    }
    Instant now = clock.instant();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("task_id", taskId);
    d.put("status", status);
    d.put("permits", o.call().reservation().isEmpty() ? "none" : give ? "refunded" : "kept");
    d.put("open_ms", Duration.between(o.created(), now).toMillis());
    log.accept(LogEvent.about(now, session, o.call().id().raw(), o.call().tool(), "task_ended", d));
    diag("task " + taskId + " of " + o.call().tool() + " (id " + o.call().id().raw() + ") ended "
        + status + (give ? "; its permits were given back" : ""));
  }

  private void refund(InFlight.Pending p) {
    if (refundFailures && !p.reservation().isEmpty()) {
      refunds.refund(p.reservation());
    }
  }

  private void diag(String message) {
    if (stderr != null) {
      stderr.println("mcp-policy-proxy: " + message);
    }
  }
}
