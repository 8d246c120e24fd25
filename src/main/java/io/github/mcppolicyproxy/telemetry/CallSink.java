package io.github.mcppolicyproxy.telemetry;

import java.time.Duration;

/** Where finished calls go: spans and metrics on an SDK, or a list in a test. */
public interface CallSink {
  /** Records one finished call. Never blocks on the network and never throws. */
  void record(CallRecord call);

  /** Sends what is buffered and stops, waiting at most {@code timeout}. */
  void close(Duration timeout);
}
