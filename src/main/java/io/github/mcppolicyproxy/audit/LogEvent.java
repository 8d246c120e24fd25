package io.github.mcppolicyproxy.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A record in the violation log that is not a refusal: a policy reload ({@code policy_reloaded}),
 * a reload that failed ({@code policy_reload_failed}), the summary of a session that ended
 * ({@code session_summary}), a redacted secret ({@code redacted}), a tool whose definition changed
 * ({@code tool_changed}). Events about one request or tool carry its id and name.
 *
 * @param event the kind, in snake_case; {@code tail --code} filters on it like on a refusal's code
 * @param requestId the id of the request concerned as raw JSON, or null when none
 * @param tool the tool concerned, or null when none
 * @param details further members of the record, in order (strings, numbers, booleans, lists, maps)
 * @param policySource the policy in force when written, or null when the writer does not know it
 * @param policySha256 that policy's SHA-256, or null when the writer does not know it
 */
public record LogEvent(
    Instant time,
    String session,
    String event,
    String requestId,
    String tool,
    Map<String, Object> details,
    String policySource,
    String policySha256) {

  public LogEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(event, "event");
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** An event about the session as a whole (no request, no tool). */
  public LogEvent(Instant time, String session, String event, Map<String, Object> details,
      String policySource, String policySha256) {
    this(time, session, event, null, null, details, policySource, policySha256);
  }

  /**
   * An event about one request or tool ({@code redacted}, {@code tool_changed}), written without
   * a policy hash: the integrity checks do not depend on which policy is in force.
   */
  public static LogEvent about(Instant time, String session, String requestId, String tool,
      String event, Map<String, ?> details) {
    return new LogEvent(time, session, event, requestId, tool, new LinkedHashMap<>(details), null,
        null);
  }

  /** True when the record names a request or a tool. */
  public boolean aboutACall() {
    return requestId != null || tool != null;
  }
}
