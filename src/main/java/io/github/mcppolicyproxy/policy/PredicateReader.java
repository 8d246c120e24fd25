package io.github.mcppolicyproxy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the {@code require} and {@code deny_if} predicates of entries: path, op and value, each
 * checked for its op, and the path checked with {@link Matchability} for the kind of entry it is
 * on, so that a predicate that could never see a value does not load. One instance per load.
 */
final class PredicateReader {
  private static final Set<String> PREDICATE = Set.of("path", "op", "value");
  private static final String OPS = "eq, neq, in, not_in, lt, lte, gt, gte, regex, contains, exists";

  private final Problems problems;

  PredicateReader(Problems problems) {
    this.problems = problems;
  }

  /** The predicates of the array at {@code p} (absent: none) on an entry for {@code target}. */
  List<Predicate> predicates(JsonNode node, String p, Matchability.Target target) {
    List<Predicate> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (!node.isArray()) {
      problems.add(p, "must be an array of {path, op, value}, found " + Problems.kind(node));
      return out;
    }
    for (int i = 0; i < node.size(); i++) {
      Predicate pr = predicate(node.get(i), p + "/" + i, target);
      if (pr != null) {
        out.add(pr);
      }
    }
    return out;
  }

  private Predicate predicate(JsonNode node, String p, Matchability.Target target) {
    if (!node.isObject()) {
      problems.add(p, "must be an object {path, op, value}, found " + Problems.kind(node));
      return null;
    }
    int before = problems.count();
    problems.unknown(node, p, PREDICATE, "path, op, value");
    JsonNode path = node.get("path");
    List<String> segments = List.of();
    if (path == null || !path.isTextual() || path.asText().isEmpty()) {
      problems.add(p + "/path", "is required: a dotted path such as " + target.examples());
    } else {
      segments = List.of(path.asText().split("\\.", -1));
      if (segments.contains("")) {
        problems.add(p + "/path", "\"" + path.asText() + "\" has an empty segment");
      } else {
        String never = Matchability.path(target, segments);
        if (never != null) {
          problems.add(p + "/path", "\"" + path.asText() + "\" can never match: " + never);
        }
      }
    }
    Predicate.Op op = op(node.get("op"), p);
    JsonNode value = node.get("value");
    Pattern regex = null;
    if (op != null) {
      regex = value(op, value, p);
    }
    if (problems.count() > before) {
      return null;
    }
    return new Predicate(p, path.asText(), segments, op, value, regex);
  }

  private Predicate.Op op(JsonNode o, String p) {
    if (o == null || !o.isTextual()) {
      problems.add(p + "/op", "is required: one of " + OPS);
      return null;
    }
    try {
      Predicate.Op op = Predicate.Op.valueOf(o.asText().toUpperCase(Locale.ROOT));
      if (op.wire().equals(o.asText())) {
        return op;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    problems.add(p + "/op", o + " is not one of " + OPS);
    return null;
  }

  /**
   * The value as a problem names it. Only when there is a problem: a node's toString builds
   * Jackson's internal ObjectMapper, ~40 ms of CPU on the path to a start's first answer.
   */
  private static String found(JsonNode value) {
    return value == null ? "nothing" : value.toString();
  }

  /** Checks {@code value} for {@code op}; the compiled pattern for {@code regex}, else null. */
  private Pattern value(Predicate.Op op, JsonNode value, String p) {
    switch (op) {
      case EXISTS -> {
        if (value != null && !value.isBoolean()) {
          problems.add(p + "/value", "for exists must be true or false (or absent), found "
              + value);
        }
      }
      case IN, NOT_IN -> {
        if (value == null || !value.isArray()) {
          problems.add(p + "/value", "for " + op.wire() + " must be an array, found "
              + found(value));
        } else {
          String never = Matchability.choices(op, value);
          if (never != null) {
            problems.add(p + "/value", never);
          }
        }
      }
      case LT, LTE, GT, GTE -> {
        if (value == null || !value.isNumber()) {
          problems.add(p + "/value", "for " + op.wire() + " must be a number, found "
              + found(value));
        }
      }
      case REGEX -> {
        if (value == null || !value.isTextual()) {
          problems.add(p + "/value", "for regex must be a string (a java.util.regex pattern,"
              + " matched against the whole value), found " + found(value));
        } else {
          try {
            return Pattern.compile(value.asText());
          } catch (PatternSyntaxException e) {
            problems.add(p + "/value", "is not a valid regular expression: "
                + e.getDescription() + " near index " + e.getIndex());
          }
        }
      }
      default -> {
        if (value == null) {
          problems.add(p + "/value", "is required for " + op.wire());
        } else if (value.isArray() && (op == Predicate.Op.EQ || op == Predicate.Op.NEQ)) {
          problems.add(p + "/value", "for " + op.wire() + " cannot be an array: values are"
              + " compared one at a time (the elements of an array in the call each on their own),"
              + " so " + (op == Predicate.Op.EQ ? "eq never matches; use in" : "neq always holds;"
              + " use not_in"));
        }
      }
    }
    return null;
  }
}
