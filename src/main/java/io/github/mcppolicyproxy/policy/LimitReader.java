package io.github.mcppolicyproxy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mcppolicyproxy.policy.Limit.Scope;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code limits} of entries: window, max, scope and counter, and checks that entries
 * sharing a counter declare it the same way (they share one count). One instance per load.
 */
final class LimitReader {
  private static final Set<String> LIMIT = Set.of("counter", "window", "max", "scope");
  private static final Map<String, Duration> WINDOWS = Map.of(
      "second", Duration.ofSeconds(1),
      "minute", Duration.ofMinutes(1),
      "hour", Duration.ofHours(1),
      "day", Duration.ofDays(1));

  private final Problems problems;
  private final Map<String, Limit> counters = new HashMap<>();

  LimitReader(Problems problems) {
    this.problems = problems;
  }

  /** The limit at {@code p}, or null (with problems recorded) when it is not valid. */
  Limit limit(JsonNode node, String p) {
    if (!node.isObject()) {
      problems.add(p, "must be an object {counter, window, max, scope}, found "
          + Problems.kind(node));
      return null;
    }
    int before = problems.count();
    problems.unknown(node, p, LIMIT, "counter, window, max, scope");
    String counter = p; // an unnamed limit counts on its own
    JsonNode c = node.get("counter");
    if (c != null) {
      if (!c.isTextual() || c.asText().isEmpty()) {
        problems.add(p + "/counter", "must be a non-empty string, found " + c);
      } else {
        counter = c.asText();
      }
    }
    Duration window = null;
    String windowText = null;
    JsonNode w = node.get("window");
    if (w == null) {
      problems.add(p + "/window", "is required: \"second\", \"minute\", \"hour\", \"day\" or a"
          + " whole number of seconds");
    } else if (w.isTextual() && WINDOWS.containsKey(w.asText())) {
      window = WINDOWS.get(w.asText());
      windowText = w.asText();
    } else if (w.isIntegralNumber() && w.canConvertToLong() && w.asLong() >= 1
        && w.asLong() <= 366L * 86400) {
      window = Duration.ofSeconds(w.asLong());
      windowText = w.asLong() == 1 ? "second" : w.asLong() + " seconds";
    } else {
      problems.add(p + "/window", w + " is not one of \"second\", \"minute\", \"hour\", \"day\""
          + " or a whole number of seconds (1 to 31622400)");
    }
    int max = 0;
    JsonNode m = node.get("max");
    if (m == null) {
      problems.add(p + "/max", "is required: the most calls allowed in one window");
    } else if (!m.isIntegralNumber() || !m.canConvertToInt() || m.asInt() < 1) {
      problems.add(p + "/max", "must be a whole number >= 1, found " + m);
    } else {
      max = m.asInt();
    }
    Scope scope = Scope.SESSION;
    if (node.has("scope")) {
      Scope s = problems.oneOf(node.get("scope"), p + "/scope", Map.of("session", Scope.SESSION,
          "grant", Scope.GRANT, "global", Scope.GLOBAL), "\"session\", \"grant\" or \"global\"");
      scope = s == null ? Scope.SESSION : s;
    }
    if (problems.count() > before) {
      return null;
    }
    Limit limit = new Limit(p, counter, window, windowText, max, scope);
    Limit first = counters.putIfAbsent(counter, limit);
    if (first != null && (!first.window().equals(window) || first.max() != max
        || first.scope() != scope)) {
      problems.add(p, "counter \"" + counter + "\" is shared with " + first.pointer()
          + " but declared differently: entries that share a counter share one count, so"
          + " window, max and scope must be the same");
      return null;
    }
    return limit;
  }
}
