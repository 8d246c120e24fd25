package io.github.mcppolicyproxy.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetrySettingsTest {
  @Test
  void offUnlessTheOptionOrTheStandardVariableNamesAnEndpoint() {
    assertThat(TelemetrySettings.resolve(null, Map.of())).isEmpty();
    assertThat(TelemetrySettings.resolve(null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT",
        "http://c:4318", "OTEL_SDK_DISABLED", "true"))).isEmpty();
    assertThat(TelemetrySettings.resolve(null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT",
        "http://c:4318"))).get().satisfies(s -> {
          assertThat(s.signal("v1/traces")).isEqualTo("http://c:4318/v1/traces");
          assertThat(s.serviceName()).isEqualTo("mcp-policy-proxy");
        });
    assertThat(TelemetrySettings.resolve("https://o:4318/otlp/", Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"))).get()
        .satisfies(s -> assertThat(s.signal("v1/metrics"))
            .isEqualTo("https://o:4318/otlp/v1/metrics"));
  }

  @Test
  void serviceNameResourceAndHeadersComeFromTheStandardVariables() {
    TelemetrySettings s = TelemetrySettings.resolve("http://c:4318", Map.of(
        "OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs,team=sec%20ops,bad",
        "OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%3Db,x=1",
        "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")).orElseThrow();
    assertThat(s.serviceName()).isEqualTo("from-attrs");
    assertThat(s.resource()).containsExactlyEntriesOf(Map.of("team", "sec ops"));
    assertThat(s.headers()).containsEntry("api-key", "a=b").containsEntry("x", "1");
    assertThat(s.notes()).singleElement().asString().contains("grpc");
    assertThat(TelemetrySettings.resolve("http://c:4318", Map.of("OTEL_SERVICE_NAME", "svc",
        "OTEL_RESOURCE_ATTRIBUTES", "service.name=other")).orElseThrow().serviceName())
        .isEqualTo("svc");
  }

  @Test
  void anEndpointThatIsNotAnHttpUrlIsNamed() {
    assertThatThrownBy(() -> TelemetrySettings.resolve("localhost:4317", Map.of()))
        .hasMessageContaining("--otlp-endpoint").hasMessageContaining("http://");
    assertThatThrownBy(() -> TelemetrySettings.resolve(null,
        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "grpc://x y")))
        .hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT");
  }
}
