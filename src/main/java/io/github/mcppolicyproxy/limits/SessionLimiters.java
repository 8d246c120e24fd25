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
    /** The limiter's own zero: the clock's reading when it was made (see {@link #cycle}). */
    long origin;
    long periodNanos;
    long creditCycle;
    long credit; // 0: none

    boolean fits(Limit l) {
      return max == l.max() && window.equals(l.window());
    }

    /**
     * The limiter's cycle at {@code now}, computed as the limiter computes it (its clock's reading
     * less the one it was made at, divided by the window), without asking it: each question to
     * it costs a state, a metrics object and a boxed clock reading.
     */
    long cycle(long now) {
      return (now - origin) / periodNanos;
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
      if (available(c, c.cycle(now), m.getAvailablePermissions()) < need) {
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
    if (permits.size() == 1) {
      Map.Entry<Limit, Integer> e = permits.entrySet().iterator().next();
      long cycle = takeOne(session, e.getKey(), e.getValue());
      return cycle == NO_ROOM ? new Taken(null, refused(session, permits, e.getKey()))
          : new Taken(Map.of(e.getKey(), cycle), null);
    }
    @SuppressWarnings("unchecked")
    Map.Entry<Limit, Long>[] cycles = new Map.Entry[permits.size()];
    int i = 0;
    for (Map.Entry<Limit, Integer> e : permits.entrySet()) {
      long cycle = takeOne(session, e.getKey(), e.getValue());
      if (cycle == NO_ROOM) {
        for (int k = 0; k < i; k++) { // all or nothing: what this call took goes back
          giveBack(counter(session, cycles[k].getKey()), cycles[k].getKey(),
              permits.get(cycles[k].getKey()), cycles[k].getValue());
        }
        return new Taken(null, refused(session, permits, e.getKey()));
      }
      cycles[i++] = Map.entry(e.getKey(), cycle);
    }
    // immutable already, so the Reservation keeps it as it is (Map.copyOf copies no such map)
    return new Taken(Map.ofEntries(cycles), null);
  }

  /** What a call refused for want of room in {@code full} is told (nothing of it was taken). */
  private Quota.Outcome.Exhausted refused(String session, Map<Limit, Integer> permits,
      Limit full) {
    Quota.Outcome.Exhausted worst = exhausted(session, permits);
    if (worst != null) {
      return worst;
    }
    // each limit alone has room but together they do not (cannot happen while every counter is
    // charged once per call, see policy.Verdicts#charge): the one that ran out, until it refills
    return new Quota.Outcome.Exhausted(full, "session", full.window().toSeconds());
  }

  /** Returned by {@link #takeOne} when the limit has no room (nothing was taken). */
  private static final long NO_ROOM = Long.MIN_VALUE;

  /**
   * Takes {@code need} permits of {@code l} if it has room (its credit first, then the limiter):
   * the cycle they were taken in, or {@link #NO_ROOM} with nothing taken. One question to the
   * limiter when the credit does not cover it: a non-blocking acquire takes all or nothing.
   */
  private long takeOne(String session, Limit l, int need) {
    if (need > l.max()) {
      return NO_ROOM;
    }
    Counter c = counter(session, l);
    long cycle = c.cycle(now);
    long fromCredit = c.creditCycle == cycle ? Math.min(c.credit, need) : 0;
    if (need > fromCredit && !c.limiter.acquirePermission(need - (int) fromCredit)) {
      return NO_ROOM;
    }
    c.credit -= fromCredit;
    return cycle;
  }

  /** Gives back permits taken in {@code cycles}; those of a cycle that has ended are gone. */
  public synchronized void refund(String session, Map<Limit, Integer> permits,
      Map<Limit, Long> cycles) {
    now = nanoClock.getAsLong();
    for (Map.Entry<Limit, Integer> e : permits.entrySet()) {
      Long taken = cycles.get(e.getKey());
      if (taken != null) {
        giveBack(counter(session, e.getKey()), e.getKey(), e.getValue(), taken);
      }
    }
  }

  /** Credits {@code permits} taken in {@code cycle} back to {@code c}, if that cycle is now. */
  private void giveBack(Counter c, Limit l, int permits, long cycle) {
    long current = c.cycle(now);
    if (cycle != current) {
      return; // the window it was taken in has ended: nothing to give back
    }
    if (c.creditCycle != current) {
      c.creditCycle = current;
      c.credit = 0;
    }
    c.credit = Math.min(l.max(), c.credit + permits);
  }

  /** Permits left now in {@code limit}'s current cycle for {@code session}. */
  public synchronized int available(String session, Limit limit) {
    now = nanoClock.getAsLong();
    Counter c = counter(session, limit);
    AtomicRateLimiter.AtomicRateLimiterMetrics m = c.limiter.getDetailedMetrics();
    return available(c, c.cycle(now), m.getAvailablePermissions());
  }

  private static int available(Counter c, long cycle, int permissions) {
    return c.creditCycle == cycle ? permissions + (int) c.credit : permissions;
  }

  private static String key(String session, Limit limit) {
    return "session|" + session + "|" + limit.counter();
  }

  /**
   * Makes and asks a limiter of its own, which no session counts on, so that Resilience4j's
   * classes are loaded and linked before a session's first limited call: ~9 ms of that call in a
   * fresh JVM with the launcher's flags (async-profiler). Takes no lock and changes nothing here.
   */
  public void warmUp() {
    AtomicRateLimiter warm = (AtomicRateLimiter) RateLimiter.of("warm-up",
        config(1, Duration.ofMinutes(1)), nanoClock::getAsLong);
    warm.acquirePermission(1);
    warm.getDetailedMetrics().getAvailablePermissions();
  }

  /** A limiter of {@code max} permits per {@code window} that never waits for one. */
  private static RateLimiterConfig config(int max, Duration window) {
    return RateLimiterConfig.custom()
        .limitForPeriod(max)
        .limitRefreshPeriod(window)
        .timeoutDuration(Duration.ZERO)
        .build();
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
    AtomicRateLimiter fresh = (AtomicRateLimiter) RateLimiter.of(key,
        config(limit.max(), limit.window()), () -> now);
    if (rl != null) {
      AtomicRateLimiter.AtomicRateLimiterMetrics m = rl.getDetailedMetrics();
      int used = c.max - Math.max(0, available(c, c.cycle(now), m.getAvailablePermissions()));
      c.creditCycle = 0; // credits belong to the old limiter's cycles
      c.credit = 0;
      if (used > 0) {
        fresh.acquirePermission(Math.min(used, limit.max()));
      }
    }
    c.limiter = fresh;
    c.max = limit.max();
    c.window = limit.window();
    c.origin = now; // what the new limiter read from its clock when it was made
    c.periodNanos = limit.window().toNanos();
  }
}
