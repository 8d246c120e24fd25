package io.github.mcppolicyproxy.cli;

import io.github.mcppolicyproxy.cli.Commands.ProxyCommand;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import picocli.CommandLine;

/**
 * The composition root's front: parses the command line and runs the chosen command with the
 * process's streams. Exit codes: 0 clean, 2 usage / policy / log problems (before any child starts),
 * 126/127 upstream not executable / not found, otherwise the upstream's own exit code.
 */
public final class Cli {
  /** Usage errors, a policy that does not load, a log that cannot be opened. */
  public static final int EXIT_USAGE = 2;

  private final InputStream stdin;
  private final OutputStream stdout;
  private final PrintStream stderr;

  /** @param stdout the protocol channel: only frames (and --help/--version text) go there */
  public Cli(InputStream stdin, OutputStream stdout, PrintStream stderr) {
    this.stdin = Objects.requireNonNull(stdin, "stdin");
    this.stdout = Objects.requireNonNull(stdout, "stdout");
    this.stderr = Objects.requireNonNull(stderr, "stderr");
  }

  public int run(String... args) {
    // A proxy start reads its policy and spawns its upstream while picocli builds its model.
    java.util.Optional<Prescan> scan = Prescan.of(args);
    PolicyPreload preload = scan.map(PolicyPreload::start).orElse(null);
    EarlyUpstream early = scan.map(s -> EarlyUpstream.start(
        ProxyStart.upstreamCommand(s.command()), stderr)).orElse(null);
    try {
      return run(args, preload, early, scan.isPresent());
    } finally {
      EarlyUpstream.discard(early); // a usage error, say: the upstream never served a session
    }
  }

  private int run(String[] args, PolicyPreload preload, EarlyUpstream early, boolean proxyStart) {
    ProxyCommand proxy = new ProxyCommand(stdin, stdout, stderr, preload, early);
    if (proxyStart && QuickParse.fill(proxy, args)) {
      // Read without picocli's model: QuickParseTest holds the two readings equal.
      try {
        return proxy.call();
      } catch (Exception e) { // as picocli's execute: the trace on stderr, exit code 2
        e.printStackTrace(stderr);
        return EXIT_USAGE;
      }
    }
    CommandLine cl = proxyModel(proxy);
    if (!proxyStart) {
      // Subcommands, help and version. The proxy's own start (a pre-scanned one) skips building
      // their models: picocli's reflection is the longest step of the start.
      cl.addSubcommand(new DemoCommand());
      cl.addSubcommand(new CheckCommand());
      cl.addSubcommand(new ExplainCommand());
      cl.addSubcommand(new PinCommand());
      cl.addSubcommand(new CountersCommand());
      cl.addSubcommand(new ApprovalCommands.List());
      cl.addSubcommand(new ApprovalCommands.Approve());
      cl.addSubcommand(new ApprovalCommands.Deny());
      cl.addSubcommand(new StandInCommand());
      cl.addSubcommand(new TailCommand());
      cl.addSubcommand(new ScanCommand());
    }
    cl.getSubcommands().values().forEach(sub -> sub.setStopAtPositional(false));
    cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(stdout, StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(stderr, StandardCharsets.UTF_8), true));
    cl.setExitCodeExceptionMapper(e -> EXIT_USAGE);
    cl.setParameterExceptionHandler((ex, a) -> {
      stderr.println("mcp-policy-proxy: " + ex.getMessage());
      stderr.println("Try 'mcp-policy-proxy --help'.");
      return EXIT_USAGE;
    });
    java.util.Optional<String> typo = MistypedCommand.find(args, cl);
    if (typo.isPresent()) {
      stderr.println("mcp-policy-proxy: " + typo.get());
      return EXIT_USAGE;
    }
    return cl.execute(args);
  }

  /** Picocli's model of the proxy's own command line (subcommands are added by the caller). */
  static CommandLine proxyModel(ProxyCommand proxy) {
    CommandLine cl = new CommandLine(proxy);
    cl.setStopAtPositional(true); // the upstream's own options follow its name
    cl.setUnmatchedOptionsArePositionalParams(false);
    return cl;
  }
}
