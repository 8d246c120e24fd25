package io.github.mcppolicyproxy.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One rule of the policy: what to do with the calls it names.
 *
 * @param pointer JSON Pointer of this entry in the policy file, e.g. {@code /tools/call_aws}
 * @param action allow (the default), deny, or require_approval
 * @param reason shown to the agent when this entry refuses a call
 * @param approvalTimeoutSeconds for require_approval: how long a person may take
 * @param argumentsSchema for tool entries: a JSON Schema the arguments must satisfy
 */
public record Entry(
    String pointer,
    Policy.Action action,
    Optional<String> reason,
    List<Limit> limits,
    List<Predicate> require,
    List<Predicate> denyIf,
    Optional<Integer> approvalTimeoutSeconds,
    Optional<ArgumentsSchema> argumentsSchema) {

  public Entry {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
    limits = List.copyOf(limits);
    require = List.copyOf(require);
    denyIf = List.copyOf(denyIf);
    Objects.requireNonNull(approvalTimeoutSeconds, "approvalTimeoutSeconds");
    Objects.requireNonNull(argumentsSchema, "argumentsSchema");
  }

  // Written out rather than the record's generated ones, as in Limit: those go through method
  // handles, and the engine looks entries up in its lists on every call_aws decision. The first
  // generated equals of a session cost ~25 ms of linking (async-profiler, the launcher's flags),
  // paid by the agent's first call whose operation more than one rule names.
  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof Entry e && pointer.equals(e.pointer) && action == e.action
        && reason.equals(e.reason) && limits.equals(e.limits) && require.equals(e.require)
        && denyIf.equals(e.denyIf) && approvalTimeoutSeconds.equals(e.approvalTimeoutSeconds)
        && argumentsSchema.equals(e.argumentsSchema));
  }

  @Override
  public int hashCode() {
    int h = pointer.hashCode();
    h = 31 * h + action.hashCode();
    h = 31 * h + reason.hashCode();
    h = 31 * h + limits.hashCode();
    h = 31 * h + require.hashCode();
    h = 31 * h + denyIf.hashCode();
    h = 31 * h + approvalTimeoutSeconds.hashCode();
    return 31 * h + argumentsSchema.hashCode();
  }

  /** True when the entry's outcome depends on the call's arguments. */
  public boolean dependsOnArguments() {
    return !require.isEmpty() || !denyIf.isEmpty() || argumentsSchema.isPresent();
  }
}
