package io.github.mcppolicyproxy.tail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One readable line per log record: time, session, tool and AWS operations, code, reason, rule
 * (for a refusal); time, session, event and what it says (for a reload or a session summary). With
 * {@code colour}, ANSI colours mark the code (red refused, yellow would-refuse in monitor mode,
 * cyan events); without, plain text. A line that is not a record is shown as it is.
 */
public final class RecordFormat {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESET = "\u001b[0m";
  private static final String DIM = "\u001b[2m";
  private static final String BOLD = "\u001b[1m";
  private static final String RED = "\u001b[31m";
  private static final String YELLOW = "\u001b[33m";
  private static final String CYAN = "\u001b[36m";

  private final boolean colour;

  public RecordFormat(boolean colour) {
    this.colour = colour;
  }

  /** The readable line for {@code line}. */
  public String format(String line) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (IOException e) {
      return line;
    }
    if (n == null || !n.isObject()) {
      return line;
    }
    List<String> parts = new ArrayList<>();
    parts.add(paint(DIM, n.path("time").asText("?")));
    parts.add(n.path("session").asText("?"));
    if (n.has("event")) {
      parts.add(paint(CYAN, n.path("event").asText()));
      parts.add(event(n));
      return String.join("  ", parts);
    }
    String tool = n.path("tool").asText("?");
    if (n.path("operations").isArray() && !n.path("operations").isEmpty()) {
      List<String> ops = new ArrayList<>();
      n.path("operations").forEach(o -> ops.add(o.asText()));
      tool += " [" + String.join(", ", ops) + "]";
    }
    parts.add(paint(BOLD, tool));
    boolean monitor = "would_refuse".equals(n.path("outcome").asText());
    parts.add(paint(monitor ? YELLOW : RED, n.path("code").asText("?")
        + (monitor ? " (monitor)" : "")));
    String reason = n.path("reason").asText("");
    if (n.path("retry_after_seconds").isNumber()) {
      reason += " (retry in " + n.path("retry_after_seconds").asLong() + " s)";
    }
    parts.add(reason);
    parts.add(paint(DIM, n.path("rule").asText("")));
    return String.join("  ", parts);
  }

  private static String event(JsonNode n) {
    return switch (n.path("event").asText()) {
      case "policy_reloaded" -> short12(n.path("old_policy_sha256").asText()) + " -> "
          + short12(n.path("policy_sha256").asText()) + " (" + n.path("trigger").asText() + ")";
      case "policy_reload_failed" -> {
        List<String> problems = new ArrayList<>();
        n.path("problems").forEach(p -> problems.add(p.path("pointer").asText() + ": "
            + p.path("message").asText() + (p.has("line") ? " (line " + p.path("line") + ")" : "")));
        yield "kept " + short12(n.path("policy_sha256").asText()) + "; "
            + String.join("; ", problems);
      }
      case "session_summary" -> n.path("calls_seen").asLong() + " calls, "
          + n.path("calls_forwarded").asLong() + " forwarded, refused " + n.path("refused")
          + ", approvals " + n.path("approvals_granted").asLong() + "/"
          + n.path("approvals_asked").asLong() + ", " + n.path("reloads").asLong() + " reloads, "
          + n.path("duration_seconds").asDouble() + " s";
      case "redacted" -> n.path("tool").asText("?") + " " + n.path("path").asText() + " ("
          + n.path("kind").asText() + ")";
      case "tool_changed" -> n.path("tool").asText("?") + " "
          + short12(n.path("pinned_sha256").asText()) + " -> "
          + short12(n.path("listed_sha256").asText());
      case "pins_reloaded" -> n.path("tools").asLong() + " pins from " + n.path("file").asText()
          + " (" + n.path("trigger").asText() + ")" + list("; accepted again: ", n.path("accepted"))
          + list("; now differ from their pin: ", n.path("changed"));
      case "counter_store" -> n.path("notice").asText();
      case "pins_reload_failed" -> "kept the pins in force; " + n.path("file").asText() + ": "
          + n.path("reason").asText();
      default -> n.toString();
    };
  }

  /** {@code label} and the names of {@code names}, comma-separated; nothing when there are none. */
  private static String list(String label, JsonNode names) {
    List<String> all = new ArrayList<>();
    names.forEach(t -> all.add(t.asText()));
    return all.isEmpty() ? "" : label + String.join(", ", all);
  }

  private String paint(String style, String text) {
    return colour ? style + text + RESET : text;
  }

  private static String short12(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }
}
