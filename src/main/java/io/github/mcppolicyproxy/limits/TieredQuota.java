package io.github.mcppolicyproxy.limits;

import io.github.mcppolicyproxy.limits.store.CounterStore;
import io.github.mcppolicyproxy.limits.store.MemoryStore;
import io.github.mcppolicyproxy.limits.store.StoreException;
import io.github.mcppolicyproxy.limits.store.Take;
import io.github.mcppolicyproxy.limits.store.TimedStore;
import io.github.mcppolicyproxy.policy.Limit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The {@link Quota}: {@code session} limits on {@link SessionLimiters}, {@code grant} and
 * {@code global} limits in a {@link CounterStore} with fixed windows aligned to the epoch.
 *
 * <p>A call's reservation is atomic across both: the session limits are checked first (taking
 * nothing), then the shared counters are taken in one atomic store step, then the session permits
 * are taken; if they ran out in between (another call of the same session), the shared counters are
 * given back and the call is refused. When the store cannot be asked, {@link FailMode#CLOSED}
 * refuses calls that need it ({@link Outcome.Unavailable}); {@link FailMode#OPEN} counts them in
 * this process's memory until the store answers again. Each change is reported once to
 * {@code notices}.
 */
public final class TieredQuota implements Quota {
  /** What to do while the shared store cannot be asked. */
  public enum FailMode { CLOSED, OPEN }

  private static final long UNAVAILABLE_RETRY_SECONDS = 1;

  private final SessionLimiters session;
  private final CounterStore store;
  private final MemoryStore fallback = new MemoryStore();
  private final String grant;
  private final Clock clock;
  private final FailMode failMode;
  private final Consumer<String> notices;
  private volatile boolean storeDown;

  /**
   * @param grant whose {@code grant} counters these are ({@code team-a})
   * @param clock wall time for the epoch-aligned windows
   * @param notices where outages and recoveries are reported (stderr and the log)
   */
  public TieredQuota(SessionLimiters session, CounterStore store, String grant, Clock clock,
      FailMode failMode, Consumer<String> notices) {
    this.session = Objects.requireNonNull(session, "session");
    this.store = Objects.requireNonNull(store, "store");
    this.grant = Objects.requireNonNull(grant, "grant");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.failMode = Objects.requireNonNull(failMode, "failMode");
    this.notices = Objects.requireNonNull(notices, "notices");
  }

  @Override
  public void close() {
    store.close();
  }

  /** The store behind the shared limits. */
  public CounterStore store() {
    return store;
  }

  /** Who shares {@code scope} counters: "grant team-a", "global", or "session". */
  public String scopeName(Limit.Scope scope) {
    return switch (scope) {
      case SESSION -> "session";
      case GRANT -> "grant " + grant;
      case GLOBAL -> "global";
    };
  }

  @Override
  public void warmUp() {
    session.warmUp();
  }

  @Override
  public Outcome reserve(String sessionId, Map<Limit, Integer> permits) {
    Split split = split(permits);
    if (split.takes.isEmpty()) {
      // session limits only: checked and taken in one step under the limiters' lock
      SessionLimiters.Taken taken = session.take(sessionId, split.session);
      return taken.refused() != null ? taken.refused() : new Outcome.Granted(
          new Reservation(sessionId, split.session, taken.cycles(), List.of(), false));
    }
    Outcome.Exhausted full = session.wouldExhaust(sessionId, split.session);
    if (full != null) {
      return full;
    }
    boolean fallbackUsed;
    Outcome shared = takeShared(split);
    if (shared instanceof Outcome.Granted g) {
      fallbackUsed = g.reservation().fallback();
    } else {
      return shared;
    }
    Map<Limit, Long> cycles = session.tryTake(sessionId, split.session);
    if (cycles == null) {
      giveShared(split.takes, fallbackUsed);
      Outcome.Exhausted now = session.wouldExhaust(sessionId, split.session);
      return now != null ? now : new Outcome.Unavailable("session limits changed", 1);
    }
    return new Outcome.Granted(new Reservation(sessionId, split.session, cycles, split.takes,
        fallbackUsed));
  }

  @Override
  public Outcome peek(String sessionId, Map<Limit, Integer> permits) {
    Split split = split(permits);
    Outcome.Exhausted full = session.wouldExhaust(sessionId, split.session);
    if (full != null || split.takes.isEmpty()) {
      return full != null ? full : new Outcome.Granted(Reservation.NONE);
    }
    int idx;
    try {
      idx = store.peek(split.takes);
      up();
    } catch (StoreException e) {
      down(e);
      if (failMode == FailMode.CLOSED) {
        return unavailable(e);
      }
      idx = fallback.peek(split.takes);
    }
    return idx == CounterStore.ALL_TAKEN ? new Outcome.Granted(Reservation.NONE)
        : exhausted(split, idx);
  }

  @Override
  public void refund(Reservation r) {
    if (r == null || r.isEmpty()) {
      return;
    }
    session.refund(r.session(), r.sessionPermits(), r.cycles());
    giveShared(r.shared(), r.fallback());
  }

  private Outcome takeShared(Split split) {
    int idx;
    boolean usedFallback = false;
    try {
      idx = store.take(split.takes);
      up();
    } catch (StoreException e) {
      down(e);
      if (failMode == FailMode.CLOSED) {
        return unavailable(e);
      }
      idx = fallback.take(split.takes);
      usedFallback = true;
    }
    if (idx != CounterStore.ALL_TAKEN) {
      return exhausted(split, idx);
    }
    return new Outcome.Granted(new Reservation("", Map.of(), Map.of(), split.takes, usedFallback));
  }

  private void giveShared(List<Take> takes, boolean fromFallback) {
    if (takes.isEmpty()) {
      return;
    }
    if (fromFallback) {
      fallback.give(takes);
    } else if (store instanceof TimedStore t) {
      t.giveLater(takes, e -> notices.accept("could not give back " + takes.size()
          + " counter(s) to " + store.describe() + ": " + e.getMessage()));
    } else {
      try {
        store.give(takes);
      } catch (StoreException e) {
        notices.accept("could not give back counters to " + store.describe() + ": "
            + e.getMessage());
      }
    }
  }

  private Outcome.Unavailable unavailable(StoreException e) {
    return new Outcome.Unavailable("the counter store " + store.describe()
        + " cannot be reached (" + e.getMessage() + ")", UNAVAILABLE_RETRY_SECONDS);
  }

  private Outcome.Exhausted exhausted(Split split, int idx) {
    Take t = split.takes.get(idx);
    long left = t.windowEnd() - clock.millis();
    return new Outcome.Exhausted(split.limits.get(idx), t.scope(),
        Math.max(1, (left + 999) / 1000));
  }

  private void down(StoreException e) {
    if (!storeDown) {
      storeDown = true;
      notices.accept("the counter store " + store.describe() + " cannot be reached ("
          + e.getMessage() + "); " + (failMode == FailMode.CLOSED
              ? "calls with grant or global limits are refused (quota_unavailable) until it"
                  + " answers again"
              : "grant and global limits are counted in this process's memory only until it"
                  + " answers again (--state-fail-mode open)"));
    }
  }

  private void up() {
    if (storeDown) {
      storeDown = false;
      notices.accept("the counter store " + store.describe() + " answers again; grant and"
          + " global limits are shared again");
    }
  }

  /** The call's permits: session ones apart, shared ones as takes (one per counter key). */
  private record Split(Map<Limit, Integer> session, List<Take> takes, List<Limit> limits) {}

  private Split split(Map<Limit, Integer> permits) {
    boolean sessionOnly = true;
    for (Limit l : permits.keySet()) {
      sessionOnly &= l.scope() == Limit.Scope.SESSION;
    }
    if (sessionOnly) {
      return new Split(permits, List.of(), List.of());
    }
    Map<Limit, Integer> sessionPermits = new HashMap<>();
    Map<String, Take> byKey = new LinkedHashMap<>();
    Map<String, Limit> limitOf = new HashMap<>();
    long now = clock.millis();
    for (Map.Entry<Limit, Integer> e : permits.entrySet()) {
      Limit l = e.getKey();
      if (l.scope() == Limit.Scope.SESSION) {
        sessionPermits.put(l, e.getValue());
        continue;
      }
      long len = l.window().toMillis();
      long start = Math.floorDiv(now, len) * len;
      Take t = new Take(scopeName(l.scope()), l.counter(), start, start + len, e.getValue(),
          l.max());
      Take prior = byKey.get(t.key());
      if (prior != null) {
        // two entries of one counter: one count, the stricter maximum
        t = new Take(t.scope(), t.counter(), start, start + len, prior.permits() + t.permits(),
            Math.min(prior.max(), t.max()));
        if (l.max() > limitOf.get(t.key()).max()) {
          l = limitOf.get(t.key());
        }
      }
      byKey.put(t.key(), t);
      limitOf.put(t.key(), l);
    }
    List<Take> takes = new ArrayList<>(byKey.values());
    List<Limit> limits = new ArrayList<>();
    for (Take t : takes) {
      limits.add(limitOf.get(t.key()));
    }
    return new Split(sessionPermits, takes, limits);
  }
}
