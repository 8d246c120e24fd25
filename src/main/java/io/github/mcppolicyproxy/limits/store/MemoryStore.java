package io.github.mcppolicyproxy.limits.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Counters in this process's memory only: the {@code memory} store, and the fallback of the
 * {@code open} fail mode. Windows that ended are dropped as new ones are taken. Thread-safe.
 */
public final class MemoryStore implements CounterStore {
  private final Map<String, long[]> counts = new HashMap<>(); // key → {count, max, end}
  private final Map<String, Take> takes = new HashMap<>();

  @Override
  public synchronized int take(List<Take> call) {
    int full = peek(call);
    if (full != ALL_TAKEN) {
      return full;
    }
    purge(call.isEmpty() ? 0 : call.get(0).windowStart());
    for (Take t : call) {
      long[] c = counts.computeIfAbsent(t.key(), k -> new long[3]);
      c[0] += t.permits();
      c[1] = t.max();
      c[2] = t.windowEnd();
      takes.putIfAbsent(t.key(), t);
    }
    return ALL_TAKEN;
  }

  @Override
  public synchronized int peek(List<Take> call) {
    for (int i = 0; i < call.size(); i++) {
      Take t = call.get(i);
      long[] c = counts.get(t.key());
      if ((c == null ? 0 : c[0]) + t.permits() > t.max()) {
        return i;
      }
    }
    return ALL_TAKEN;
  }

  @Override
  public synchronized void give(List<Take> call) {
    for (Take t : call) {
      long[] c = counts.get(t.key());
      if (c != null) {
        c[0] = Math.max(0, c[0] - t.permits());
      }
    }
  }

  @Override
  public synchronized List<CounterState> list(long nowMillis) {
    List<CounterState> out = new ArrayList<>();
    counts.forEach((k, c) -> {
      Take t = takes.get(k);
      if (c[2] > nowMillis) {
        out.add(new CounterState(t.scope(), t.counter(), t.windowStart(), c[2], c[0], c[1]));
      }
    });
    return out;
  }

  @Override
  public synchronized int reset(String scope, String counter) {
    int n = 0;
    for (Iterator<Map.Entry<String, Take>> it = takes.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Take> e = it.next();
      if (e.getValue().scope().equals(scope) && e.getValue().counter().equals(counter)) {
        counts.remove(e.getKey());
        it.remove();
        n++;
      }
    }
    return n;
  }

  private void purge(long nowMillis) {
    for (Iterator<Map.Entry<String, long[]>> it = counts.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, long[]> e = it.next();
      if (e.getValue()[2] <= nowMillis) {
        takes.remove(e.getKey());
        it.remove();
      }
    }
  }

  @Override
  public String describe() {
    return "memory";
  }

  @Override
  public void close() {}
}
