package io.github.mcppolicyproxy.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A record in the violation log that is not a refusal: a policy reload ({@code policy_reloaded}),
 * a reload that failed ({@code policy_reload_failed}), the summary of a session that ended
 * ({@code session_summary}). It carries the SHA-256 of the policy in force when it was written.
 *
 * @param event the kind, in snake_case; {@code tail --code} filters on it like on a refusal's code
 * @param details further members of the record, in order (strings, numbers, booleans, lists, maps)
 */
public record LogEvent(
    Instant time,
    String session,
    String event,
    Map<String, Object> details,
    String policySource,
    String policySha256) {

  public LogEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(event, "event");
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }
}
