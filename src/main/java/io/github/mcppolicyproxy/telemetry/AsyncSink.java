package io.github.mcppolicyproxy.telemetry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Hands finished calls to another sink on a thread of its own, so that neither starting the SDK
 * nor building spans and metrics runs on the proxy's start-up path or its pumps. The sink is made
 * on that thread, first thing; at most {@link #QUEUE} calls wait, beyond that they are dropped
 * (telemetry never holds a frame up). A sink that cannot be made drops every call.
 */
final class AsyncSink implements CallSink {
  static final int QUEUE = 10_000;

  private final ThreadPoolExecutor thread;
  private volatile CallSink sink; // set on the thread; null until made or when it failed

  AsyncSink(Supplier<CallSink> factory) {
    Objects.requireNonNull(factory, "factory");
    this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUE), r -> {
          Thread t = new Thread(r, "telemetry");
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
    thread.execute(() -> sink = factory.get());
  }

  @Override
  public void record(CallRecord call) {
    thread.execute(() -> {
      CallSink s = sink;
      if (s != null) {
        s.record(call);
      }
    });
  }

  @Override
  public void close(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    thread.shutdown();
    try {
      thread.awaitTermination(timeout.toMillis() / 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    CallSink s = sink;
    if (s != null) {
      s.close(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
    }
  }
}
