package io.github.mcppolicyproxy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The pieces of {@link PolicyEngine}'s verdicts: argument checks, permits, refusals. */
final class Verdicts {
  private Verdicts() {}

  /** The schema and predicates of the tool's entries, in order: the first refusal, else null. */
  static Refusal argumentChecks(List<Entry> entries, ToolCall call,
      List<String> operations) {
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

  static void charge(Map<Limit, Integer> permits, List<Entry> entries) {
    Set<String> counted = new LinkedHashSet<>();
    for (Entry e : entries) {
      for (Limit l : e.limits()) {
        if (counted.add(l.scope().wire() + "|" + l.counter())) {
          Limit key = permits.keySet().stream()
              .filter(k -> k.counter().equals(l.counter()) && k.scope() == l.scope())
              .findFirst().orElse(l);
          permits.merge(key, 1, Integer::sum);
        }
      }
    }
  }

  static Refusal predicates(Entry e, JsonNode root, String what, List<String> ops) {
    for (Predicate p : e.denyIf()) {
      if (Predicates.denyMatches(p, root)) {
        return new Refusal(Code.DENIED, p.pointer(), what + " is denied" + because(e)
            + " (deny_if " + p.describe() + ")", java.util.OptionalLong.empty(), ops);
      }
    }
    for (Predicate p : e.require()) {
      if (!Predicates.requireHolds(p, root)) {
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
