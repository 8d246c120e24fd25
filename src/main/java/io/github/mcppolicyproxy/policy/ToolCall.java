package io.github.mcppolicyproxy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * A {@code tools/call} as the policy sees it: the tool's name and its arguments, both exactly as the
 * upstream will receive them (escapes decoded, nothing normalised).
 *
 * @param arguments an object (empty when the call had none)
 */
public record ToolCall(String tool, JsonNode arguments) {
  public ToolCall {
    Objects.requireNonNull(tool, "tool");
    if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
      arguments = JsonNodeFactory.instance.objectNode();
    }
    if (!arguments.isObject()) {
      throw new IllegalArgumentException("arguments must be an object");
    }
  }
}
