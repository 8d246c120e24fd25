package io.github.mcppolicyproxy.cli;

import io.github.mcppolicyproxy.standin.StandInServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/**
 * {@code mcp-policy-proxy stand-in [OPTIONS]}: the built-in stand-in of the AWS API MCP server (the
 * one the demo and the tests use) as an MCP server on stdio, so that the proxy can be tried in any
 * client without AWS: {@code mcp-policy-proxy --policy P -- mcp-policy-proxy stand-in}.
 */
@Command(name = "stand-in",
    description = {"Runs the built-in stand-in of the AWS API MCP server on stdio (recorded answers,"
        + " no AWS). Options: --scenario default|read-only|mutation-consent|security-policy|"
        + "security-policy-2, --read-only, --require-mutation-consent, --experimental-agent-scripts,"
        + " --no-healthomics-tool, --page-size N, --record FILE."})
final class StandInCommand implements Callable<Integer> {
  /** The upstream word that names the proxy itself: {@code -- mcp-policy-proxy stand-in}. */
  static final String SELF = "mcp-policy-proxy";

  @ParentCommand
  Commands.ProxyCommand parent;

  @Unmatched
  List<String> options = new ArrayList<>();

  @Override
  public Integer call() {
    return StandInServer.run(options.toArray(String[]::new), parent.stdin(), parent.stdout(),
        parent.stderr());
  }

  /**
   * {@code command} with a first word of {@code mcp-policy-proxy} replaced by this very program
   * ({@code <this java> -cp <this jar> Main}), so that the proxy can run itself (its stand-in) as
   * the upstream whatever the client's PATH; any other command unchanged.
   */
  static List<String> expandSelf(List<String> command) {
    if (command.isEmpty() || !command.get(0).equals(SELF)) {
      return command;
    }
    List<String> self = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    self.addAll(command.subList(1, command.size()));
    return List.copyOf(self);
  }
}
