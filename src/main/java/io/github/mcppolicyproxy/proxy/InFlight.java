package io.github.mcppolicyproxy.proxy;

import io.github.mcppolicyproxy.jsonrpc.JsonId;
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
   * for a {@code tools/call}, the tool's name (else null).
   */
  public record Pending(JsonId id, String method, String continuationKey, String tool) {
    public Pending(JsonId id, String method, String continuationKey) {
      this(id, method, continuationKey, null);
    }
  }

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Continuations continuations = new Continuations();
  private final int max;

  /** @param max how many requests may wait for the upstream at once */
  public InFlight(int max) {
    this.max = max;
  }

  /** Records a forwarded request; false when the table is full (the request must not be sent). */
  public boolean add(JsonId id, String method) {
    return add(id, method, null);
  }

  /** Records a forwarded request that may open a continuation under {@code continuationKey}. */
  public boolean add(JsonId id, String method, String continuationKey) {
    return add(id, method, continuationKey, null);
  }

  /** Records a forwarded {@code tools/call} of {@code tool}. */
  public boolean add(JsonId id, String method, String continuationKey, String tool) {
    if (pending.size() >= max && !pending.containsKey(id.key())) {
      return false;
    }
    pending.put(id.key(), new Pending(id, method, continuationKey, tool));
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
