package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.integrity.HiddenInstructions;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import io.github.mcppolicyproxy.process.UpstreamStartException;
import io.github.mcppolicyproxy.scan.RiskClassifier;
import io.github.mcppolicyproxy.scan.StarterPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scan [--aws-cli-tool NAME]... -- COMMAND...}: starts the upstream, lists its tools (every
 * page) and prints a starter policy for them on stdout (see {@link StarterPolicy}). What
 * {@link HiddenInstructions} finds in the tools' definitions goes to stderr as warnings in
 * {@code check}'s words (stdout stays a policy that loads), and the tools concerned are denied in
 * that policy.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = {"Starts COMMAND (an MCP server), lists its tools and prints a starter policy:"
        + " default deny, every tool named and grouped by risk from its annotations (readOnlyHint,"
        + " destructiveHint, idempotentHint, openWorldHint) or the verbs in its name: destructive"
        + " denied with a reason, execute and write rate limited, read allowed. For an upstream"
        + " with a tool that runs AWS CLI commands (call_aws, *___call_aws, or one named with"
        + " --aws-cli-tool) it adds the operations of the shipped guarded policy. Tools whose"
        + " definitions may hide instructions are denied, and warned about on stderr.",
        "Example: mcp-policy-proxy scan -- uvx awslabs.aws-api-mcp-server@latest > policy.json"})
final class ScanCommand implements Callable<Integer> {
  @ParentCommand
  Commands.ProxyCommand parent;

  @Option(names = "--aws-cli-tool", paramLabel = "NAME",
      description = "A tool that runs AWS CLI commands under another name than call_aws or"
          + " *___call_aws (repeatable): it is judged by the operations, and is written to the"
          + " policy's aws_cli_tools.")
  List<String> awsCliTools = new ArrayList<>();

  @Parameters(paramLabel = "COMMAND", arity = "1..*",
      description = "The upstream MCP server and its arguments, after '--'.")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    PrintStream out = new PrintStream(parent.stdout(), true, StandardCharsets.UTF_8);
    if (!command.isEmpty() && command.get(0).equals("--")) {
      command = command.subList(1, command.size());
    }
    if (command.isEmpty()) {
      parent.stderr().println("mcp-policy-proxy scan: name the upstream command after '--'");
      return Cli.EXIT_USAGE;
    }
    ObjectMapper mapper = Wiring.mapper();
    List<JsonNode> tools;
    try {
      tools = UpstreamProbe.tools(command, mapper, parent.stderr(), Duration.ofSeconds(60));
    } catch (IOException | UpstreamStartException e) {
      parent.stderr().println("mcp-policy-proxy scan: cannot list the tools of "
          + String.join(" ", command) + ": " + e.getMessage());
      return Cli.EXIT_USAGE;
    }
    List<HiddenInstructions.Finding> hidden = new HiddenInstructions().scan(tools);
    ObjectNode policy = new StarterPolicy(mapper, new RiskClassifier())
        .build(tools, String.join(" ", command), guarded(mapper), awsCliTools, hidden);
    try {
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(policy));
    } catch (IOException e) {
      parent.stderr().println("mcp-policy-proxy scan: " + e.getMessage());
      return Cli.EXIT_USAGE;
    }
    String description = policy.path("description").asText();
    String about = String.join(" ", command) + ". "; // the command may hold ". " itself
    parent.stderr().println("mcp-policy-proxy scan: "
        + description.substring(description.indexOf(about) + about.length()));
    for (String name : awsCliTools) {
      if (tools.stream().noneMatch(t -> t.path("name").asText().equals(name))) {
        parent.stderr().println("mcp-policy-proxy scan: warning: --aws-cli-tool " + name
            + ": this upstream lists no such tool");
      }
    }
    HiddenInstructions.warnings(hidden).forEach(w ->
        parent.stderr().println("mcp-policy-proxy scan: warning: " + w));
    return 0;
  }

  /** The bundled guarded policy for the AWS API MCP server, as JSON. */
  private static JsonNode guarded(ObjectMapper mapper) {
    try (InputStream in = ScanCommand.class.getResourceAsStream("/config/"
        + PolicyLoader.BUILTIN_DEFAULT)) {
      return in == null ? null : mapper.readTree(in);
    } catch (IOException e) {
      return null;
    }
  }
}
