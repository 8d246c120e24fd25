package io.github.mcppolicyproxy.telemetry;

import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.process.Upstream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Duration;

/**
 * What the composition root wraps so that {@code tools/call}s are measured: the client's streams,
 * the upstream and the violation log. {@link #OFF} returns each of them unchanged, so a proxy
 * without an endpoint runs exactly the code it ran before; {@link #start} gives decorators that
 * watch the frames and never change, delay or fail them.
 */
public interface Telemetry {
  /** No telemetry: every method returns its argument; nothing is loaded, allocated or sent. */
  Telemetry OFF = new Telemetry() {
    @Override
    public InputStream fromClient(InputStream in) {
      return in;
    }

    @Override
    public OutputStream toClient(OutputStream out) {
      return out;
    }

    @Override
    public Upstream upstream(Upstream upstream) {
      return upstream;
    }

    @Override
    public ViolationLog log(ViolationLog log) {
      return log;
    }

    @Override
    public void close() {}
  };

  /** The fully qualified name of the sink on the OpenTelemetry SDK, loaded only when enabled. */
  String OTEL_SINK = "io.github.mcppolicyproxy.telemetry.otel.OtelCallSink";

  /** The client's frames, as the proxy reads them. */
  InputStream fromClient(InputStream in);

  /** The frames to the client, as the proxy writes them. */
  OutputStream toClient(OutputStream out);

  /** The upstream, whose stdin and stdout are watched the same way. */
  Upstream upstream(Upstream upstream);

  /** The violation log, whose refusals give each call its decision. */
  ViolationLog log(ViolationLog log);

  /**
   * Ends the calls still open, sends what is buffered and stops, waiting at most about
   * {@link #CLOSE_TIMEOUT}: a collector that is down never holds up the exit for longer.
   */
  void close();

  /** The longest {@link #close} waits for the collector. */
  Duration CLOSE_TIMEOUT = Duration.ofMillis(1500);

  /**
   * Telemetry for one session sent as {@code settings} say, on the OpenTelemetry SDK, which is
   * loaded by name and started on a thread of its own (start-up does not wait for it). When it
   * cannot start, {@code stderr} says so and the calls are not recorded: metrics never stop the
   * proxy.
   */
  static Telemetry start(TelemetrySettings settings, String sessionId, Clock clock,
      PrintStream stderr) {
    settings.notes().forEach(n -> stderr.println("mcp-policy-proxy: telemetry: " + n));
    CallSink sink = new AsyncSink(() -> {
      try {
        CallSink sdk = (CallSink) Class.forName(OTEL_SINK)
            .getConstructor(TelemetrySettings.class).newInstance(settings);
        stderr.println("mcp-policy-proxy: sending metrics and traces to " + settings.endpoint()
            + " (OTLP/HTTP) as service " + settings.serviceName());
        return sdk;
      } catch (InvocationTargetException e) {
        stderr.println("mcp-policy-proxy: telemetry is off: " + e.getCause());
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        stderr.println("mcp-policy-proxy: telemetry is off: " + e);
      }
      return null;
    });
    return new TappedTelemetry(new CallTracker(sessionId, sink, clock, System::nanoTime), sink,
        stderr);
  }
}
