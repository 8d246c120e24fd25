package io.github.mcppolicyproxy.limits;

import io.github.mcppolicyproxy.policy.Limit;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The {@code session} limits: one non-blocking Resilience4j {@link AtomicRateLimiter} per (session,
 * counter) in this process's memory. Windows are fixed cycles of the window's length counted from
 * the limiter's first use. Resilience4j cannot give permits back, so a refund is kept as a credit
 * that counts only within the cycle it was taken in. Thread-safe (one lock).
 */
public final class SessionLimiters {
  private final LongSupplier nanoClock;
  private final Map<String, AtomicRateLimiter> limiters = new HashMap<>();
  private final Map<String, long[]> credits = new HashMap<>(); // key → {cycle, permits}

  /** @param nanoClock monotonic nanoseconds, {@link System#nanoTime} in production */
  public SessionLimiters(LongSupplier nanoClock) {
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** The first limit of {@code permits} without room, or null when all have room. */
  public synchronized Quota.Outcome.Exhausted wouldExhaust(String session,
      Map<Limit, Integer> permits) {
    Quota.Outcome.Exhausted worst = null;
    for (Map.Entry<Limit, Integer> e : permits.entrySet()) {
      Limit l = e.getKey();
      if (e.getValue() > l.max()) {
        return new Quota.Outcome.Exhausted(l, "session", l.window().toSeconds());
      }
      String key = key(session, l);
      AtomicRateLimiter rl = limiter(key, l);
      if (available(key, rl) < e.getValue()) {
        long wait = rl.getDetailedMetrics().getNanosToWait();
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
    if (wouldExhaust(session, permits) != null) {
      return null;
    }
    Map<Limit, Long> cycles = new HashMap<>();
    for (Map.Entry<Limit, Integer> e : permits.entrySet()) {
      String key = key(session, e.getKey());
      AtomicRateLimiter rl = limiter(key, e.getKey());
      long cycle = rl.getDetailedMetrics().getCycle();
      int need = e.getValue();
      long[] c = credits.get(key);
      if (c != null && c[0] == cycle && c[1] > 0) {
        long used = Math.min(c[1], need);
        c[1] -= used;
        need -= (int) used;
      }
      if (need > 0 && !rl.acquirePermission(need)) {
        // Cannot happen under this lock with a monotonic clock; fail closed if it ever does.
        throw new IllegalStateException("limiter " + rl.getName()
            + " refused a permit it had just reported available");
      }
      cycles.put(e.getKey(), cycle);
    }
    return cycles;
  }

  /** Gives back permits taken in {@code cycles}; those of a cycle that has ended are gone. */
  public synchronized void refund(String session, Map<Limit, Integer> permits,
      Map<Limit, Long> cycles) {
    for (Map.Entry<Limit, Integer> e : permits.entrySet()) {
      String key = key(session, e.getKey());
      AtomicRateLimiter rl = limiter(key, e.getKey());
      long cycle = rl.getDetailedMetrics().getCycle();
      Long taken = cycles.get(e.getKey());
      if (taken == null || taken != cycle) {
        continue;
      }
      long[] c = credits.computeIfAbsent(key, k -> new long[2]);
      if (c[0] != cycle) {
        c[0] = cycle;
        c[1] = 0;
      }
      c[1] = Math.min(e.getKey().max(), c[1] + e.getValue());
    }
  }

  /** Permits left now in {@code limit}'s current cycle for {@code session}. */
  public synchronized int available(String session, Limit limit) {
    String key = key(session, limit);
    return available(key, limiter(key, limit));
  }

  private int available(String key, AtomicRateLimiter rl) {
    int base = rl.getMetrics().getAvailablePermissions();
    long[] c = credits.get(key);
    if (c != null && c[0] == rl.getDetailedMetrics().getCycle()) {
      base += (int) c[1];
    }
    return base;
  }

  private static String key(String session, Limit limit) {
    return "session|" + session + "|" + limit.counter();
  }

  /**
   * The limiter of {@code limit}'s counter. Counters outlive policy versions: a reloaded policy
   * whose limit on a counter has a new {@code max} or {@code window} gets a new limiter that keeps
   * the count: the calls already taken in the current window are taken again from the new one (up
   * to its max), and its first window starts now. So lowering a max below what was used refuses at
   * once until that window ends, and raising it leaves only the difference.
   */
  private AtomicRateLimiter limiter(String key, Limit limit) {
    AtomicRateLimiter rl = limiters.get(key);
    if (rl != null && rl.getRateLimiterConfig().getLimitForPeriod() == limit.max()
        && rl.getRateLimiterConfig().getLimitRefreshPeriod().equals(limit.window())) {
      return rl;
    }
    AtomicRateLimiter fresh = (AtomicRateLimiter) RateLimiter.of(key, RateLimiterConfig.custom()
        .limitForPeriod(limit.max())
        .limitRefreshPeriod(limit.window())
        .timeoutDuration(Duration.ZERO)
        .build(), nanoClock::getAsLong);
    if (rl != null) {
      int used = rl.getRateLimiterConfig().getLimitForPeriod() - Math.max(0, available(key, rl));
      credits.remove(key); // credits belong to the old limiter's cycles
      if (used > 0) {
        fresh.acquirePermission(Math.min(used, limit.max()));
      }
    }
    limiters.put(key, fresh);
    return fresh;
  }
}
