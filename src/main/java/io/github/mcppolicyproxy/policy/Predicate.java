package io.github.mcppolicyproxy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A test on one value of a call: {@code {"path":"args.region","op":"in","value":["us-east-1"]}}.
 *
 * @param pointer JSON Pointer of this predicate in the policy file
 * @param path dotted path, split into segments ({@code args.region} → [args, region])
 * @param value the operand (null for {@code exists} without a value)
 * @param regex the compiled, anchored pattern for {@code regex}
 */
public record Predicate(
    String pointer, String pathText, List<String> path, Op op, JsonNode value, Pattern regex) {

  /** The comparison operators. */
  public enum Op {
    EQ, NEQ, IN, NOT_IN, LT, LTE, GT, GTE, REGEX, CONTAINS, EXISTS;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Predicate {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(pathText, "pathText");
    path = List.copyOf(path);
    Objects.requireNonNull(op, "op");
  }

  /** A short form for messages: {@code args.region in ["us-east-1"]}. */
  public String describe() {
    return pathText + " " + op.wire() + (value == null ? "" : " " + value);
  }
}
