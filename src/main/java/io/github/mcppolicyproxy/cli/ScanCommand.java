package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scan -- COMMAND...}: starts the upstream, lists its tools (every page) and prints a
 * starter policy for them on stdout (see {@link StarterPolicy}).
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = {"Starts COMMAND (an MCP server), lists its tools and prints a starter policy:"
        + " default deny, every tool named and grouped by risk from its annotations (readOnlyHint,"
        + " destructiveHint, idempotentHint, openWorldHint) or the verbs in its name: destructive"
        + " denied with a reason, execute and write rate limited, read allowed. For an upstream"
        + " with call_aws it adds the operations of the shipped guarded policy.",
        "Example: mcp-policy-proxy scan -- uvx awslabs.aws-api-mcp-server@latest > policy.json"})
final class ScanCommand implements Callable<Integer> {
  @ParentCommand
  Commands.ProxyCommand parent;

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
    ObjectNode policy = new StarterPolicy(mapper, new RiskClassifier())
        .build(tools, String.join(" ", command), guarded(mapper));
    try {
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(policy));
    } catch (IOException e) {
      parent.stderr().println("mcp-policy-proxy scan: " + e.getMessage());
      return Cli.EXIT_USAGE;
    }
    parent.stderr().println("mcp-policy-proxy scan: "
        + policy.path("description").asText().replaceFirst("^.*?\\. ", ""));
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
