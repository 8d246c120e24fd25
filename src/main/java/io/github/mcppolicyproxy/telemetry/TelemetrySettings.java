package io.github.mcppolicyproxy.telemetry;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and as whom metrics and traces are sent: an OTLP/HTTP base URL (the signal paths
 * {@code /v1/traces} and {@code /v1/metrics} are appended, as for
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}), the service name, resource attributes and request headers.
 *
 * @param endpoint the collector's base URL, {@code http} or {@code https}
 * @param serviceName the resource's {@code service.name}
 * @param resource further resource attributes
 * @param headers headers sent with every export (an API key, say)
 * @param notes what the environment asked for that is not honoured, for stderr
 */
public record TelemetrySettings(URI endpoint, String serviceName, Map<String, String> resource,
    Map<String, String> headers, List<String> notes) {
  /** The service name when neither {@code OTEL_SERVICE_NAME} nor the resource attributes give one. */
  public static final String DEFAULT_SERVICE_NAME = "mcp-policy-proxy";

  public TelemetrySettings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(serviceName, "serviceName");
    resource = Map.copyOf(resource);
    headers = Map.copyOf(headers);
    notes = List.copyOf(notes);
  }

  /** The URL of one signal: {@code v1/traces} or {@code v1/metrics} under the base URL. */
  public String signal(String path) {
    String base = endpoint.toString();
    return (base.endsWith("/") ? base : base + "/") + path;
  }

  /**
   * The settings from {@code --otlp-endpoint} ({@code option}, may be null) or else the standard
   * {@code OTEL_*} variables of {@code env}; empty when neither names an endpoint or
   * {@code OTEL_SDK_DISABLED=true}.
   *
   * @throws IllegalArgumentException when the endpoint is not an http(s) URL
   */
  public static Optional<TelemetrySettings> resolve(String option, Map<String, String> env) {
    String url = option != null && !option.isBlank() ? option
        : env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "");
    if (url.isBlank() || (option == null
        && "true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "").trim()))) {
      return Optional.empty();
    }
    String what = option != null ? "--otlp-endpoint" : "OTEL_EXPORTER_OTLP_ENDPOINT";
    URI endpoint;
    try {
      endpoint = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(what + ": not a URL: " + url);
    }
    if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())
        || endpoint.getHost() == null) {
      throw new IllegalArgumentException(what + ": must be an http:// or https:// URL with a"
          + " host (the collector's OTLP/HTTP port, usually 4318): " + url);
    }
    Map<String, String> resource = pairs(env.get("OTEL_RESOURCE_ATTRIBUTES"),
        "OTEL_RESOURCE_ATTRIBUTES");
    String service = env.getOrDefault("OTEL_SERVICE_NAME", "").trim();
    if (service.isEmpty()) {
      service = resource.getOrDefault("service.name", DEFAULT_SERVICE_NAME);
    }
    resource.remove("service.name");
    List<String> notes = new java.util.ArrayList<>();
    String protocol = env.getOrDefault("OTEL_EXPORTER_OTLP_PROTOCOL", "").trim();
    if (!protocol.isEmpty() && !protocol.equals("http/protobuf")) {
      notes.add("OTEL_EXPORTER_OTLP_PROTOCOL=" + protocol + " is not supported: sending"
          + " http/protobuf");
    }
    return Optional.of(new TelemetrySettings(endpoint, service, resource,
        pairs(env.get("OTEL_EXPORTER_OTLP_HEADERS"), "OTEL_EXPORTER_OTLP_HEADERS"), notes));
  }

  /** {@code k1=v1,k2=v2} with percent-encoded values (the OTEL_* list format); bad entries skipped. */
  static Map<String, String> pairs(String list, String what) {
    Map<String, String> out = new LinkedHashMap<>();
    if (list == null || list.isBlank()) {
      return out;
    }
    for (String entry : list.split(",")) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = entry.substring(0, eq).trim();
      String value = entry.substring(eq + 1).trim();
      try {
        value = URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        // not percent-encoded after all: taken as written
      }
      if (!key.isEmpty()) {
        out.put(key, value);
      }
    }
    return out;
  }
}
