package io.github.mcppolicyproxy.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/** The {@code tools/list} answer: the recorded tools for the options, plus the optional extras. */
final class ToolCatalog {

  private static final String CURSOR_PREFIX = "standin-offset:";
  private final ArrayNode tools;
  private final StandInOptions options;

  ToolCatalog(ObjectMapper json, StandInOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    String file = options.experimentalAgentScripts() ? "standin/tools-list.experimental-agent-scripts.json"
        : options.readOnlyListing() ? "standin/tools-list.read-only-mode.json" : "standin/tools-list.json";
    tools = ((ArrayNode) Recordings.Resources.json(json, file).path("result").path("tools")).deepCopy();
    if (options.successor()) {
      for (JsonNode tool : tools) {
        ((ObjectNode) tool).put("name", StandInOptions.SUCCESSOR_PREFIX + tool.path("name").asText());
      }
      Recordings.Resources.json(json, "standin/successor-tools.json").forEach(tools::add);
    }
    if (options.healthOmicsTool()) {
      tools.add(Recordings.Resources.json(json, "standin/healthomics-tool.json"));
    }
    if (options.testTools()) {
      Recordings.Resources.json(json, "standin/test-tools.json").forEach(tools::add);
    }
    if (options.tasks()) { // 2025-11-25: a client may call every tool as a task
      tools.forEach(t -> ((ObjectNode) t).putObject("execution").put("taskSupport", "optional"));
    }
    options.descriptions().forEach(this::describe);
  }

  /** Replaces the description of {@code name} (a rug pull, for tests); false if no such tool. */
  synchronized boolean describe(String name, String description) {
    for (JsonNode tool : tools) {
      if (tool.path("name").asText().equals(name)) {
        ((ObjectNode) tool).put("description", description);
        return true;
      }
    }
    return false;
  }

  /** True if {@code tools/list} names the tool. */
  synchronized boolean lists(String name) {
    for (JsonNode tool : tools) {
      if (tool.path("name").asText().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The page that {@code cursor} (null for the first) designates; throws on a cursor not ours. */
  synchronized ObjectNode page(String cursor) {
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    if (options.pageSize().isEmpty()) {
      result.set("tools", tools.deepCopy());
      return result;
    }
    int size = options.pageSize().getAsInt();
    int from = cursor == null ? 0 : offset(cursor);
    ArrayNode page = result.putArray("tools");
    for (int i = from; i < Math.min(from + size, tools.size()); i++) {
      page.add(tools.get(i).deepCopy());
    }
    if (from + size < tools.size()) {
      result.put("nextCursor", Base64.getUrlEncoder().withoutPadding()
          .encodeToString((CURSOR_PREFIX + (from + size)).getBytes(StandardCharsets.UTF_8)));
    }
    return result;
  }

  private int offset(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (text.startsWith(CURSOR_PREFIX)) {
        int offset = Integer.parseInt(text.substring(CURSOR_PREFIX.length()));
        if (offset >= 0 && offset <= tools.size()) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the refusal below
    }
    throw new IllegalArgumentException("Invalid cursor: " + cursor);
  }
}
