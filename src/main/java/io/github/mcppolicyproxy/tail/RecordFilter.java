package io.github.mcppolicyproxy.tail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which log records {@code tail} shows: a record passes when it matches every filter given. Codes
 * match a refusal's {@code code} or an event's name; tools match {@code tool} exactly or as a glob
 * ({@code *}, {@code ?}); sessions match {@code session}; {@code since} keeps records written at
 * or after it. A line that is not a JSON object passes only when no filter is given.
 */
public final class RecordFilter implements Predicate<String> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> codes;
  private final List<String> tools;
  private final List<String> sessions;
  private final Instant since; // null: any time

  public RecordFilter(List<String> codes, List<String> tools, List<String> sessions,
      Instant since) {
    this.codes = List.copyOf(codes);
    this.tools = List.copyOf(tools);
    this.sessions = List.copyOf(sessions);
    this.since = since;
  }

  @Override
  public boolean test(String line) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (IOException e) {
      n = null;
    }
    if (n == null || !n.isObject()) {
      return codes.isEmpty() && tools.isEmpty() && sessions.isEmpty() && since == null;
    }
    return test(n);
  }

  /** The decision on one parsed record. */
  public boolean test(JsonNode n) {
    String code = n.hasNonNull("code") ? n.path("code").asText() : n.path("event").asText("");
    if (!codes.isEmpty() && !codes.contains(code)) {
      return false;
    }
    if (!tools.isEmpty() && tools.stream().noneMatch(t -> glob(t, n.path("tool").asText(null)))) {
      return false;
    }
    if (!sessions.isEmpty() && !sessions.contains(n.path("session").asText(""))) {
      return false;
    }
    if (since != null) {
      try {
        return !Instant.parse(n.path("time").asText("")).isBefore(since);
      } catch (DateTimeParseException e) {
        return false;
      }
    }
    return true;
  }

  private static boolean glob(String pattern, String text) {
    if (text == null) {
      return false;
    }
    Objects.requireNonNull(pattern);
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
      }
    }
    return text.matches(re.toString());
  }
}
