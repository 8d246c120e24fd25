package io.github.mcppolicyproxy.limits;

import io.github.mcppolicyproxy.limits.store.MemoryStore;
import io.github.mcppolicyproxy.policy.Limit;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The counts behind the policy's limits. A call's permits (limit → count) are reserved all or
 * nothing: a refused call takes nothing from any limit. {@code session} limits live in this
 * process; {@code grant} and {@code global} limits live in a shared counter store. Thread-safe.
 */
public interface Quota extends AutoCloseable {

  /** Takes every permit of a call, or none, and says why not. */
  Outcome reserve(String session, Map<Limit, Integer> permits);

  /** Gives back what {@code reservation} took (if its windows are still current). Never blocks. */
  void refund(Reservation reservation);

  /** What {@link #reserve} would answer now, taking nothing. */
  Outcome peek(String session, Map<Limit, Integer> permits);

  /**
   * Loads and links what the first limited call needs, counting nothing: for a background thread
   * at start-up, so that the agent's first such call does not pay it.
   */
  default void warmUp() {}

  /** Releases the store (waits briefly for refunds still on their way). */
  @Override
  default void close() {}

  /** The outcome of a reservation. */
  sealed interface Outcome {
    /** Every permit was taken; {@code reservation} gives them back. */
    record Granted(Reservation reservation) implements Outcome {
      public Granted {
        Objects.requireNonNull(reservation, "reservation");
      }
    }

    /**
     * {@code limit} had no room in {@code scope} ("session", "grant team-a", "global"); nothing
     * was taken; a retry can succeed after {@code retryAfterSeconds}.
     */
    record Exhausted(Limit limit, String scope, long retryAfterSeconds) implements Outcome {}

    /** The shared store could not be asked (closed fail mode); nothing was taken. */
    record Unavailable(String why, long retryAfterSeconds) implements Outcome {}
  }

  /**
   * What a granted call took: its session permits (with the limiter cycle they were taken in) and
   * its shared counters ({@code fallback}: taken in this process's memory while the store was out).
   */
  record Reservation(String session, Map<Limit, Integer> sessionPermits, Map<Limit, Long> cycles,
      List<io.github.mcppolicyproxy.limits.store.Take> shared, boolean fallback) {
    /** A reservation that took nothing. */
    public static final Reservation NONE =
        new Reservation("", Map.of(), Map.of(), List.of(), false);

    public Reservation {
      sessionPermits = Map.copyOf(sessionPermits);
      cycles = Map.copyOf(cycles);
      shared = List.copyOf(shared);
    }

    /** True when nothing was taken. */
    public boolean isEmpty() {
      return sessionPermits.isEmpty() && shared.isEmpty();
    }
  }

  /**
   * Everything in this process's memory (shared limits counted in this process only), with
   * {@code grant} named "default": for tests, {@code explain} and the demo.
   */
  static Quota inMemory(LongSupplier nanoClock, Clock clock) {
    return inMemory(nanoClock, clock, "default");
  }

  /** Everything in this process's memory, {@code grant} counters named for {@code grant}. */
  static Quota inMemory(LongSupplier nanoClock, Clock clock, String grant) {
    return new TieredQuota(new SessionLimiters(nanoClock), new MemoryStore(), grant, clock,
        TieredQuota.FailMode.CLOSED, s -> { });
  }
}
