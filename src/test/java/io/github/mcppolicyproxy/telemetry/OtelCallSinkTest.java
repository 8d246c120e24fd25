package io.github.mcppolicyproxy.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcppolicyproxy.telemetry.otel.OtelCallSink;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SDK sink against a real OTLP/HTTP receiver on loopback: what it sends on close, and how
 * long close takes when the collector is up or never answers.
 */
class OtelCallSinkTest {
  private static CallRecord call(String tool, String decision, String error) {
    long start = 1_764_000_000_000_000_000L;
    return new CallRecord(tool, "7", "s-1", decision, true, error == null,
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null, "2026-07-28", start,
        start + 3_000_000, 120_000, error, error == null ? null : "refused");
  }

  private static TelemetrySettings settings(String url) {
    return new TelemetrySettings(URI.create(url), "svc", Map.of(), Map.of("x-api-key", "k"),
        List.of());
  }

  @Test
  void closeSendsTheSpanAndTheMetricsAtOnce() throws Exception {
    try (OtlpReceiver otlp = new OtlpReceiver()) {
      OtelCallSink sink = new OtelCallSink(settings(otlp.url()));
      sink.record(call("read", "allowed", null));
      sink.record(call("rm", "denied", "tool_error"));
      long t = System.nanoTime();
      sink.close(Telemetry.CLOSE_TIMEOUT);
      long ms = (System.nanoTime() - t) / 1_000_000;
      System.out.println("OtelCallSinkTest: close with the collector up took " + ms + " ms");
      List<Span> spans = otlp.spans();
      assertThat(spans).extracting(Span::getName)
          .containsExactlyInAnyOrder("tools/call read", "tools/call rm");
      assertThat(OtlpReceiver.attributes(spans.get(0).getAttributesList()))
          .containsEntry("mcp.protocol.version", "2026-07-28");
      assertThat(otlp.metrics("mcp_policy_proxy.decisions")).isNotEmpty();
      assertThat(otlp.apiKeys).as("the headers go with every export").isNotEmpty()
          .hasSize(otlp.requests.size()).containsOnly("k");
    }
  }

  @Test
  void closeWithACollectorThatNeverAnswersReturnsWithinTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      OtelCallSink sink = new OtelCallSink(settings("http://127.0.0.1:" + silent.getLocalPort()));
      sink.record(call("read", "allowed", null));
      long t = System.nanoTime();
      sink.close(Duration.ofMillis(1500));
      long ms = (System.nanoTime() - t) / 1_000_000;
      System.out.println("OtelCallSinkTest: close with a silent collector took " + ms + " ms");
      assertThat(ms).isLessThan(2000);
    }
  }
}
