package io.github.mcppolicyproxy.policy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.policy.CommandInspector.Command;
import io.github.mcppolicyproxy.policy.CommandInspector.Inspection;
import io.github.mcppolicyproxy.policy.Policy.Action;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides what the rules of a {@link Policy} say about one call: a pure function of the policy and
 * the call (quota and approval are consulted afterwards, by the caller).
 *
 * <p>Order, as the policy spec gives it: hidden tools; an explicit deny (tool entries,
 * {@code all_tools}, then the operation entries of each {@code call_aws} command); the default for
 * a tool or operation no entry names; unparseable commands; predicates ({@code deny_if},
 * {@code require}); then the limits to charge and whether a person must approve.
 */
public final class PolicyEngine {
  /** The tool of the AWS API MCP server whose commands carry AWS operations. */
  public static final String CALL_AWS = AwsCliTools.CALL_AWS;
  static final int DEFAULT_APPROVAL_TIMEOUT_SECONDS = 120;

  private final Policy policy;
  private final CommandInspector inspector;
  private final RuleIndex tools;
  private volatile RuleIndex operationRules; // built on first use: it may need the AWS CLI model
  private final java.util.concurrent.ConcurrentHashMap<String, Plan> plans =
      new java.util.concurrent.ConcurrentHashMap<>();

  public PolicyEngine(Policy policy, CommandInspector inspector) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.inspector = Objects.requireNonNull(inspector, "inspector");
    this.tools = new RuleIndex(policy.tools(), false);
  }

  /**
   * Gets ready to judge AWS CLI commands (reads the AWS CLI model, indexes the operation rules and
   * makes one decision, which loads and links the decision's own path) so that the first such call
   * does not wait for it; for a background thread at start-up. Does
   * nothing when the policy names no tool that carries AWS CLI commands.
   */
  public void warmUp() {
    boolean namesCliTools = !policy.awsCliTools().isEmpty()
        || policy.tools().keySet().stream().anyMatch(g -> g.text().contains(CALL_AWS));
    if (policy.hasOperations() || namesCliTools) {
      operationRules();
      inspector.warmUp();
      // and one decision's own path (the rule lookup, the entries, the permits): a decision is
      // pure, so nothing is counted, logged or answered
      decide(new ToolCall(CALL_AWS, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
          .objectNode().put("cli_command", CommandInspector.WARM_UP_COMMAND)));
    }
  }

  private RuleIndex operationRules() {
    RuleIndex r = operationRules;
    if (r == null) {
      synchronized (this) {
        r = operationRules;
        if (r == null) {
          r = new RuleIndex(inspector.operationRules(policy.operations()), true);
          operationRules = r;
        }
      }
    }
    return r;
  }

  public Policy policy() {
    return policy;
  }

  /** The rules' verdict on {@code call}. Never throws for any call. */
  public Verdict decide(ToolCall call) {
    String tool = call.tool();
    if (!policy.carriesAwsCli(tool)) {
      // Everything but the arguments' checks depends on the name alone: remembered per name.
      Plan plan = plans.get(tool);
      if (plan == null) {
        plan = plan(tool);
        if (plans.size() < RuleIndex.MEMO_NAMES) {
          plans.putIfAbsent(tool, plan);
        }
      }
      if (plan.verdict() instanceof Verdict.Refuse || !plan.dependsOnArguments()) {
        return plan.verdict();
      }
      Refusal r = Verdicts.argumentChecks(plan.entries(), call, List.of());
      return r != null ? new Verdict.Refuse(r) : plan.verdict();
    }
    // A call_aws call is read whatever the policy says of it, so that every refusal (and every
    // monitor-mode record) names the operations of a command that parses.
    Inspection found = inspect(call);
    List<Command> commands = found instanceof Inspection.Commands c ? c.commands() : List.of();
    List<String> operations = distinctOperations(commands);
    RuleIndex.Match toolMatch = tools.lookup(tool);
    Verdict refused = byName(tool, toolMatch, operations);
    if (refused != null) {
      return refused;
    }
    List<Entry> entries = new ArrayList<>(toolMatch.entries());
    policy.allTools().ifPresent(entries::add);

    // the operation entries of each command, in the order of the commands (each command counts:
    // two commands of the same text in a batch run twice, and take their limits twice)
    List<List<Entry>> opEntries = new ArrayList<>(commands.size());
    List<Entry> opDeciders = new ArrayList<>();
    if (policy.hasOperations() || policy.defaultAction() == Action.DENY) {
      if (found instanceof Inspection.Unparseable u) {
        return Verdicts.refuse(Code.UNPARSEABLE_COMMAND,
            policy.hasOperations() ? "/operations" : "/default",
            "the AWS command could not be understood, so it cannot be judged: " + u.reason(),
            List.of());
      }
      if (policy.hasOperations()) {
        for (Command command : commands) {
          List<Entry> perCommand = new ArrayList<>();
          for (String op : command.operations()) {
            RuleIndex.Match m = operationRules().lookup(op);
            List<Entry> matched = m.entries();
            if (m.decider() != null) {
              opDeciders.add(m.decider());
            }
            if (m.deny() != null) {
              return Verdicts.refuse(Code.DENIED, m.deny().pointer(),
                  "AWS operation " + op + " is denied" + Verdicts.because(m.deny()), operations);
            }
            if (matched.isEmpty() && policy.defaultAction() == Action.DENY) {
              return Verdicts.refuse(Code.DENIED, "/default", "AWS operation " + op
                  + " is not allowed by the policy (no operations rule allows it; default: deny)",
                  operations);
            }
            for (Entry e : matched) {
              if (!perCommand.contains(e)) {
                perCommand.add(e);
              }
            }
          }
          opEntries.add(perCommand);
        }
      }
    }

    Refusal argumentsRefused = Verdicts.argumentChecks(entries, call, operations);
    if (argumentsRefused != null) {
      return new Verdict.Refuse(argumentsRefused);
    }
    for (int i = 0; i < opEntries.size(); i++) {
      List<Entry> perCommand = opEntries.get(i);
      if (!Verdicts.anyDependsOnArguments(perCommand)) {
        continue;
      }
      // the command's facts with the call's arguments beside them; predicates only read, so the
      // new root shares the facts' values and the arguments (no copy)
      Command command = commands.get(i);
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      root.setAll((ObjectNode) command.facts());
      root.set("args", call.arguments());
      List<String> commandOps = command.operations();
      for (Entry e : perCommand) {
        Refusal r = Verdicts.predicates(e, root, commandOps, operations);
        if (r != null) {
          return new Verdict.Refuse(r);
        }
      }
    }
    return allowOrAsk(tool, toolMatch, entries, opEntries, opDeciders, operations);
  }

  /** The operations of every command, each once, in order. */
  private static List<String> distinctOperations(List<Command> commands) {
    if (commands.size() == 1 && commands.get(0).operations().size() == 1) {
      return commands.get(0).operations(); // immutable (Command copies it)
    }
    List<String> out = new ArrayList<>();
    for (Command c : commands) {
      for (String op : c.operations()) {
        if (!out.contains(op)) {
          out.add(op);
        }
      }
    }
    return java.util.Collections.unmodifiableList(out);
  }

  /** What the rules say of a tool that carries no AWS commands, but for its arguments' checks. */
  private record Plan(Verdict verdict, List<Entry> entries, boolean dependsOnArguments) {}

  private Plan plan(String tool) {
    RuleIndex.Match toolMatch = tools.lookup(tool);
    Verdict refused = byName(tool, toolMatch, List.of());
    if (refused != null) {
      return new Plan(refused, List.of(), false);
    }
    List<Entry> entries = new ArrayList<>(toolMatch.entries());
    policy.allTools().ifPresent(entries::add);
    return new Plan(allowOrAsk(tool, toolMatch, entries, List.of(), List.of(), List.of()),
        List.copyOf(entries), entries.stream().anyMatch(Entry::dependsOnArguments));
  }

  /** The refusal that the tool's name alone earns (hidden, denied, or not allowed), else null. */
  private Verdict byName(String tool, RuleIndex.Match toolMatch, List<String> operations) {
    for (Glob g : policy.hide()) {
      if (g.matches(tool)) {
        return Verdicts.refuse(Code.HIDDEN, g.pointer(), tool + " is hidden by the policy", operations);
      }
    }
    // the most specific deny speaks: the tool's own entry before a glob, any of them before all_tools
    Entry deny = toolMatch.deny() != null ? toolMatch.deny()
        : policy.allTools().filter(e -> e.action() == Action.DENY).orElse(null);
    if (deny != null) {
      return Verdicts.refuse(Code.DENIED, deny.pointer(), tool + " is denied" + Verdicts.because(deny), operations);
    }
    if (toolMatch.entries().isEmpty() && policy.defaultAction() == Action.DENY) {
      return Verdicts.refuse(Code.DENIED, "/default",
          tool + " is not allowed by the policy (no rule allows it; default: deny)", operations);
    }
    return null;
  }

  /** The verdict of a call that passed every rule: the permits it takes, and who must approve. */
  private Verdict allowOrAsk(String tool, RuleIndex.Match toolMatch, List<Entry> entries,
      java.util.Collection<List<Entry>> perCommand, List<Entry> opDeciders,
      List<String> operations) {
    Map<Limit, Integer> permits = new LinkedHashMap<>();
    Verdicts.charge(permits, entries);
    for (List<Entry> command : perCommand) {
      Verdicts.charge(permits, command);
    }
    Entry asks = null;
    Entry toolDecider = toolMatch.decider();
    if (toolDecider == null && policy.allTools().isPresent()) {
      toolDecider = policy.allTools().get();
    }
    if (toolDecider != null && toolDecider.action() == Action.REQUIRE_APPROVAL) {
      asks = toolDecider;
    }
    for (Entry opDecider : opDeciders) {
      if (asks == null && opDecider.action() == Action.REQUIRE_APPROVAL) {
        asks = opDecider;
      }
    }
    if (asks != null) {
      String what = operations.isEmpty() ? tool : tool + " (" + String.join(", ", operations) + ")";
      return new Verdict.Ask(asks.pointer(), what,
          asks.approvalTimeoutSeconds().orElse(DEFAULT_APPROVAL_TIMEOUT_SECONDS), permits,
          operations);
    }
    return new Verdict.Allow(permits, operations);
  }

  /**
   * True when {@code tool} can never be called under this policy, whatever its arguments: it is
   * hidden, or denied outright (and the policy enforces). Such tools are removed from
   * {@code tools/list} answers; a tool whose fate depends on its arguments stays visible.
   */
  public boolean alwaysRefused(String tool) {
    // monitor mode forwards every call, so every tool stays visible
    return policy.mode() != Policy.Mode.MONITOR && byName(tool, tools.lookup(tool), List.of()) != null;
  }

  /**
   * Every rule that applies to {@code call}, as JSON Pointers into the policy, in the order the
   * engine consults them (hide, tool entries, all_tools, then each operation's entries). For
   * operators ({@code explain}); {@link #decide} is the decision.
   */
  public List<String> matchedRules(ToolCall call, Inspection inspection) {
    List<String> out = new ArrayList<>();
    for (Glob g : policy.hide()) {
      if (g.matches(call.tool())) {
        out.add(g.pointer());
      }
    }
    tools.lookup(call.tool()).entries().forEach(e -> out.add(e.pointer()));
    policy.allTools().ifPresent(e -> out.add(e.pointer()));
    if (inspection instanceof Inspection.Commands c) {
      for (Command command : c.commands()) {
        for (String op : command.operations()) {
          for (Entry e : operationRules().lookup(op).entries()) {
            if (!out.contains(e.pointer())) {
              out.add(e.pointer());
            }
          }
        }
      }
    }
    return out;
  }

  /** The inspector's reading; a defect in it is an unparseable command (refused where it matters). */
  private Inspection inspect(ToolCall call) {
    try {
      return inspector.inspect(call);
    } catch (RuntimeException e) {
      // the inspector's contract is never to throw; if it does, judge as if it could not read
      return new Inspection.Unparseable("the command reader failed on it");
    }
  }

  /** The inspector this engine reads {@code call_aws} commands with. */
  public CommandInspector inspector() {
    return inspector;
  }

}
