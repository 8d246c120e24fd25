package io.github.mcppolicyproxy.telemetry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP receiver on loopback: accepts {@code POST /v1/traces} and {@code /v1/metrics}
 * with protobuf bodies (gzip or not), decodes them with the official opentelemetry-proto classes
 * (independent of the SDK that sent them) and answers 200 with an empty export response, as a
 * collector does.
 */
public final class OtlpReceiver implements AutoCloseable {
  private final HttpServer server;
  public final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
  public final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
  public final List<String> requests = new CopyOnWriteArrayList<>();
  /** The {@code x-api-key} header of each request (an OTEL_EXPORTER_OTLP_HEADERS entry). */
  public final List<String> apiKeys = new CopyOnWriteArrayList<>();

  public OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      requests.add(x.getRequestMethod() + " " + x.getRequestURI().getPath() + " "
          + x.getRequestHeaders().getFirst("Content-Type"));
      String key = x.getRequestHeaders().getFirst("x-api-key");
      if (key != null) {
        apiKeys.add(key);
      }
      InputStream in = x.getRequestBody();
      if ("gzip".equalsIgnoreCase(x.getRequestHeaders().getFirst("Content-Encoding"))) {
        in = new GZIPInputStream(in);
      }
      byte[] body = in.readAllBytes();
      byte[] answer;
      switch (x.getRequestURI().getPath()) {
        case "/v1/traces" -> {
          traces.add(ExportTraceServiceRequest.parseFrom(body));
          answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        }
        case "/v1/metrics" -> {
          metrics.add(ExportMetricsServiceRequest.parseFrom(body));
          answer = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
        }
        default -> {
          x.sendResponseHeaders(404, -1);
          return;
        }
      }
      x.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      x.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        x.getResponseBody().write(answer);
      }
    }
  }

  public List<Span> spans() {
    List<Span> out = new ArrayList<>();
    traces.forEach(t -> t.getResourceSpansList().forEach(r -> r.getScopeSpansList()
        .forEach(s -> out.addAll(s.getSpansList()))));
    return out;
  }

  public List<Metric> metrics(String name) {
    List<Metric> out = new ArrayList<>();
    metrics.forEach(m -> m.getResourceMetricsList().forEach(r -> r.getScopeMetricsList()
        .forEach(s -> s.getMetricsList().stream().filter(x -> x.getName().equals(name))
            .forEach(out::add))));
    return out;
  }

  /** The resource attributes of the first export of traces. */
  public Map<String, String> traceResource() {
    return attributes(traces.get(0).getResourceSpans(0).getResource().getAttributesList());
  }

  public static Map<String, String> attributes(List<KeyValue> kvs) {
    return kvs.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> switch (
        kv.getValue().getValueCase()) {
      case BOOL_VALUE -> Boolean.toString(kv.getValue().getBoolValue());
      case INT_VALUE -> Long.toString(kv.getValue().getIntValue());
      case DOUBLE_VALUE -> Double.toString(kv.getValue().getDoubleValue());
      default -> kv.getValue().getStringValue();
    }, (a, b) -> b));
  }

  public static String hex(com.google.protobuf.ByteString b) {
    return HexFormat.of().formatHex(b.toByteArray());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
