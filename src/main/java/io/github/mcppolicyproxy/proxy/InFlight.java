package io.github.mcppolicyproxy.proxy;

import io.github.mcppolicyproxy.jsonrpc.JsonId;
import io.github.mcppolicyproxy.limits.Quota;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client's requests that were forwarded to the upstream and not yet answered, by id. Only the
 * client's id space is tracked here: the server's own requests use an id space of their own (both
 * may use id 0), and their answers are never looked up in this table.
 */
public final class InFlight {
  /**
   * A forwarded request: its id as received and its method; for a {@code tools/call} of the
   * 2026-07-28 revision, the key under which an {@code input_required} answer opens a continuation;
   * for a {@code tools/call}, the tool's name (else null) and the quota it took.
   */
  public record Pending(JsonId id, String method, String continuationKey, String tool,
      Quota.Reservation reservation) {
    public Pending(JsonId id, String method, String continuationKey) {
      this(id, method, continuationKey, null, Quota.Reservation.NONE);
    }
  }

  /** Gives a reservation back. */
  public interface Refunds {
    void refund(Quota.Reservation reservation);

    /** Gives nothing back. */
    Refunds NONE = r -> { };
  }

  /** Why requests can no longer be forwarded (the upstream is gone), for the error answering them. */
  public record Closed(String message, com.fasterxml.jackson.databind.JsonNode data) {}

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private Closed closed; // guarded by this: once set, nothing more is recorded
  private boolean everAdded; // guarded by this
  private int refusedAfterClose; // guarded by this
  private final Continuations continuations = new Continuations();
  private final int max;
  private final Refunds refunds;
  private final boolean refundUpstreamFailures;
  private final TaskTracker tasks;

  /** @param max how many requests may wait for the upstream at once */
  public InFlight(int max) {
    this(max, Refunds.NONE, false);
  }

  /**
   * @param refunds gives back the quota of calls that never reached the upstream
   * @param refundUpstreamFailures also give back the quota of calls the upstream answered with a
   *     JSON-RPC error or died before answering ({@code --no-refund} turns it off)
   */
  public InFlight(int max, Refunds refunds, boolean refundUpstreamFailures) {
    this(max, refunds, refundUpstreamFailures, TaskTracker.quiet(refunds, refundUpstreamFailures));
  }

  /** @param tasks follows the calls the upstream answered with a task, to their end */
  public InFlight(int max, Refunds refunds, boolean refundUpstreamFailures, TaskTracker tasks) {
    this.max = max;
    this.refunds = java.util.Objects.requireNonNull(refunds, "refunds");
    this.refundUpstreamFailures = refundUpstreamFailures;
    this.tasks = java.util.Objects.requireNonNull(tasks, "tasks");
  }

  /** Gives back the quota of a call that was never forwarded after all. */
  public void notForwarded(Quota.Reservation reservation) {
    if (reservation != null && !reservation.isEmpty()) {
      refunds.refund(reservation);
    }
  }

  /** Gives back the quota of a call the upstream failed (unless refunds are off). */
  public void upstreamFailed(Pending p) {
    if (p != null && refundUpstreamFailures && !p.reservation().isEmpty()) {
      refunds.refund(p.reservation());
    }
  }

  /** Records a forwarded request; false when the table is full (the request must not be sent). */
  public boolean add(JsonId id, String method) {
    return add(id, method, null, null, Quota.Reservation.NONE);
  }

  /** Records a forwarded request that may open a continuation under {@code continuationKey}. */
  public boolean add(JsonId id, String method, String continuationKey) {
    return add(id, method, continuationKey, null, Quota.Reservation.NONE);
  }

  /** Records a forwarded request that took {@code reservation}, of no known tool. */
  public boolean add(JsonId id, String method, String continuationKey,
      Quota.Reservation reservation) {
    return add(id, method, continuationKey, null, reservation);
  }

  /**
   * Records a forwarded request (of {@code tool}, for a {@code tools/call}) that may open a
   * continuation under {@code continuationKey} and took {@code reservation}; false when the table
   * is full or {@link #close closed} (see {@link #closed()} for which).
   */
  public synchronized boolean add(JsonId id, String method, String continuationKey, String tool,
      Quota.Reservation reservation) {
    if (closed != null) {
      refusedAfterClose++;
      return false;
    }
    if (pending.size() >= max && !pending.containsKey(id.key())) {
      return false;
    }
    pending.put(id.key(), new Pending(id, method, continuationKey, tool, reservation));
    everAdded = true;
    return true;
  }

  /**
   * The upstream is gone: from now on {@link #add} refuses, so that a request is either returned
   * here (to be answered by the caller) or refused to its sender, never lost in between.
   */
  public synchronized List<Pending> close(String message,
      com.fasterxml.jackson.databind.JsonNode data) {
    if (closed == null) {
      closed = new Closed(message, data);
    }
    return drain();
  }

  /** Why the table was closed, or null while requests are still forwarded. */
  public synchronized Closed closed() {
    return closed;
  }

  /** True once any request was recorded (the client has spoken). */
  public synchronized boolean everAdded() {
    return everAdded;
  }

  /** How many requests were refused because the table was closed. */
  public synchronized int refusedAfterClose() {
    return refusedAfterClose;
  }

  /** Removes and returns the request that {@code id} answers, or null if none is waiting. */
  public Pending answered(JsonId id) {
    return id == null ? null : pending.remove(id.key());
  }

  /** Removes and returns every waiting request. */
  public List<Pending> drain() {
    List<Pending> all = new ArrayList<>();
    for (String k : List.copyOf(pending.keySet())) {
      Pending p = pending.remove(k);
      if (p != null) {
        all.add(p);
      }
    }
    return all;
  }

  /** Multi round-trip calls the server asked input for, whose retries take no quota. */
  public Continuations continuations() {
    return continuations;
  }

  /** The calls the upstream answered with a task, followed to their end. */
  public TaskTracker tasks() {
    return tasks;
  }

  public int size() {
    return pending.size();
  }
}
