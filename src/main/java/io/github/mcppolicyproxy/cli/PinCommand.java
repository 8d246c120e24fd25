package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.integrity.DefinitionDiff;
import io.github.mcppolicyproxy.integrity.PinFile;
import io.github.mcppolicyproxy.integrity.ToolPins;
import io.github.mcppolicyproxy.process.UpstreamStartException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code pin --policy P [--pins FILE] [--diff] -- COMMAND...}: starts the upstream once, lists its
 * tools and records their definitions in the pin file (accepting any change), or with
 * {@code --diff} only shows how the listed definitions differ from the pinned ones. A proxy running
 * with that pin file reads it again when it changes ({@link PinSetup}), so accepting takes effect
 * without a restart.
 */
@Command(name = "pin", mixinStandardHelpOptions = true,
    description = {"Records the tool definitions of the upstream COMMAND in a pin file; the proxy"
        + " then refuses a tool whose definition differs (code tool_changed). Running pin again"
        + " accepts the current definitions (a running proxy reads the file again within"
        + " seconds). With --diff, only shows what changed.",
        "Exit code: 0 pinned (or, with --diff, no difference), 1 with --diff: definitions differ,"
            + " 2 errors."})
final class PinCommand implements Callable<Integer> {
  @ParentCommand
  Commands.ProxyCommand parent;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "The policy the pins belong to; the pin file defaults to FILE.pins.json.")
  Path policy;

  @Option(names = "--pins", paramLabel = "FILE",
      description = "The pin file (default: POLICY.pins.json, or ~/.mcp-policy-proxy/pins.json).")
  Path pins;

  @Option(names = "--diff", description = "Show how the upstream's definitions differ from the"
      + " pinned ones; change nothing.")
  boolean diff;

  @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The upstream MCP server"
      + " and its arguments, after '--'.")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    PrintStream out = new PrintStream(parent.stdout(), true, StandardCharsets.UTF_8);
    if (!command.isEmpty() && command.get(0).equals("--")) {
      command = command.subList(1, command.size());
    }
    Path file = pins != null ? pins : PinFile.defaultFor(policy);
    ObjectMapper mapper = Wiring.mapper();
    PinFile pinFile = new PinFile(mapper);
    List<JsonNode> tools;
    try {
      tools = UpstreamProbe.tools(command, mapper, parent.stderr(), Duration.ofSeconds(60));
    } catch (IOException | UpstreamStartException e) {
      out.println("error: cannot list the tools of " + String.join(" ", command) + ": "
          + e.getMessage());
      return Cli.EXIT_USAGE;
    }
    Map<String, ToolPins.Pin> listed = new TreeMap<>();
    tools.forEach(t -> listed.put(t.path("name").asText(), ToolPins.pinOf(t)));
    Map<String, ToolPins.Pin> pinned = Map.of();
    try {
      if (Files.exists(file)) {
        try {
          pinned = pinFile.read(file);
        } catch (IOException e) {
          if (diff) {
            throw e;
          }
          // accepting replaces the file whole: a broken one must not stand in the way
          out.println("warning: the pin file does not load (" + e.getMessage() + "); it is"
              + " replaced, every listed tool is shown as new");
        }
      } else if (diff) {
        out.println("no pin file at " + file + "; every listed tool is new");
      }
      List<String> lines = DefinitionDiff.lines(pinned, listed);
      if (diff) {
        lines.forEach(out::println);
        boolean changed = lines.stream().anyMatch(l -> l.startsWith("~") || l.startsWith("-"));
        out.println(changed ? "definitions differ from " + file + "; run pin without --diff to"
            + " accept them" : "no tool changed since " + file + " was written");
        return changed ? 1 : 0;
      }
      pinFile.write(file, command, Clock.systemUTC().instant(), tools);
      lines.forEach(out::println);
      out.println("pinned " + tools.size() + " tool definitions to " + file);
      return 0;
    } catch (IOException e) {
      out.println("error: " + e.getMessage());
      return Cli.EXIT_USAGE;
    }
  }
}
