package io.github.mcppolicyproxy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The problems found in one policy file, each placed at its JSON Pointer and, where the file shows
 * it, its line and column; with the small checks every part of the loader shares. Not thread-safe:
 * one instance per load.
 */
final class Problems {
  private final String source;
  private final java.util.function.Supplier<Map<String, int[]>> at;
  private final List<PolicyProblem> found = new ArrayList<>();

  /** @param at line and column of each pointer (see {@link PolicyJson}) */
  Problems(String source, java.util.function.Supplier<Map<String, int[]>> at) {
    this.source = source;
    this.at = at;
  }

  String source() {
    return source;
  }

  /** Records that the value at {@code pointer} is wrong, and why. */
  void add(String pointer, String message) {
    int[] lc = at.get().get(pointer);
    found.add(new PolicyProblem(source, pointer, message,
        lc == null ? 0 : lc[0], lc == null ? 0 : lc[1]));
  }

  /** How many problems so far: compare before and after reading a part to see if it failed. */
  int count() {
    return found.size();
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  List<PolicyProblem> all() {
    return List.copyOf(found);
  }

  /** The choice {@code node} names, or null (and a problem) when it names none of them. */
  <T> T oneOf(JsonNode node, String p, Map<String, T> choices, String expected) {
    if (node.isTextual() && choices.containsKey(node.asText())) {
      return choices.get(node.asText());
    }
    add(p, node + " is not one of " + expected);
    return null;
  }

  /** A problem for every member of {@code node} that is not in {@code known}. */
  void unknown(JsonNode node, String p, Set<String> known, String list) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        add(p + "/" + PolicyLoader.escape(name), "unknown field \"" + name + "\"; expected one of: "
            + list);
      }
    }
  }

  /** What a value is, for "found ..." in messages: {@code an object}, {@code the string "x"}. */
  static String kind(JsonNode n) {
    if (n.isObject()) {
      return "an object";
    }
    if (n.isArray()) {
      return "an array";
    }
    if (n.isTextual()) {
      return "the string " + n;
    }
    return n.isNull() ? "null" : n.getNodeType().name().toLowerCase(Locale.ROOT) + " " + n;
  }
}
