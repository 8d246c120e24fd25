package io.github.mcppolicyproxy.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded, validated policy file. Immutable. Built by {@link PolicyLoader}; its meaning is given in
 * the README ("The policy file") and decided by {@link PolicyEngine}.
 *
 * @param source where the policy came from (a path, or {@code builtin:NAME})
 * @param sha256 hex SHA-256 of the file's bytes, recorded with every violation
 * @param defaultAction what happens to a tool (or AWS operation) that no entry names: ALLOW or DENY
 * @param hide names or globs removed from {@code tools/list} and denied when called
 * @param tools entries by tool name or glob, in file order
 * @param operations entries by AWS {@code service:Operation} or glob, in file order; empty if absent
 * @param awsCliTools tools named in {@code aws_cli_tools}: besides {@code call_aws} and
 *     {@code *___call_aws}, the tools whose {@code cli_command} the operation rules judge
 * @param redactSecrets replace credentials in tool results before the client sees them (default true)
 * @param pinTools refuse tools whose definition changed after it was first seen (default true)
 */
public record Policy(
    String source,
    String sha256,
    String version,
    Action defaultAction,
    Mode mode,
    List<Glob> hide,
    Optional<Entry> allTools,
    Map<Glob, Entry> tools,
    boolean hasOperations,
    Map<Glob, Entry> operations,
    List<String> awsCliTools,
    boolean redactSecrets,
    boolean pinTools) {

  /** What an entry (or the default) does with a call. */
  public enum Action {
    ALLOW("allow"),
    DENY("deny"),
    REQUIRE_APPROVAL("require_approval");

    private final String wire;

    Action(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  /** Enforce refusals, or only log what would have been refused. */
  public enum Mode {
    ENFORCE,
    MONITOR
  }

  public Policy {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(defaultAction, "defaultAction");
    Objects.requireNonNull(mode, "mode");
    if (defaultAction == Action.REQUIRE_APPROVAL) {
      throw new IllegalArgumentException("default must be allow or deny");
    }
    hide = List.copyOf(hide);
    tools = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tools));
    operations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(operations));
    awsCliTools = List.copyOf(awsCliTools);
  }

  /** A policy without {@code aws_cli_tools}, with redaction and pinning on (their defaults). */
  public Policy(String source, String sha256, String version, Action defaultAction, Mode mode,
      List<Glob> hide, Optional<Entry> allTools, Map<Glob, Entry> tools, boolean hasOperations,
      Map<Glob, Entry> operations) {
    this(source, sha256, version, defaultAction, mode, hide, allTools, tools, hasOperations,
        operations, List.of(), true, true);
  }

  /** True when some entry (a tool's, an operation's or {@code all_tools}) has a limit. */
  public boolean hasLimits() {
    return anyEntry(e -> !e.limits().isEmpty());
  }

  /**
   * True when {@code test} holds for some entry: {@code all_tools}, a tool's or an operation's.
   * Loops, not a stream: with 1,000 entries this runs at start-up, mostly interpreted.
   */
  public boolean anyEntry(java.util.function.Predicate<Entry> test) {
    if (allTools.isPresent() && test.test(allTools.get())) {
      return true;
    }
    for (Entry e : tools.values()) {
      if (test.test(e)) {
        return true;
      }
    }
    for (Entry e : operations.values()) {
      if (test.test(e)) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code tool} carries AWS CLI commands that the operation rules judge. */
  public boolean carriesAwsCli(String tool) {
    return AwsCliTools.carriesCommands(tool, awsCliTools);
  }
}
