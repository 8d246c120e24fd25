package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mcppolicyproxy.telemetry.OtlpReceiver;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics for fleets against a real OTLP/HTTP receiver on loopback ({@link OtlpReceiver}): the
 * packaged proxy in front of the stand-in sends one span per tools/call that continues the
 * client's traceparent, the decision counter and the added-time histogram; without an endpoint it
 * loads no OpenTelemetry class; a collector that never answers hurts no call and delays the exit by
 * at most the export timeout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TelemetryIT {
  private static final String POLICY =
      "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"suggest_aws_commands\":{}}}";
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT_1 = "00f067aa0ba902b7";
  private static final String PARENT_2 = "a3ce929d0e0e4736";

  @TempDir
  Path dir;

  private List<String> args(String... extra) throws Exception {
    Path policy = ProxyProcess.write(dir, "p.json", POLICY);
    List<String> a = new ArrayList<>(List.of("--policy", policy.toString(), "--violation-log",
        dir.resolve("v.jsonl").toString(), "--session-id", "sess-otel"));
    a.addAll(List.of(extra));
    a.add("--");
    a.addAll(ProxyProcess.standIn());
    return a;
  }

  private static String call(int id, String tool, String args, String parent) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{"
        + "\"name\":\"" + tool + "\",\"arguments\":" + args + ",\"_meta\":{\"traceparent\":\"00-"
        + TRACE + "-" + parent + "-01\",\"tracestate\":\"rojo=00f067aa0ba902b7\"}}}";
  }

  /** An allowed and a refused call; returns the milliseconds from closing stdin to the exit. */
  private static long twoCallsThenExit(ProxyProcess p) throws Exception {
    return callsThenExit(p, 1);
  }

  /** {@code pairs} allowed and refused calls, ids 2, 3, 4, ...; then the exit, as above. */
  private static long callsThenExit(ProxyProcess p, int pairs) throws Exception {
    p.initialize(Duration.ofSeconds(60));
    for (int i = 0; i < pairs; i++) {
      p.send(call(2 + 2 * i, "suggest_aws_commands", "{\"query\":\"list buckets\"}",
          PARENT_1));
      JsonNode allowed = p.answerTo(2 + 2 * i);
      assertThat(allowed.path("result").path("isError").asBoolean()).as(allowed.toString())
          .isFalse();
      p.send(call(3 + 2 * i, "call_aws", "{\"cli_command\":\"aws s3 ls\"}", PARENT_2));
      JsonNode refused = p.answerTo(3 + 2 * i);
      assertThat(refused.path("result").path("isError").asBoolean()).as(refused.toString())
          .isTrue();
    }
    long closed = System.nanoTime();
    p.closeStdin();
    assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
    return (System.nanoTime() - closed) / 1_000_000;
  }

  @Test
  void spansContinueTheClientsTraceAndMetricsCountDecisionsByToolAndCode() throws Exception {
    try (OtlpReceiver otlp = new OtlpReceiver();
        ProxyProcess p = ProxyProcess.start(args("--otlp-endpoint", otlp.url()),
            Map.of("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=it,team=sec%20ops",
                "OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=s3cr%3Dt"),
            List.of())) {
      long exitMs = callsThenExit(p, 5);
      System.out.println("TelemetryIT: exit " + exitMs + " ms after stdin closed (collector up)");
      assertThat(otlp.requests).as(p.stderr()).allMatch(r -> r.startsWith("POST /v1/")
          && r.endsWith("application/x-protobuf"));

      assertThat(otlp.apiKeys).hasSize(otlp.requests.size()).containsOnly("s3cr=t");
      List<Span> spans = otlp.spans();
      assertThat(spans).as(p.stderr()).hasSize(10);
      spans.stream().sorted(java.util.Comparator.comparingLong(Span::getStartTimeUnixNano))
          .forEach(s -> System.out.printf("TelemetryIT: span %s id %s: %.2f ms%n", s.getName(),
              OtlpReceiver.attributes(s.getAttributesList()).get("jsonrpc.request.id"),
              (s.getEndTimeUnixNano() - s.getStartTimeUnixNano()) / 1e6));
      Span allowed = spans.stream().filter(s -> s.getName().equals(
          "tools/call suggest_aws_commands") && "2".equals(OtlpReceiver.attributes(
              s.getAttributesList()).get("jsonrpc.request.id"))).findFirst().orElseThrow();
      Span refused = spans.stream().filter(s -> s.getName().equals("tools/call call_aws")
          && "3".equals(OtlpReceiver.attributes(s.getAttributesList()).get("jsonrpc.request.id")))
          .findFirst().orElseThrow();
      for (Span s : spans) {
        assertThat(OtlpReceiver.hex(s.getTraceId())).isEqualTo(TRACE);
        assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(s.getEndTimeUnixNano()).isGreaterThan(s.getStartTimeUnixNano());
        assertThat(s.getTraceState()).isEqualTo("rojo=00f067aa0ba902b7");
      }
      assertThat(OtlpReceiver.hex(allowed.getParentSpanId())).isEqualTo(PARENT_1);
      assertThat(OtlpReceiver.hex(refused.getParentSpanId())).isEqualTo(PARENT_2);
      assertThat(OtlpReceiver.attributes(allowed.getAttributesList()))
          .containsEntry("mcp.method.name", "tools/call")
          .containsEntry("gen_ai.tool.name", "suggest_aws_commands")
          .containsEntry("gen_ai.operation.name", "execute_tool")
          .containsEntry("jsonrpc.request.id", "2")
          .containsEntry("mcp.session.id", "sess-otel")
          .containsEntry("network.transport", "pipe")
          .containsEntry("mcp.protocol.version", "2025-06-18")
          .containsEntry("mcp_policy_proxy.decision", "allowed")
          .containsEntry("mcp_policy_proxy.forwarded", "true")
          .doesNotContainKey("error.type");
      assertThat(allowed.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
      assertThat(OtlpReceiver.attributes(refused.getAttributesList()))
          .containsEntry("gen_ai.tool.name", "call_aws")
          .containsEntry("jsonrpc.request.id", "3")
          .containsEntry("mcp_policy_proxy.decision", "denied")
          .containsEntry("mcp_policy_proxy.enforced", "true")
          .containsEntry("mcp_policy_proxy.forwarded", "false")
          .containsEntry("error.type", "tool_error");
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(otlp.traceResource()).containsEntry("service.name", "mcp-policy-proxy")
          .containsEntry("deployment.environment", "it").containsEntry("team", "sec ops");

      List<Metric> decisions = otlp.metrics("mcp_policy_proxy.decisions");
      assertThat(decisions).isNotEmpty();
      Map<String, Long> byToolAndCode = new java.util.HashMap<>();
      decisions.forEach(m -> m.getSum().getDataPointsList().forEach(d -> {
        Map<String, String> a = OtlpReceiver.attributes(d.getAttributesList());
        byToolAndCode.merge(a.get("gen_ai.tool.name") + "/" + a.get("mcp_policy_proxy.decision"),
            d.getAsInt(), Math::max); // cumulative: the last export holds the total
      }));
      assertThat(byToolAndCode).containsExactlyInAnyOrderEntriesOf(Map.of(
          "suggest_aws_commands/allowed", 5L, "call_aws/denied", 5L));
      List<Metric> added = otlp.metrics("mcp_policy_proxy.added_duration");
      assertThat(added).isNotEmpty();
      long count = added.get(added.size() - 1).getHistogram().getDataPointsList().stream()
          .mapToLong(d -> d.getCount()).sum();
      assertThat(count).isEqualTo(10);
      assertThat(added.get(added.size() - 1).getUnit()).isEqualTo("s");
      added.get(added.size() - 1).getHistogram().getDataPointsList().forEach(d ->
          System.out.printf("TelemetryIT: added time %s: count %d, sum %.3f ms%n",
              OtlpReceiver.attributes(d.getAttributesList()), d.getCount(), d.getSum() * 1000));
      assertThat(otlp.metrics("mcp.server.operation.duration")).isNotEmpty();
    }
  }

  @Test
  void manyCallsInFlightAtOnceGiveOneSpanEachWithTheRightDecision() throws Exception {
    int n = 40;
    try (OtlpReceiver otlp = new OtlpReceiver();
        ProxyProcess p = ProxyProcess.start(args("--otlp-endpoint", otlp.url()))) {
      p.initialize(Duration.ofSeconds(60));
      StringBuilder all = new StringBuilder();
      for (int i = 0; i < n; i++) {
        all.append(i % 2 == 0
            ? call(100 + i, "suggest_aws_commands", "{\"query\":\"q" + i + "\"}", PARENT_1)
            : call(100 + i, "call_aws", "{\"cli_command\":\"aws s3 ls\"}", PARENT_2))
            .append('\n');
      }
      p.sendBytes(all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      java.util.Set<Integer> answered = new java.util.HashSet<>();
      while (answered.size() < n) {
        JsonNode a = p.next();
        if (!a.has("method")) {
          answered.add(a.path("id").asInt());
        }
      }
      p.closeStdin();
      assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
      List<Span> spans = otlp.spans();
      assertThat(spans).as(p.stderr()).hasSize(n);
      for (Span s : spans) {
        Map<String, String> a = OtlpReceiver.attributes(s.getAttributesList());
        int id = Integer.parseInt(a.get("jsonrpc.request.id"));
        boolean allowed = id % 2 == 0;
        assertThat(a).as("call %d", id)
            .containsEntry("mcp_policy_proxy.decision", allowed ? "allowed" : "denied")
            .containsEntry("mcp_policy_proxy.forwarded", Boolean.toString(allowed));
        assertThat(OtlpReceiver.hex(s.getParentSpanId())).isEqualTo(allowed ? PARENT_1 : PARENT_2);
      }
    }
  }

  @Test
  void withoutAnEndpointNoOpenTelemetryClassIsLoadedAndNothingIsSent() throws Exception {
    Path classes = dir.resolve("classes.log");
    Path withOtel = dir.resolve("classes-otel.log");
    try (OtlpReceiver otlp = new OtlpReceiver()) {
      try (ProxyProcess p = ProxyProcess.start(args(), Map.of(),
          List.of("-Xlog:class+load=info:file=" + classes))) {
        twoCallsThenExit(p);
      }
      assertThat(otlp.requests).isEmpty();
      try (ProxyProcess p = ProxyProcess.start(args("--otlp-endpoint", otlp.url()), Map.of(),
          List.of("-Xlog:class+load=info:file=" + withOtel))) {
        twoCallsThenExit(p);
      }
      assertThat(otlp.requests).isNotEmpty();
    }
    long off = Files.readAllLines(classes).stream().filter(l -> l.contains("io.opentelemetry"))
        .count();
    long on = Files.readAllLines(withOtel).stream().filter(l -> l.contains("io.opentelemetry"))
        .count();
    long ours = Files.readAllLines(classes).stream()
        .filter(l -> l.contains("io.github.mcppolicyproxy.telemetry")).count();
    System.out.println("TelemetryIT: io.opentelemetry classes loaded: " + off + " without an"
        + " endpoint, " + on + " with one; telemetry classes of ours without: " + ours);
    assertThat(off).isZero();
    assertThat(on).as("the measurement sees them when they load").isPositive();
  }

  @Test
  void anEndpointThatIsNotAUrlIsNamedToTheClientAndNothingStarts() throws Exception {
    try (ProxyProcess p = ProxyProcess.start(args("--otlp-endpoint", "localhost:4318"))) {
      JsonNode error = p.initialize(Duration.ofSeconds(60)).path("error");
      assertThat(error.path("code").asInt()).isEqualTo(-32010);
      assertThat(error.path("message").asText()).contains("--otlp-endpoint")
          .contains("localhost:4318");
      assertThat(p.waitFor(Duration.ofSeconds(20))).isEqualTo(2);
      assertThat(p.stderr()).doesNotContain("upstream pid");
    }
    assertThat(dir.resolve("v.jsonl")).doesNotExist();
  }

  @Test
  void aCollectorThatNeverAnswersHurtsNoCallAndDelaysTheExitByLittle() throws Exception {
    // a listening socket that never accepts: connections hang in the backlog, no answer ever comes
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      long baseline;
      try (ProxyProcess p = ProxyProcess.start(args())) {
        baseline = twoCallsThenExit(p);
      }
      long dead;
      try (ProxyProcess p = ProxyProcess.start(args("--otlp-endpoint",
          "http://127.0.0.1:" + silent.getLocalPort()))) {
        dead = twoCallsThenExit(p);
        assertThat(p.stderr()).as("one line per failed export, no stack trace")
            .contains("mcp-policy-proxy: telemetry: ").doesNotContain("\tat ");
      }
      System.out.println("TelemetryIT: exit after stdin closed: " + baseline + " ms without"
          + " telemetry, " + dead + " ms with a collector that never answers");
      assertThat(dead - baseline).as("the bounded flush").isLessThan(2500);
    }
  }
}
