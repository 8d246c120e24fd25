package io.github.mcppolicyproxy.cli;

import io.github.mcppolicyproxy.tail.Durations;
import io.github.mcppolicyproxy.tail.LogFollower;
import io.github.mcppolicyproxy.tail.RecordFilter;
import io.github.mcppolicyproxy.tail.RecordFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tail [LOG]}: shows the violation log's last records, then follows it (waiting for it to
 * appear, across rotation and truncation), one readable line per record, or the records unchanged
 * with {@code --json}.
 */
@Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Follows the violation log: one readable line per record (time, session, tool"
        + " and AWS operations, code, reason, rule), coloured on a terminal, plain when piped or"
        + " when NO_COLOR is set. Waits for LOG to appear and follows it across rotation and"
        + " truncation; -n and --since read the rotated files (LOG.1, LOG.2, ...) too."
        + " Ctrl-C stops it."})
final class TailCommand implements Callable<Integer> {
  @ParentCommand
  Commands.ProxyCommand parent;

  @Parameters(index = "0", arity = "0..1", paramLabel = "LOG",
      description = "The log (default: ~/.mcp-policy-proxy/violations.jsonl).")
  Path log;

  @Option(names = "--json", description = "Pass the records through unchanged (JSON lines).")
  boolean json;

  @Option(names = "--code", paramLabel = "CODE", description = "Only records with this code"
      + " (denied, rate_limited, ...) or event (policy_reloaded, ...); repeatable.")
  List<String> codes = new ArrayList<>();

  @Option(names = "--tool", paramLabel = "TOOL", description = "Only calls of this tool (globs"
      + " allowed); repeatable.")
  List<String> tools = new ArrayList<>();

  @Option(names = "--session", paramLabel = "ID", description = "Only this session; repeatable.")
  List<String> sessions = new ArrayList<>();

  @Option(names = "--since", paramLabel = "DURATION", description = "Only records of the last"
      + " DURATION (90s, 15m, 2h, 1d); without -n, all of them are shown before following.")
  String since;

  @Option(names = "-n", paramLabel = "N", description = "Show the last N matching records before"
      + " following (default: 10, or all with --since).")
  Integer lines;

  @Option(names = "--color", paramLabel = "auto|always|never", defaultValue = "auto",
      description = "Colour the lines: auto (on a terminal unless NO_COLOR is set), always, never.")
  String color;

  @Option(names = "--no-follow", description = "Show the matching records and exit.")
  boolean noFollow;

  @Override
  public Integer call() throws IOException {
    PrintStream out = new PrintStream(parent.stdout(), true, StandardCharsets.UTF_8);
    Instant from = null;
    if (since != null) {
      try {
        from = Clock.systemUTC().instant().minus(Durations.parse(since));
      } catch (IllegalArgumentException e) {
        parent.stderr().println("mcp-policy-proxy tail: --since: " + e.getMessage());
        return Cli.EXIT_USAGE;
      }
    }
    boolean colour = switch (color) {
      case "always" -> true;
      case "never" -> false;
      case "auto" -> Terminal.interactive()
          && System.getenv().getOrDefault("NO_COLOR", "").isEmpty();
      default -> {
        parent.stderr().println("mcp-policy-proxy tail: --color must be auto, always or never");
        yield false;
      }
    };
    Path file = log != null ? log : Path.of(Wiring.defaultLogPath());
    RecordFilter filter = new RecordFilter(codes, tools, sessions, from);
    RecordFormat format = new RecordFormat(colour);
    Consumer<String> show = line -> {
      if (filter.test(line)) {
        out.println(json ? line : format.format(line));
      }
    };
    LogFollower follower = new LogFollower(file, Duration.ofMillis(200));
    int n = lines != null ? lines : since != null ? -1 : 10;
    follower.last(n, filter, from).forEach(l -> out.println(json ? l : format.format(l)));
    if (noFollow) {
      follower.close();
      return 0;
    }
    try {
      follower.follow(show);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      follower.close();
    }
    return 0;
  }
}
