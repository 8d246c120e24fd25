package io.github.mcppolicyproxy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * Finds the parts of a policy that load but could never match anything, so that a typo cannot
 * switch a rule off in silence: a predicate path outside the values its entry is judged on, an
 * empty or unmatchable list of choices, a key no tool can have. Each check returns why, or null
 * when the part can match.
 */
final class Matchability {
  private Matchability() {}

  /** The kind of entry a predicate is on: what its path can reach. */
  enum Target {
    /** {@code tools} entries and {@code all_tools}: the call's arguments under {@code args}. */
    TOOL("\"args.region\""),
    /** {@code operations} entries: one AWS command's parameters, region and profile. */
    OPERATION("\"params.destination\", \"region\", \"profile\" or \"args.cli_command\"");

    private final String examples;

    Target(String examples) {
      this.examples = examples;
    }

    String examples() {
      return examples;
    }
  }

  private static final String TOOL_ROOTS = "on a tool a path starts with \"args.\" (the call's"
      + " arguments), e.g. \"args.bucket\"";
  private static final String OPERATION_ROOTS = "on an AWS operation a path is \"params.NAME\""
      + " (the CLI parameter --NAME, e.g. \"params.destination\"), \"region\", \"profile\", or"
      + " starts with \"args.\" (the arguments of the call_aws call)";
  /** Roots of an operation's facts that hold one value, so no segment can follow them. */
  private static final Set<String> SCALAR_ROOTS = Set.of("region", "profile", "operations");

  /** Why {@code segments} can never resolve on an entry for {@code target}, or null. */
  static String path(Target target, List<String> segments) {
    String root = segments.get(0);
    if (target == Target.TOOL) {
      if (root.equals("args")) {
        return null;
      }
      if (root.equals("params") || SCALAR_ROOTS.contains(root)) {
        return TOOL_ROOTS + " (\"" + root + "\" exists only for entries under \"operations\")";
      }
      return TOOL_ROOTS + (segments.size() == 1 ? "; did you mean \"args." + root + "\"?" : "");
    }
    if (root.equals("args")) {
      return null;
    }
    if (root.equals("params")) {
      if (segments.size() != 2) {
        return segments.size() == 1
            ? "name the parameter: \"params.NAME\" for --NAME (" + OPERATION_ROOTS + ")"
            : "a CLI parameter's value is a string (or a list of strings), so nothing follows"
                + " \"params." + segments.get(1) + "\"";
      }
      String name = segments.get(1);
      if (name.startsWith("-")) {
        String bare = name.replaceFirst("^-+", "");
        return "parameter names are written without dashes: \"params." + bare + "\" for --"
            + bare;
      }
      return null;
    }
    if (SCALAR_ROOTS.contains(root)) {
      return segments.size() == 1 ? null
          : "\"" + root + "\" is a single value, so nothing follows it (" + OPERATION_ROOTS + ")";
    }
    return OPERATION_ROOTS + (segments.size() == 1 && !root.equals("params")
        ? "; did you mean \"params." + root + "\"?" : "");
  }

  /** Why the choices of an {@code in} / {@code not_in} can never decide anything, or null. */
  static String choices(Predicate.Op op, JsonNode value) {
    if (value.isEmpty()) {
      return "an empty list for " + op.wire() + " " + (op == Predicate.Op.IN
          ? "matches no value: under deny_if it never refuses, under require it refuses every call"
          : "excludes no value: under deny_if it refuses every call, under require it never"
              + " refuses");
    }
    for (JsonNode choice : value) {
      if (choice.isArray()) {
        return "holds an array, " + choice + ": values are compared one at a time (the elements"
            + " of an array in the call each on their own), so an array choice never matches;"
            + " list its elements instead";
      }
    }
    return null;
  }

  /**
   * Why a {@code tools} key or {@code hide} entry can never name a tool, or null: white space at
   * either end (a typo no tool name has) or a control character.
   */
  static String toolKey(String key) {
    if (!key.equals(key.strip())) {
      return "\"" + key + "\" starts or ends with white space, which no tool name does, so this"
          + " never matches; write \"" + key.strip() + "\"";
    }
    for (int i = 0; i < key.length(); i++) {
      if (Character.isISOControl(key.charAt(i))) {
        return String.format("holds the control character U+%04X at index %d, which no tool name"
            + " has, so this never matches", (int) key.charAt(i), i);
      }
    }
    return null;
  }
}
