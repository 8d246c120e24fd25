package io.github.mcppolicyproxy.telemetry;

/**
 * One {@code tools/call} from the moment the proxy read it to the moment it wrote the answer.
 *
 * @param tool {@code params.name}
 * @param requestId the request's id as a string
 * @param sessionId the proxy's session
 * @param decision {@code allowed} (forwarded), a refusal code ({@code denied}, {@code rate_limited},
 *     ...) or {@code not_forwarded} (answered by the proxy without a refusal: a malformed call, a
 *     question to the client's person, an upstream that was not reading)
 * @param enforced false when a monitor-mode policy only logged the refusal and forwarded the call
 * @param forwarded true when the call reached the upstream
 * @param traceparent the client's W3C trace context from {@code params._meta}, or null
 * @param tracestate its {@code tracestate}, or null
 * @param protocolVersion the revision named in the request's {@code _meta}, else the one the
 *     {@code initialize} answer named, or null
 * @param startEpochNanos when the proxy read the request
 * @param endEpochNanos when the proxy wrote the answer (or the session ended without one)
 * @param addedNanos the proxy's own time: read to answered for a call the proxy answered; read
 *     to written to the upstream plus upstream answer read to written to the client for a
 *     forwarded one
 * @param errorType {@code error.type}: a JSON-RPC error code, {@code tool_error}, {@code no_answer}
 *     or null
 * @param errorMessage the JSON-RPC error's message, or null
 */
public record CallRecord(String tool, String requestId, String sessionId, String decision,
    boolean enforced, boolean forwarded, String traceparent, String tracestate,
    String protocolVersion, long startEpochNanos, long endEpochNanos, long addedNanos,
    String errorType, String errorMessage) {}
