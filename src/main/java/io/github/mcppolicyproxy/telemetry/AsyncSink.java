package io.github.mcppolicyproxy.telemetry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Hands finished calls to another sink on a thread of its own, so that building spans and metrics
 * never runs on the proxy's pumps. At most {@link #QUEUE} calls wait; beyond that they are dropped
 * (telemetry never holds a frame up).
 */
final class AsyncSink implements CallSink {
  static final int QUEUE = 10_000;

  private final CallSink sink;
  private final ThreadPoolExecutor thread;

  AsyncSink(CallSink sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUE), r -> {
          Thread t = new Thread(r, "telemetry");
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
  }

  @Override
  public void record(CallRecord call) {
    thread.execute(() -> sink.record(call));
  }

  @Override
  public void close(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    thread.shutdown();
    try {
      thread.awaitTermination(timeout.toMillis() / 3, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sink.close(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
  }
}
