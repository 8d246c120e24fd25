package io.github.mcppolicyproxy.telemetry;

import io.github.mcppolicyproxy.audit.LogEvent;
import io.github.mcppolicyproxy.audit.Violation;
import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.process.Upstream;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Telemetry on: the four streams are watched by {@link LineTap}s feeding a {@link CallTracker},
 * and the violation log tells it each refusal. The frames pass unchanged; what is measured is
 * read from copies of their first bytes.
 */
final class TappedTelemetry implements Telemetry {
  private final CallTracker tracker;
  private final CallSink sink;
  private final java.io.PrintStream stderr;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  TappedTelemetry(CallTracker tracker, CallSink sink, java.io.PrintStream stderr) {
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.stderr = Objects.requireNonNull(stderr, "stderr");
  }

  @Override
  public InputStream fromClient(InputStream in) {
    return LineTap.watch(in, (b, n, t) -> tracker.fromClient(FrameFacts.of(b, n), t),
        tracker.nanos());
  }

  @Override
  public OutputStream toClient(OutputStream out) {
    return LineTap.watch(out, (b, n, t) -> tracker.toClient(FrameFacts.of(b, n), t),
        tracker.nanos());
  }

  @Override
  public Upstream upstream(Upstream upstream) {
    OutputStream stdin = LineTap.watch(upstream.stdin(),
        (b, n, t) -> tracker.toUpstream(FrameFacts.of(b, n), t), tracker.nanos());
    InputStream stdout = LineTap.watch(upstream.stdout(),
        (b, n, t) -> tracker.fromUpstream(FrameFacts.of(b, n), t), tracker.nanos());
    return new Upstream() {
      @Override
      public OutputStream stdin() {
        return stdin;
      }

      @Override
      public InputStream stdout() {
        return stdout;
      }

      @Override
      public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return upstream.awaitExit(timeout);
      }

      @Override
      public int stop(Duration grace) throws InterruptedException {
        return upstream.stop(grace);
      }

      @Override
      public List<String> stderrTail() {
        return upstream.stderrTail();
      }
    };
  }

  @Override
  public ViolationLog log(ViolationLog log) {
    return new ViolationLog() {
      @Override
      public boolean append(Violation v) {
        try {
          tracker.refused(v);
        } catch (RuntimeException e) {
          // telemetry only
        }
        return log.append(v);
      }

      @Override
      public boolean appendEvent(LogEvent e) {
        return log.appendEvent(e);
      }

      @Override
      public void warmUp(Violation sample) {
        log.warmUp(sample); // the tracker's part is not made ready: telemetry only
      }

      @Override
      public boolean healthy() {
        return log.healthy();
      }

      @Override
      public void close() {
        log.close();
      }
    };
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long t = System.nanoTime();
    tracker.close();
    sink.close(CLOSE_TIMEOUT);
    stderr.println("mcp-policy-proxy: telemetry flushed in " + (System.nanoTime() - t) / 1_000_000
        + " ms");
  }
}
