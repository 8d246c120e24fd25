package io.github.mcppolicyproxy.limits;

import io.github.mcppolicyproxy.policy.Limit;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
    List<RateLimiter> chosen = new ArrayList<>(permits.size());
    List<Integer> counts = new ArrayList<>(permits.size());
    Limit worst = null;
    long worstWait = -1;
    for (Map.Entry<Limit, Integer> e : permits.entrySet()) {
      Limit limit = e.getKey();
      int n = e.getValue();
      RateLimiter rl = limiter(session, limit);
      if (n > limit.max()) {
        return new Outcome.Exhausted(limit, limit.window().toSeconds());
      }
      if (rl.getMetrics().getAvailablePermissions() < n) {
        long wait = ((AtomicRateLimiter) rl).getDetailedMetrics().getNanosToWait();
        if (wait > worstWait) {
          worst = limit;
          worstWait = wait;
        }
      }
      chosen.add(rl);
      counts.add(n);
    }
    if (worst != null) {
      return new Outcome.Exhausted(worst, Math.max(1, (worstWait + 999_999_999L) / 1_000_000_000L));
    }
    for (int i = 0; i < chosen.size(); i++) {
      if (!chosen.get(i).acquirePermission(counts.get(i))) {
        // Cannot happen under this lock with a monotonic clock; fail closed if it ever does.
        throw new IllegalStateException("limiter " + chosen.get(i).getName()
            + " refused a permit it had just reported available");
      }
    }
    return new Outcome.Granted();
  }

  /** Permits left now in {@code limit}'s current window for {@code session}. */
  public synchronized int available(String session, Limit limit) {
    return limiter(session, limit).getMetrics().getAvailablePermissions();
  }

  private RateLimiter limiter(String session, Limit limit) {
    String key = switch (limit.scope()) {
      case SESSION -> "session|" + session + "|" + limit.counter();
      case GRANT, GLOBAL -> limit.scope().wire() + "|" + limit.counter();
    };
    return limiters.computeIfAbsent(key, k -> RateLimiter.of(k, RateLimiterConfig.custom()
        .limitForPeriod(limit.max())
        .limitRefreshPeriod(limit.window())
        .timeoutDuration(Duration.ZERO)
        .build(), nanoClock::getAsLong));
  }
}
