package io.github.mcppolicyproxy.cli;

import io.github.mcppolicyproxy.aws.AwsRuleKeys;
import io.github.mcppolicyproxy.policy.AwsCliTools;
import io.github.mcppolicyproxy.policy.Entry;
import io.github.mcppolicyproxy.policy.Glob;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.PolicyEngine;
import io.github.mcppolicyproxy.policy.PolicyException;
import io.github.mcppolicyproxy.policy.PolicyLint;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import io.github.mcppolicyproxy.policy.ToolCall;
import io.github.mcppolicyproxy.policy.Verdict;
import io.github.mcppolicyproxy.process.UpstreamStartException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code check POLICY [-- COMMAND...]}: validates a policy file (every problem, with JSON Pointer and
 * line:column) and warns about rules that can never match; with an upstream command, compares the
 * {@code tools} keys with the tools that upstream really offers and warns about tool definitions
 * that may hide instructions ({@link io.github.mcppolicyproxy.integrity.HiddenInstructions}).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Validates POLICY and warns about rules that can never match. With COMMAND, starts"
        + " that upstream once, lists its tools and checks every tools key against them.",
        "Exit code: 0 valid (warnings allowed), 2 errors."})
final class CheckCommand implements Callable<Integer> {
  @ParentCommand
  Commands.ProxyCommand parent;

  @Parameters(index = "0", paramLabel = "POLICY", description = "The policy file.")
  Path policyFile;

  @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "0..*",
      description = "An upstream MCP server to check the tool names against (after '--').")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    PrintStream out = new PrintStream(parent.stdout(), true, StandardCharsets.UTF_8);
    if (!command.isEmpty() && command.get(0).equals("--")) {
      command = command.subList(1, command.size()); // options stop at POLICY, so '--' arrives here
    }
    Policy policy;
    try {
      policy = new PolicyLoader().load(policyFile);
    } catch (PolicyException e) {
      Wiring.report(e, out, "error: ");
      out.println(e.problems().size() + (e.problems().size() == 1 ? " error" : " errors")
          + " in " + policyFile);
      return Cli.EXIT_USAGE;
    }
    List<String> warnings = new ArrayList<>(PolicyLint.warnings(policy));
    PolicyEngine engine = new PolicyEngine(policy, Wiring.inspector(Map.of()));
    List<String> cliTools = AwsCliTools.wellKnown(policy.awsCliTools());
    boolean monitor = policy.mode() == Policy.Mode.MONITOR;
    if (policy.hasOperations() && !monitor && cliTools.stream().allMatch(engine::alwaysRefused)) {
      warnings.add(policyFile + ": /operations: no rule allows a tool that carries AWS CLI commands ("
          + String.join(", ", cliTools) + "), so these operation rules never apply (add \"call_aws\":"
          + " {} or \"aws___call_aws\": {} to tools)");
    }
    for (Glob g : policy.operations().keySet()) {
      int colon = g.text().indexOf(':');
      if (colon > 0 && !AwsRuleKeys.isKnownService(g.text().substring(0, colon))) {
        warnings.add(policyFile + ": " + g.pointer() + ": no AWS service is named \""
            + g.text().substring(0, colon) + "\" (by IAM prefix or AWS CLI name), so this rule never"
            + " matches");
      }
    }
    List<String> scriptTools = new ArrayList<>(List.of(AwsCliTools.RUN_SCRIPT, "aws___"
        + AwsCliTools.RUN_SCRIPT));
    if (!command.isEmpty()) {
      List<String> tools = new ArrayList<>();
      List<com.fasterxml.jackson.databind.JsonNode> listed;
      try {
        listed = UpstreamProbe.tools(command, Wiring.mapper(), parent.stderr(),
            Duration.ofSeconds(60));
        listed.forEach(t -> tools.add(t.path("name").asText()));
      } catch (IOException e) {
        out.println("error: cannot list the tools of " + String.join(" ", command) + ": "
            + io.github.mcppolicyproxy.errors.Failures.io(e));
        return Cli.EXIT_USAGE;
      } catch (UpstreamStartException e) {
        out.println("error: cannot list the tools of " + String.join(" ", command) + ": "
            + e.getMessage());
        return Cli.EXIT_USAGE;
      }
      out.println("upstream offers " + tools.size() + " tools: " + String.join(", ", tools));
      warnings.addAll(io.github.mcppolicyproxy.integrity.HiddenInstructions.warnings(
          new io.github.mcppolicyproxy.integrity.HiddenInstructions().scan(listed)));
      tools.stream().filter(AwsCliTools::runsScripts).filter(t -> !scriptTools.contains(t))
          .forEach(scriptTools::add);
      for (com.fasterxml.jackson.databind.JsonNode t : listed) {
        String name = t.path("name").asText();
        if (t.path("inputSchema").path("properties").has("cli_command")
            && !AwsCliTools.carriesCommands(name, policy.awsCliTools())
            && !engine.alwaysRefused(name)) {
          warnings.add(policyFile + ": " + name + " takes a cli_command (by its input schema) and"
              + " is allowed, but the proxy judges AWS CLI commands only in call_aws, *___call_aws"
              + " and the tools named in aws_cli_tools, so no operation rule applies to its"
              + " commands; name it in aws_cli_tools, or deny it");
        }
      }
      for (Map.Entry<Glob, Entry> e : policy.tools().entrySet()) {
        if (tools.stream().noneMatch(e.getKey()::matches)) {
          warnings.add(policyFile + ": " + e.getKey().pointer() + ": no tool of this upstream is "
              + (Glob.isGlob(e.getKey().text()) ? "matched by" : "named") + " \""
              + e.getKey().text() + "\", so this rule never matches" + hint(e.getKey().text(), tools));
        }
      }
      for (Glob g : policy.hide()) {
        if (tools.stream().noneMatch(g::matches)) {
          warnings.add(policyFile + ": " + g.pointer() + ": hides nothing: no tool of this upstream"
              + " matches \"" + g.text() + "\"");
        }
      }
      List<String> denied = tools.stream().filter(engine::alwaysRefused).toList();
      if (!denied.isEmpty()) {
        out.println("always refused (and hidden from tools/list): " + String.join(", ", denied));
      }
    }
    if (policy.hasOperations()) {
      for (String t : scriptTools) {
        if (!engine.alwaysRefused(t)) {
          warnings.add(policyFile + ": " + t + " is allowed, but it runs a script that this proxy"
              + " cannot read, so the operation rules do not apply to what it does; deny it"
              + " (\"" + t + "\": {\"action\": \"deny\", \"reason\": \"...\"})");
        }
      }
    }
    for (String w : warnings) {
      out.println("warning: " + w);
    }
    out.println(policyFile + ": valid (" + policy.tools().size() + " tool rules, "
        + policy.operations().size() + " operation rules, default " + policy.defaultAction().wire()
        + ", " + policy.mode().name().toLowerCase(java.util.Locale.ROOT) + "), " + warnings.size()
        + (warnings.size() == 1 ? " warning" : " warnings"));
    return 0;
  }

  /** For a tool named like a HealthOmics operation in front of the AWS API server: the operation. */
  private static String hint(String key, List<String> tools) {
    String cliTool = tools.stream().filter(AwsCliTools::isWellKnownCliTool).findFirst().orElse(null);
    if (cliTool == null || Glob.isGlob(key)) {
      return "";
    }
    String op = key;
    String service = "SERVICE";
    if (key.contains("AHO")) {
      op = key.replace("AHO", "");
      service = "omics";
    }
    return "; this upstream runs AWS operations through " + cliTool + ": to limit this operation,"
        + " use \"operations\": {\"" + service + ":" + op + "\": ...} and allow \"" + cliTool + "\"";
  }
}
