package io.github.mcppolicyproxy.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand: wall time for shared windows, nanoseconds for session limiters. */
public final class FakeClock extends Clock {
  private final AtomicLong millis;

  /** Starts at {@code start} (epoch milliseconds). */
  public FakeClock(long start) {
    this.millis = new AtomicLong(start);
  }

  public void advance(Duration d) {
    millis.addAndGet(d.toMillis());
  }

  /** Monotonic nanoseconds that move with this clock. */
  public long nanos() {
    return millis.get() * 1_000_000L;
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
