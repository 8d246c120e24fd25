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
 * The counts behind the policy's limits: one non-blocking Resilience4j {@link RateLimiter} per
 * (scope, counter), with {@code session} limiters keyed by session and {@code grant}/{@code global}
 * limiters shared by every session of this process.
 *
 * <p>A reservation is all or nothing: permits are taken only when every limit has room, so a
 * refused call uses up nothing. Windows are fixed cycles of the window's length counted from the
 * limiter's first use (Resilience4j's AtomicRateLimiter). Thread-safe; time comes from the
 * injected nano clock, so tests never sleep.
 */
public final class Quota {
  private final LongSupplier nanoClock;
  private final Map<String, RateLimiter> limiters = new HashMap<>();

  /** @param nanoClock monotonic nanoseconds, {@link System#nanoTime} in production */
  public Quota(LongSupplier nanoClock) {
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** The outcome of {@link #tryReserve}. */
  public sealed interface Outcome {
    /** Every permit was taken. */
    record Granted() implements Outcome {}

    /** {@code limit} had no room; nothing was taken. */
    record Exhausted(Limit limit, long retryAfterSeconds) implements Outcome {}
  }

  /**
   * Takes {@code permits} (limit → count) for {@code session} if every limit has room, else takes
   * nothing and names the first limit without room and when a retry can succeed.
   */
  public synchronized Outcome tryReserve(String session, Map<Limit, Integer> permits) {
    Outcome.Exhausted full = wouldExhaust(session, permits);
    if (full != null) {
      return full;
    }
    for (Map.Entry<Limit, Integer> e : permits.entrySet()) {
      RateLimiter rl = limiter(session, e.getKey());
      if (!rl.acquirePermission(e.getValue())) {
        // Cannot happen under this lock with a monotonic clock; fail closed if it ever does.
        throw new IllegalStateException("limiter " + rl.getName()
            + " refused a permit it had just reported available");
      }
    }
    return new Outcome.Granted();
  }

  /**
   * Whether {@code permits} would be granted now, taking nothing: the limit without room, or null.
   * Used before asking a person, so that nobody is asked about a call its limits refuse anyway.
   */
  public synchronized Outcome.Exhausted wouldExhaust(String session, Map<Limit, Integer> permits) {
    Outcome.Exhausted worst = null;
    for (Map.Entry<Limit, Integer> e : permits.entrySet()) {
      RateLimiter rl = limiter(session, e.getKey());
      if (e.getValue() > e.getKey().max()) {
        return new Outcome.Exhausted(e.getKey(), e.getKey().window().toSeconds());
      }
      if (rl.getMetrics().getAvailablePermissions() < e.getValue()) {
        long wait = ((AtomicRateLimiter) rl).getDetailedMetrics().getNanosToWait();
        long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
        if (worst == null || seconds > worst.retryAfterSeconds()) {
          worst = new Outcome.Exhausted(e.getKey(), seconds);
        }
      }
    }
    return worst;
  }

  /** Permits left now in {@code limit}'s current window for {@code session}. */
  public synchronized int available(String session, Limit limit) {
    return limiter(session, limit).getMetrics().getAvailablePermissions();
  }

  /**
   * The limiter of {@code limit}'s (scope, counter). Counters outlive policy versions: a reloaded
   * policy whose limit on a counter has a new {@code max} or {@code window} gets a new limiter that
   * keeps the count: the calls already taken in the current window are taken again from the new
   * one (up to its max), and its first window starts now. So lowering a max below what was used
   * refuses at once until that window ends, and raising it leaves only the difference.
   */
  private RateLimiter limiter(String session, Limit limit) {
    String key = switch (limit.scope()) {
      case SESSION -> "session|" + session + "|" + limit.counter();
      case GRANT, GLOBAL -> limit.scope().wire() + "|" + limit.counter();
    };
    RateLimiter rl = limiters.get(key);
    if (rl != null && rl.getRateLimiterConfig().getLimitForPeriod() == limit.max()
        && rl.getRateLimiterConfig().getLimitRefreshPeriod().equals(limit.window())) {
      return rl;
    }
    RateLimiter fresh = RateLimiter.of(key, RateLimiterConfig.custom()
        .limitForPeriod(limit.max())
        .limitRefreshPeriod(limit.window())
        .timeoutDuration(Duration.ZERO)
        .build(), nanoClock::getAsLong);
    if (rl != null) {
      int used = rl.getRateLimiterConfig().getLimitForPeriod()
          - Math.max(0, rl.getMetrics().getAvailablePermissions());
      if (used > 0) {
        fresh.acquirePermission(Math.min(used, limit.max()));
      }
    }
    limiters.put(key, fresh);
    return fresh;
  }
}
