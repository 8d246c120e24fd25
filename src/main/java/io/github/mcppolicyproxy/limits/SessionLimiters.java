package io.github.mcppolicyproxy.limits;

import io.github.mcppolicyproxy.policy.Limit;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The {@code session} limits: one non-blocking Resilience4j {@link AtomicRateLimiter} per (session,
 * counter) in this process's memory. Windows are fixed cycles of the window's length counted from
 * the limiter's first use. Resilience4j cannot give permits back, so a refund is kept as a credit
 * that counts only within the cycle it was taken in. Thread-safe (one lock). The limiters read
 * the clock once per operation (every limit of a call is judged at the same instant), since
 * their own reading of it costs a system clock call per metric asked.
 *
 * <p>A call's limits are the same {@link Limit} objects on every call of a tool (the policy
 * engine remembers its verdict per tool name), so the counter a limit names is found by the
 * limit's identity, for the last session asked, without building its key per call.
 */
public final class SessionLimiters {
  /** Limits remembered by identity before the memo is emptied (reloads make new ones). */
  private static final int MEMO_LIMITS = 4096;

  private final LongSupplier nanoClock;
  private final Map<String, Counter> counters = new HashMap<>(); // by key(session, counter)
  private final Map<Limit, Counter> memo = new IdentityHashMap<>(); // for memoSession
  private String memoSession;
  /** The instant every limiter reads: taken once per operation, under the lock. */
  private long now;

  /** One (session, counter): its limiter and its refunded permits (a credit of one cycle). */
  private static final class Counter {
    AtomicRateLimiter limiter;
    int max;
    Duration window;
    long creditCycle;
    long credit; // 0: none

    boolean fits(Limit l) {
      return max == l.max() && window.equals(l.window());
    }
  }

  /** What {@link #take} did: the cycle each limit was taken in, or the limit without room. */
  public record Taken(Map<Limit, Long> cycles, Quota.Outcome.Exhausted refused) {}

  /** @param nanoClock monotonic nanoseconds, {@link System#nanoTime} in production */
  public SessionLimiters(LongSupplier nanoClock) {
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** The first limit of {@code permits} without room, or null when all have room. */
  public synchronized Quota.Outcome.Exhausted wouldExhaust(String session,
      Map<Limit, Integer> permits) {
    now = nanoClock.getAsLong();
    return exhausted(session, permits);
  }

  private Quota.Outcome.Exhausted exhausted(String session, Map<Limit, Integer> permits) {
    Quota.Outcome.Exhausted worst = null;
    for (Map.Entry<Limit, Integer> e : permits.entrySet()) {
      Limit l = e.getKey();
      int need = e.getValue();
      if (need > l.max()) {
        return new Quota.Outcome.Exhausted(l, "session", l.window().toSeconds());
      }
      Counter c = counter(session, l);
      AtomicRateLimiter.AtomicRateLimiterMetrics m = c.limiter.getDetailedMetrics();
      if (available(c, m.getCycle(), m.getAvailablePermissions()) < need) {
        long wait = m.getNanosToWait();
        long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
        if (worst == null || seconds > worst.retryAfterSeconds()) {
          worst = new Quota.Outcome.Exhausted(l, "session", seconds);
        }
      }
    }
    return worst;
  }

  /**
   * Takes {@code permits} if every limit has room; returns the cycle each was taken in (for
   * {@link #refund}), or null when one had no room (then nothing was taken).
   */
  public synchronized Map<Limit, Long> tryTake(String session, Map<Limit, Integer> permits) {
    return take(session, permits).cycles();
  }

  /**
   * Takes {@code permits} if every limit has room, in one step: the cycles they were taken in, or
   * (nothing taken) the limit {@link #wouldExhaust} names.
   */
  public synchronized Taken take(String session, Map<Limit, Integer> permits) {
    now = nanoClock.getAsLong();
    Quota.Outcome.Exhausted full = exhausted(session, permits);
    if (full != null) {
      return new Taken(null, full);
    }
    if (permits.size() == 1) {
      Map.Entry<Limit, Integer> e = permits.entrySet().iterator().next();
      return new Taken(Map.of(e.getKey(), takeOne(session, e.getKey(), e.getValue())), null);
    }
    @SuppressWarnings("unchecked")
    Map.Entry<Limit, Long>[] cycles = new Map.Entry[permits.size()];
    int i = 0;
    for (Map.Entry<Limit, Integer> e : permits.entrySet()) {
      cycles[i++] = Map.entry(e.getKey(), takeOne(session, e.getKey(), e.getValue()));
    }
    // immutable already, so the Reservation keeps it as it is (Map.copyOf copies no such map)
    return new Taken(Map.ofEntries(cycles), null);
  }

  /** Takes {@code need} permits known to be there; returns the cycle they were taken in. */
  private long takeOne(String session, Limit l, int need) {
    Counter c = counter(session, l);
    AtomicRateLimiter rl = c.limiter;
    long cycle = rl.getDetailedMetrics().getCycle();
    if (c.creditCycle == cycle && c.credit > 0) {
      long used = Math.min(c.credit, need);
      c.credit -= used;
      need -= (int) used;
    }
    if (need > 0 && !rl.acquirePermission(need)) {
      // Cannot happen under this lock with a monotonic clock; fail closed if it ever does.
      throw new IllegalStateException("limiter " + rl.getName()
          + " refused a permit it had just reported available");
    }
    return cycle;
  }

  /** Gives back permits taken in {@code cycles}; those of a cycle that has ended are gone. */
  public synchronized void refund(String session, Map<Limit, Integer> permits,
      Map<Limit, Long> cycles) {
    now = nanoClock.getAsLong();
    for (Map.Entry<Limit, Integer> e : permits.entrySet()) {
      Counter c = counter(session, e.getKey());
      long cycle = c.limiter.getDetailedMetrics().getCycle();
      Long taken = cycles.get(e.getKey());
      if (taken == null || taken != cycle) {
        continue;
      }
      if (c.creditCycle != cycle) {
        c.creditCycle = cycle;
        c.credit = 0;
      }
      c.credit = Math.min(e.getKey().max(), c.credit + e.getValue());
    }
  }

  /** Permits left now in {@code limit}'s current cycle for {@code session}. */
  public synchronized int available(String session, Limit limit) {
    now = nanoClock.getAsLong();
    Counter c = counter(session, limit);
    AtomicRateLimiter.AtomicRateLimiterMetrics m = c.limiter.getDetailedMetrics();
    return available(c, m.getCycle(), m.getAvailablePermissions());
  }

  private static int available(Counter c, long cycle, int permissions) {
    return c.creditCycle == cycle ? permissions + (int) c.credit : permissions;
  }

  private static String key(String session, Limit limit) {
    return "session|" + session + "|" + limit.counter();
  }

  /** The counter of {@code limit} in {@code session}, its limiter fitting the limit. */
  private Counter counter(String session, Limit limit) {
    if (session.equals(memoSession)) {
      Counter c = memo.get(limit);
      if (c != null && c.fits(limit)) {
        return c;
      }
    } else {
      memo.clear();
      memoSession = session;
    }
    if (memo.size() >= MEMO_LIMITS) {
      memo.clear();
    }
    String key = key(session, limit);
    Counter c = counters.computeIfAbsent(key, k -> new Counter());
    limiter(key, c, limit);
    memo.put(limit, c);
    return c;
  }

  /**
   * Gives {@code c} a limiter of {@code limit}'s max and window. Counters outlive policy versions:
   * a reloaded policy whose limit on a counter has a new {@code max} or {@code window} gets a new
   * limiter that keeps the count: the calls already taken in the current window are taken again
   * from the new one (up to its max), and its first window starts now. So lowering a max below
   * what was used refuses at once until that window ends, and raising it leaves only the
   * difference.
   */
  private void limiter(String key, Counter c, Limit limit) {
    AtomicRateLimiter rl = c.limiter;
    if (rl != null && c.fits(limit)) {
      return;
    }
    AtomicRateLimiter fresh = (AtomicRateLimiter) RateLimiter.of(key, RateLimiterConfig.custom()
        .limitForPeriod(limit.max())
        .limitRefreshPeriod(limit.window())
        .timeoutDuration(Duration.ZERO)
        .build(), () -> now);
    if (rl != null) {
      AtomicRateLimiter.AtomicRateLimiterMetrics m = rl.getDetailedMetrics();
      int used = c.max - Math.max(0, available(c, m.getCycle(), m.getAvailablePermissions()));
      c.creditCycle = 0; // credits belong to the old limiter's cycles
      c.credit = 0;
      if (used > 0) {
        fresh.acquirePermission(Math.min(used, limit.max()));
      }
    }
    c.limiter = fresh;
    c.max = limit.max();
    c.window = limit.window();
  }
}
