package io.github.mcppolicyproxy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The pieces of {@link PolicyEngine}'s verdicts: argument checks, permits, refusals. */
final class Verdicts {
  private Verdicts() {}

  /** The schema and predicates of the tool's entries, in order: the first refusal, else null. */
  static Refusal argumentChecks(List<Entry> entries, ToolCall call,
      List<String> operations) {
    if (!anyDependsOnArguments(entries)) {
      return null;
    }
    String tool = call.tool();
    for (Entry e : entries) {
      if (e.argumentsSchema().isPresent()) {
        List<String> errors = e.argumentsSchema().get().violations(call.arguments());
        if (!errors.isEmpty()) {
          return new Refusal(Code.INVALID_ARGUMENTS,
              e.argumentsSchema().get().pointer(), "the arguments of " + tool
                  + " do not match the policy's schema: " + String.join("; ", errors),
              java.util.OptionalLong.empty(), operations);
        }
      }
    }
    ObjectNode argsRoot = JsonNodeFactory.instance.objectNode();
    argsRoot.set("args", call.arguments()); // shares the arguments: no copy
    for (Entry e : entries) {
      Refusal r = predicates(e, argsRoot, tool, operations);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  static boolean anyDependsOnArguments(List<Entry> entries) {
    for (Entry e : entries) {
      if (e.dependsOnArguments()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds one permit to {@code permits} per counter (scope and name) the entries' limits name, each
   * counter once however many entries name it; a counter already in {@code permits} is charged
   * under the limit it holds there.
   */
  static void charge(Map<Limit, Integer> permits, List<Entry> entries) {
    List<Limit> counted = null;
    for (Entry e : entries) {
      for (Limit l : e.limits()) {
        if (counted == null) {
          counted = new ArrayList<>(2);
        } else if (sameCounter(counted, l) != null) {
          continue;
        }
        counted.add(l);
        Limit key = sameCounter(permits.keySet(), l);
        permits.merge(key == null ? l : key, 1, Integer::sum);
      }
    }
  }

  /** The first of {@code limits} with the counter (name and scope) of {@code l}, or null. */
  private static Limit sameCounter(Iterable<Limit> limits, Limit l) {
    for (Limit k : limits) {
      if (k.counter().equals(l.counter()) && k.scope() == l.scope()) {
        return k;
      }
    }
    return null;
  }

  static Refusal predicates(Entry e, JsonNode root, String what, List<String> ops) {
    return predicates(e, root, new Subject(what, List.of()), ops);
  }

  /**
   * As above for one AWS command, whose operations, joined, are the subject of a refusal's
   * message (joined only when there is one; no lambda per command, which under the launcher's C1
   * costs a trip through the method-handle runtime).
   */
  static Refusal predicates(Entry e, JsonNode root, List<String> commandOps, List<String> ops) {
    return predicates(e, root, new Subject(null, commandOps), ops);
  }

  /** A refusal's subject: {@code fixed}, else the command's operations joined. */
  private record Subject(String fixed, List<String> commandOps) {
    String text() {
      return fixed != null ? fixed : String.join(", ", commandOps);
    }
  }

  /** The entry's predicates against {@code root}, the subject of a refusal's message made only when there is a refusal. */
  private static Refusal predicates(Entry e, JsonNode root, Subject subject, List<String> ops) {
    for (Predicate p : e.denyIf()) {
      if (Predicates.denyMatches(p, root)) {
        String what = subject.text();
        return new Refusal(Code.DENIED, p.pointer(), what + " is denied" + because(e)
            + " (deny_if " + p.describe() + ")", java.util.OptionalLong.empty(), ops);
      }
    }
    for (Predicate p : e.require()) {
      if (!Predicates.requireHolds(p, root)) {
        String what = subject.text();
        return new Refusal(Code.INVALID_ARGUMENTS, p.pointer(), what + " requires "
            + p.describe() + e.reason().map(r -> ": " + r).orElse(""),
            java.util.OptionalLong.empty(), ops);
      }
    }
    return null;
  }

  static String because(Entry e) {
    return e.reason().map(r -> ": " + r).orElse(" by the policy");
  }

  static Verdict refuse(Code code, String rule, String reason, List<String> ops) {
    return new Verdict.Refuse(
        new Refusal(code, rule, reason, java.util.OptionalLong.empty(), ops));
  }
}
