/**
 * Metrics and traces for fleets, opt-in ({@code --otlp-endpoint}). The proxy's pipeline is not
 * touched: {@link io.github.mcppolicyproxy.telemetry.Telemetry} decorates the client's streams,
 * the upstream's streams and the violation log when an endpoint is given, and is the identity when
 * not. The OpenTelemetry SDK lives in {@code telemetry.otel} and is loaded by name only when an
 * endpoint is given, so a proxy without one loads no OpenTelemetry class.
 */
package io.github.mcppolicyproxy.telemetry;
