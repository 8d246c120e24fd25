package io.github.mcppolicyproxy.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the rules say about a call before quota and people are consulted: allow (taking these
 * permits), ask a person first, or refuse.
 */
public sealed interface Verdict {
  /** The AWS operations the call performs (empty unless it is {@code call_aws}). */
  List<String> operations();

  /** Allowed by the rules; {@code permits} says how many permits to take from each limit. */
  record Allow(Map<Limit, Integer> permits, List<String> operations) implements Verdict {
    public Allow {
      permits = Map.copyOf(permits);
      operations = List.copyOf(operations);
    }
  }

  /** Allowed only if a person approves; {@code rule} is the entry that asks. */
  record Ask(String rule, String what, int timeoutSeconds, Map<Limit, Integer> permits,
      List<String> operations) implements Verdict {
    public Ask {
      Objects.requireNonNull(rule, "rule");
      permits = Map.copyOf(permits);
      operations = List.copyOf(operations);
    }
  }

  /** Refused by a rule. */
  record Refuse(Refusal refusal) implements Verdict {
    public Refuse {
      Objects.requireNonNull(refusal, "refusal");
    }

    @Override
    public List<String> operations() {
      return refusal.operations();
    }
  }
}
