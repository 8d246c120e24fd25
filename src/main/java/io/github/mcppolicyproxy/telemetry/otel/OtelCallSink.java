package io.github.mcppolicyproxy.telemetry.otel;

import io.github.mcppolicyproxy.telemetry.CallRecord;
import io.github.mcppolicyproxy.telemetry.CallSink;
import io.github.mcppolicyproxy.telemetry.TelemetrySettings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Finished calls as OpenTelemetry signals, sent over OTLP/HTTP (protobuf) by the JDK's HTTP client:
 * one {@code SERVER} span per {@code tools/call} after the MCP semantic conventions (name
 * {@code tools/call {tool}}, {@code mcp.method.name}, {@code gen_ai.tool.name},
 * {@code gen_ai.operation.name = execute_tool}, {@code jsonrpc.request.id}, {@code mcp.session.id},
 * {@code network.transport = pipe}, {@code error.type}), child of the client's {@code traceparent};
 * the conventions' {@code mcp.server.operation.duration}; and the proxy's own
 * {@code mcp_policy_proxy.decisions} counter and {@code mcp_policy_proxy.added_duration} histogram.
 * Loaded by name ({@code Telemetry.OTEL_SINK}) only when telemetry is on.
 */
public final class OtelCallSink implements CallSink {
  static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(1);
  static final String SCOPE = "io.github.mcppolicyproxy";

  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("mcp.method.name");
  private static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");
  private static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey("gen_ai.operation.name");
  private static final AttributeKey<String> REQUEST_ID =
      AttributeKey.stringKey("jsonrpc.request.id");
  private static final AttributeKey<String> SESSION = AttributeKey.stringKey("mcp.session.id");
  private static final AttributeKey<String> PROTOCOL =
      AttributeKey.stringKey("mcp.protocol.version");
  private static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("network.transport");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<String> STATUS_CODE =
      AttributeKey.stringKey("rpc.response.status_code");
  private static final AttributeKey<String> DECISION =
      AttributeKey.stringKey("mcp_policy_proxy.decision");
  private static final AttributeKey<Boolean> ENFORCED =
      AttributeKey.booleanKey("mcp_policy_proxy.enforced");
  private static final AttributeKey<Boolean> FORWARDED =
      AttributeKey.booleanKey("mcp_policy_proxy.forwarded");

  private static final TextMapGetter<Map<String, String>> META = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  /** Held: java.util.logging keeps loggers only weakly. */
  private static final java.util.logging.Logger SDK_LOG =
      java.util.logging.Logger.getLogger("io.opentelemetry");

  private final SdkTracerProvider tracerProvider;
  private final SdkMeterProvider meterProvider;
  private final Tracer tracer;
  private final LongCounter decisions;
  private final DoubleHistogram added;
  private final DoubleHistogram duration;

  /** Starts the SDK for {@code settings}; nothing is sent until a call finishes. */
  public OtelCallSink(TelemetrySettings settings) {
    oneLineWarnings();
    io.opentelemetry.api.common.AttributesBuilder resource = Attributes.builder()
        .put(AttributeKey.stringKey("service.name"), settings.serviceName());
    settings.resource().forEach((k, v) -> resource.put(AttributeKey.stringKey(k), v));
    Resource r = Resource.getDefault().merge(Resource.create(resource.build()));

    OtlpHttpSpanExporterBuilder spans = OtlpHttpSpanExporter.builder()
        .setEndpoint(settings.signal("v1/traces"))
        .setTimeout(EXPORT_TIMEOUT).setConnectTimeout(EXPORT_TIMEOUT);
    OtlpHttpMetricExporterBuilder metrics = OtlpHttpMetricExporter.builder()
        .setEndpoint(settings.signal("v1/metrics"))
        .setTimeout(EXPORT_TIMEOUT).setConnectTimeout(EXPORT_TIMEOUT);
    settings.headers().forEach((k, v) -> {
      spans.addHeader(k, v);
      metrics.addHeader(k, v);
    });
    tracerProvider = SdkTracerProvider.builder().setResource(r)
        .addSpanProcessor(BatchSpanProcessor.builder(spans.build())
            .setScheduleDelay(Duration.ofSeconds(2)).setExporterTimeout(EXPORT_TIMEOUT).build())
        .build();
    meterProvider = SdkMeterProvider.builder().setResource(r)
        .registerMetricReader(PeriodicMetricReader.builder(metrics.build())
            .setInterval(Duration.ofSeconds(30)).build())
        .build();
    tracer = tracerProvider.get(SCOPE);
    Meter meter = meterProvider.get(SCOPE);
    decisions = meter.counterBuilder("mcp_policy_proxy.decisions").setUnit("{call}")
        .setDescription("tools/call decisions by tool and decision (allowed or the refusal code)")
        .build();
    added = meter.histogramBuilder("mcp_policy_proxy.added_duration").setUnit("s")
        .setDescription("Time the proxy itself adds to a tools/call: read from the client to"
            + " written to the upstream plus read from the upstream to written to the client"
            + " (read to answered when the proxy answers)")
        .setExplicitBucketBoundariesAdvice(List.of(0.00005, 0.0001, 0.00025, 0.0005, 0.001,
            0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0))
        .build();
    duration = meter.histogramBuilder("mcp.server.operation.duration").setUnit("s")
        .setDescription("MCP request duration as observed on the receiver from the time it was"
            + " received until the result or ack is sent")
        .setExplicitBucketBoundariesAdvice(List.of(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0,
            5.0, 10.0, 30.0, 60.0, 120.0, 300.0))
        .build();
  }

  @Override
  public void record(CallRecord call) {
    try {
      String tool = call.tool() == null ? "" : call.tool();
      Context parent = Context.root();
      if (call.traceparent() != null) {
        Map<String, String> meta = new HashMap<>(2);
        meta.put("traceparent", call.traceparent());
        if (call.tracestate() != null) {
          meta.put("tracestate", call.tracestate());
        }
        parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), meta, META);
      }
      AttributesBuilder common = Attributes.builder().put(METHOD, "tools/call").put(TOOL, tool);
      if (call.errorType() != null) {
        common.put(ERROR_TYPE, call.errorType());
      }
      Attributes metric = common.build();
      AttributesBuilder a = metric.toBuilder().put(OPERATION, "execute_tool")
          .put(SESSION, call.sessionId()).put(TRANSPORT, "pipe")
          .put(DECISION, call.decision()).put(ENFORCED, call.enforced())
          .put(FORWARDED, call.forwarded());
      if (call.requestId() != null) {
        a.put(REQUEST_ID, call.requestId());
      }
      if (call.protocolVersion() != null) {
        a.put(PROTOCOL, call.protocolVersion());
      }
      if (call.errorType() != null && call.errorType().startsWith("-")) {
        a.put(STATUS_CODE, call.errorType());
      }
      Span span = tracer.spanBuilder(tool.isEmpty() ? "tools/call" : "tools/call " + tool)
          .setParent(parent).setSpanKind(SpanKind.SERVER)
          .setStartTimestamp(call.startEpochNanos(), TimeUnit.NANOSECONDS)
          .setAllAttributes(a.build()).startSpan();
      if (call.errorType() != null) {
        span.setStatus(StatusCode.ERROR, call.errorMessage() == null ? "" : call.errorMessage());
      }
      span.end(call.endEpochNanos(), TimeUnit.NANOSECONDS);
      decisions.add(1, Attributes.builder().put(TOOL, tool).put(DECISION, call.decision())
          .put(ENFORCED, call.enforced()).build());
      added.record(call.addedNanos() / 1e9, Attributes.builder().put(TOOL, tool)
          .put(DECISION, call.decision()).build());
      duration.record((call.endEpochNanos() - call.startEpochNanos()) / 1e9, metric);
    } catch (RuntimeException e) {
      // telemetry never fails a call
    }
  }

  /**
   * The SDK reports a failed export through java.util.logging with a stack trace; an operator gets
   * one line on stderr instead (the SDK already throttles them).
   */
  private static synchronized void oneLineWarnings() {
    if (!SDK_LOG.getUseParentHandlers()) {
      return;
    }
    SDK_LOG.setUseParentHandlers(false);
    java.util.logging.SimpleFormatter text = new java.util.logging.SimpleFormatter();
    SDK_LOG.addHandler(new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
          Throwable t = r.getThrown();
          System.err.println("mcp-policy-proxy: telemetry: " + text.formatMessage(r)
              + (t == null ? "" : " (" + t.getClass().getSimpleName() + ": " + t.getMessage()
                  + ")"));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
  }

  @Override
  public void close(Duration timeout) {
    CompletableResultCode.ofAll(List.of(tracerProvider.shutdown(), meterProvider.shutdown()))
        .join(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
