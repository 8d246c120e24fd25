package io.github.mcppolicyproxy.proxy;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of one proxy session. Immutable.
 *
 * @param sessionId names the session in the log and keys its {@code session}-scoped limits
 * @param maxFrameBytes the largest frame accepted in either direction
 * @param maxPending how many client requests may wait for the upstream at once
 * @param maxQueuedBytes how many bytes of client frames may wait for the upstream to read them
 * @param shutdownGrace how long the upstream gets to exit after its stdin is closed
 * @param requireAudit refuse every call while the violation log cannot be written
 * @param stderr where diagnostics and the short human line per refusal go
 * @param refundOnUpstreamFailure give back the quota of a call the upstream answered with a
 *     JSON-RPC error or died before answering ({@code --no-refund} turns it off)
 */
public record ProxyConfig(
    String sessionId,
    int maxFrameBytes,
    int maxPending,
    long maxQueuedBytes,
    RefusalStyle refusalStyle,
    Duration shutdownGrace,
    boolean requireAudit,
    boolean logArgumentValues,
    Clock clock,
    PrintStream stderr,
    boolean refundOnUpstreamFailure) {

  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
  public static final int DEFAULT_MAX_PENDING = 10_000;
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofMillis(1000);

  /** The settings with refunds on upstream failures on (the default). */
  public ProxyConfig(String sessionId, int maxFrameBytes, int maxPending, long maxQueuedBytes,
      RefusalStyle refusalStyle, Duration shutdownGrace, boolean requireAudit,
      boolean logArgumentValues, Clock clock, PrintStream stderr) {
    this(sessionId, maxFrameBytes, maxPending, maxQueuedBytes, refusalStyle, shutdownGrace,
        requireAudit, logArgumentValues, clock, stderr, true);
  }

  public ProxyConfig {
    Objects.requireNonNull(sessionId, "sessionId");
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException("max frame bytes must be at least 1024: " + maxFrameBytes);
    }
    if (maxPending < 1) {
      throw new IllegalArgumentException("max pending must be at least 1: " + maxPending);
    }
    if (maxQueuedBytes < 1) {
      throw new IllegalArgumentException("max queued bytes must be at least 1: " + maxQueuedBytes);
    }
    Objects.requireNonNull(refusalStyle, "refusalStyle");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(stderr, "stderr");
  }
}
