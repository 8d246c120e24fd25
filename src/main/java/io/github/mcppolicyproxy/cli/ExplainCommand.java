package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.policy.CommandInspector.Inspection;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.PolicyEngine;
import io.github.mcppolicyproxy.policy.PolicyException;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import io.github.mcppolicyproxy.policy.Refusal;
import io.github.mcppolicyproxy.policy.ToolCall;
import io.github.mcppolicyproxy.policy.Verdict;
import io.github.mcppolicyproxy.proxy.Answers;
import io.github.mcppolicyproxy.proxy.CallJudge;
import io.github.mcppolicyproxy.proxy.RefusalStyle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code explain POLICY --tool NAME --args JSON}: what the policy would do with one call, and why. */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Prints the decision on one tools/call, every rule that matched (JSON Pointers),"
        + " the AWS operations parsed from call_aws, and the refusal the agent would get.",
        "Exit code: 0 allowed, 1 refused (or needs approval), 2 the policy or the arguments are"
            + " invalid."})
final class ExplainCommand implements Callable<Integer> {
  @ParentCommand
  Commands.ProxyCommand parent;

  @Parameters(index = "0", paramLabel = "POLICY", description = "The policy file.")
  Path policyFile;

  @Option(names = "--tool", required = true, paramLabel = "NAME", description = "The tool called.")
  String tool;

  @Option(names = "--args", paramLabel = "JSON", defaultValue = "{}",
      description = "The call's arguments, a JSON object (default: {}).")
  String args;

  @Option(names = "--env", paramLabel = "KEY=VALUE",
      description = "The upstream's environment for call_aws defaults, e.g. AWS_REGION=us-east-1"
          + " (repeatable; default: this process's environment).")
  Map<String, String> env = new HashMap<>();

  @Override
  public Integer call() throws IOException {
    PrintStream out = new PrintStream(parent.stdout(), true, StandardCharsets.UTF_8);
    Policy policy;
    try {
      policy = new PolicyLoader().load(policyFile);
    } catch (PolicyException e) {
      Wiring.report(e, parent.stderr(), "error: ");
      return Cli.EXIT_USAGE;
    }
    ObjectMapper mapper = Wiring.mapper();
    JsonNode arguments;
    try {
      arguments = mapper.readTree(args);
    } catch (IOException e) {
      parent.stderr().println("error: --args is not JSON: "
          + io.github.mcppolicyproxy.errors.Failures.io(e));
      return Cli.EXIT_USAGE;
    }
    if (arguments == null || !arguments.isObject()) {
      parent.stderr().println("error: --args must be a JSON object");
      return Cli.EXIT_USAGE;
    }
    Map<String, String> upstreamEnv = env.isEmpty() ? System.getenv() : env;
    PolicyEngine engine = new PolicyEngine(policy, Wiring.inspector(upstreamEnv));
    ToolCall call = new ToolCall(tool, arguments);
    Inspection inspection = policy.carriesAwsCli(tool)
        ? engine.inspector().inspect(call) : new Inspection.None();

    out.println("Policy:    " + policy.source() + " (sha256 " + policy.sha256() + ")");
    out.println("Call:      " + tool + " " + mapper.writeValueAsString(arguments));
    if (inspection instanceof Inspection.Commands c) {
      out.println("Commands:");
      for (io.github.mcppolicyproxy.policy.CommandInspector.Command cmd : c.commands()) {
        out.println("  " + cmd.text());
        out.println("    operations: " + String.join(", ", cmd.operations()));
        out.println("    facts:      " + mapper.writeValueAsString(cmd.facts()));
      }
    } else if (inspection instanceof Inspection.Unparseable u) {
      out.println("Commands:  cannot be parsed: " + u.reason());
    }
    out.println("Rules that match:");
    for (String r : engine.matchedRules(call, inspection)) {
      out.println("  " + r);
    }
    if (engine.matchedRules(call, inspection).isEmpty()) {
      out.println("  (none: the default applies: /default = " + policy.defaultAction().wire() + ")");
    }
    Verdict v = engine.decide(call);
    // A fresh session: limits have room unless one call alone exceeds them.
    Refusal refusal = new CallJudge(engine, Quota.inMemory(System::nanoTime, java.time.Clock.systemUTC())).judge(call, "explain");
    if (v instanceof Verdict.Ask a) {
      out.println("Decision:  NEEDS APPROVAL (rule " + a.rule() + ", timeout " + a.timeoutSeconds()
          + " s): the proxy asks the person at the client (elicitation) and holds the call; without"
          + " that capability it is refused as approval_unavailable");
    } else if (refusal == null) {
      Verdict.Allow allow = (Verdict.Allow) v;
      out.println("Decision:  ALLOW" + (allow.permits().isEmpty() ? "" : ", charging "
          + allow.permits().entrySet().stream().map(e -> e.getValue() + " of "
              + e.getKey().describe() + " (" + e.getKey().pointer() + ", counter "
              + e.getKey().counter() + ", scope " + e.getKey().scope().wire() + ")")
              .reduce((a, b) -> a + "; " + b).orElse("")));
      return 0;
    } else {
      out.println("Decision:  REFUSE " + refusal.code().wire() + " (rule " + refusal.rule() + ")");
    }
    if (refusal != null) {
      out.println("The agent reads:");
      out.println("  " + refusal.agentText());
      out.println("The answer frame:");
      out.println("  " + new String(new Answers(mapper, RefusalStyle.RESULT)
          .refusal(JsonId.ofNumber("1"), refusal, false), StandardCharsets.UTF_8));
    }
    return 1;
  }
}
