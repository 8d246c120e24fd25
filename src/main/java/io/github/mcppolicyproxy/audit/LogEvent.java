package io.github.mcppolicyproxy.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A log record that is not a refused call: a redacted secret ({@code redacted}), a tool whose
 * definition changed ({@code tool_changed}). Written as one JSON line with {@code time},
 * {@code session}, {@code request_id}, {@code tool}, {@code code} and then {@code details} in order.
 *
 * @param requestId the id of the request concerned as raw JSON, or null
 * @param tool the tool concerned, or null
 */
public record LogEvent(Instant time, String session, String requestId, String tool, String code,
    Map<String, String> details) {

  public LogEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(code, "code");
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }
}
