package io.github.mcppolicyproxy.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Removes from a {@code tools/list} answer the tools the policy always refuses. The frame is
 * rewritten only when something is removed; otherwise the original bytes pass unchanged. Every
 * other member (including {@code nextCursor}) is kept as it was.
 */
public final class ToolsListFilter {
  private final ObjectMapper mapper;
  private final Predicate<String> refused;

  /** @param refused true for a tool name that must not be shown */
  public ToolsListFilter(ObjectMapper mapper, Predicate<String> refused) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.refused = Objects.requireNonNull(refused, "refused");
  }

  /**
   * The frame to send the client in place of {@code frame}.
   *
   * @throws IllegalArgumentException when no tree can be built from the frame (nested too deep, say):
   *     it cannot be shown that it lists no hidden tool, so it must not be passed on
   */
  public byte[] filter(byte[] frame) {
    JsonNode root;
    try {
      root = mapper.readTree(frame);
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable tools/list answer: "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
    JsonNode tools = root.path("result").path("tools");
    if (!tools.isArray()) {
      return frame;
    }
    boolean removed = false;
    for (Iterator<JsonNode> it = ((ArrayNode) tools).elements(); it.hasNext(); ) {
      JsonNode tool = it.next();
      JsonNode name = tool.get("name");
      if (name != null && name.isTextual() && refused.test(name.asText())) {
        it.remove();
        removed = true;
      }
    }
    if (!removed) {
      return frame;
    }
    try {
      return mapper.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize a tools/list answer", e);
    }
  }
}
