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
   * for a {@code tools/call}, the quota it took.
   */
  public record Pending(JsonId id, String method, String continuationKey,
      Quota.Reservation reservation) {
    public Pending(JsonId id, String method, String continuationKey) {
      this(id, method, continuationKey, Quota.Reservation.NONE);
    }
  }

  /** Gives a reservation back. */
  public interface Refunds {
    void refund(Quota.Reservation reservation);

    /** Gives nothing back. */
    Refunds NONE = r -> { };
  }

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Continuations continuations = new Continuations();
  private final int max;
  private final Refunds refunds;
  private final boolean refundUpstreamFailures;

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
    this.max = max;
    this.refunds = java.util.Objects.requireNonNull(refunds, "refunds");
    this.refundUpstreamFailures = refundUpstreamFailures;
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
    return add(id, method, null, Quota.Reservation.NONE);
  }

  /** Records a forwarded request that may open a continuation under {@code continuationKey}. */
  public boolean add(JsonId id, String method, String continuationKey) {
    return add(id, method, continuationKey, Quota.Reservation.NONE);
  }

  /** Records a forwarded request that took {@code reservation}; false when the table is full. */
  public boolean add(JsonId id, String method, String continuationKey,
      Quota.Reservation reservation) {
    if (pending.size() >= max && !pending.containsKey(id.key())) {
      return false;
    }
    pending.put(id.key(), new Pending(id, method, continuationKey, reservation));
    return true;
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

  public int size() {
    return pending.size();
  }
}
