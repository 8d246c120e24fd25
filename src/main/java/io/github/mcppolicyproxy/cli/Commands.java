package io.github.mcppolicyproxy.cli;

import io.github.mcppolicyproxy.proxy.ProxyConfig;
import io.github.mcppolicyproxy.proxy.UpstreamQueue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line: the proxy itself, and its operator subcommands. */
final class Commands {
  private Commands() {}

  /** With no COMMAND, the proxy runs the AWS API MCP server. */
  static final List<String> DEFAULT_UPSTREAM = List.of("uvx", "awslabs.aws-api-mcp-server@latest");

  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      java.util.Properties p = new java.util.Properties();
      try (InputStream in = Version.class.getResourceAsStream("/version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"mcp-policy-proxy " + p.getProperty("version", "unknown")};
    }
  }

  @Command(name = "mcp-policy-proxy", mixinStandardHelpOptions = true,
      versionProvider = Version.class, sortOptions = false, usageHelpAutoWidth = true,
      description = {
          "A policy firewall for an MCP server over stdio. Started by an MCP client as its server"
              + " command, it starts COMMAND (the real server) as its child, relays every JSON-RPC"
              + " frame in both directions and enforces the policy on tools/call: refused calls are"
              + " answered with an error result, never forwarded, and written to the violation log.",
          "",
          "stdout carries only protocol frames; diagnostics go to stderr.", ""},
      footer = {
          "",
          "COMMAND defaults to: uvx awslabs.aws-api-mcp-server@latest",
          "",
          "Exit codes:",
          "  0    the client closed stdin and everything shut down cleanly",
          "  2    usage error, a policy that does not load, or a violation log that",
          "       cannot be opened (no frame was relayed; an upstream already",
          "       started is stopped first)",
          "  126  COMMAND is not executable;  127  COMMAND was not found",
          "  N    the upstream's own exit code when it exits by itself"})
  static final class ProxyCommand implements Callable<Integer> {
    /**
     * On SIGTERM/SIGINT, how long the shutdown hook waits, after stopping the upstream, for the
     * session to end and write its summary before it closes the log: the session answers what is
     * pending and waits 250 ms for a last request (10 s for a client that never sent one, whose
     * summary is then not written).
     */
    static final Duration SUMMARY_WAIT = Duration.ofSeconds(3);

    private final InputStream stdin;
    private final OutputStream stdout;
    private final PrintStream stderr;

    @Option(names = "--policy", paramLabel = "FILE",
        description = {"Policy file (JSON). Default: ~/.mcp-policy-proxy/policy.json, created from the",
            "bundled config/aws-api-mcp-server.policy.json on first start."})
    Path policy;

    @Option(names = "--violation-log", paramLabel = "FILE",
        description = {"Where refusals are logged as JSON lines; '-' for stderr. Default:",
            "~/.mcp-policy-proxy/violations.jsonl"})
    String violationLog;

    @Option(names = "--violation-log-max-bytes", paramLabel = "N", defaultValue = "0",
        description = "Rotate the violation log before a record would take it past N bytes"
            + " (LOG becomes LOG.1, ...); 0 never rotates (default).")
    long violationLogMaxBytes;

    @Option(names = "--violation-log-keep", paramLabel = "N", defaultValue = "5",
        description = "How many rotated violation logs to keep (default: ${DEFAULT-VALUE}).")
    int violationLogKeep;

    @Option(names = "--session-id", paramLabel = "ID",
        description = "Names this session in the log and keys its session limits. Default: random.")
    String sessionId;

    @Option(names = "--refusal-style", paramLabel = "result|error", defaultValue = "result",
        description = "Answer refused calls with a tool result (isError: true; default) or a"
            + " JSON-RPC error (-32001).")
    String refusalStyle;

    @Option(names = "--max-frame-bytes", paramLabel = "N",
        defaultValue = "" + ProxyConfig.DEFAULT_MAX_FRAME_BYTES,
        description = "Largest frame accepted in either direction (default: ${DEFAULT-VALUE}).")
    int maxFrameBytes;

    @Option(names = "--max-pending", paramLabel = "N",
        defaultValue = "" + ProxyConfig.DEFAULT_MAX_PENDING,
        description = "Most client requests waiting for the upstream at once (default: ${DEFAULT-VALUE}).")
    int maxPending;

    @Option(names = "--max-queued-bytes", paramLabel = "N",
        defaultValue = "" + UpstreamQueue.DEFAULT_MAX_BYTES,
        description = "Most bytes of client frames waiting for an upstream that does not read its"
            + " input; beyond it requests are answered with an error (-32004) and other frames"
            + " wait (default: ${DEFAULT-VALUE}).")
    long maxQueuedBytes;

    @Option(names = "--shutdown-grace-ms", paramLabel = "MS", defaultValue = "1000",
        description = "After the client closes stdin, how long the upstream may take to exit before"
            + " it and its descendants are terminated (default: ${DEFAULT-VALUE}).")
    long shutdownGraceMs;

    @Option(names = "--require-audit",
        description = "Refuse every tools/call while the violation log cannot be written.")
    boolean requireAudit;

    @Option(names = "--log-argument-values",
        description = "Also record argument values in the violation log (default: only a SHA-256"
            + " and the top-level keys).")
    boolean logArgumentValues;

    @Option(names = "--no-redact-secrets",
        description = "Pass credentials in tool results on unredacted (default: replaced with a"
            + " marker; the policy's \"redact_secrets\": false does the same).")
    boolean noRedactSecrets;

    @Option(names = "--pins", paramLabel = "FILE",
        description = {"Tool definitions pinned by 'mcp-policy-proxy pin'; a tool whose definition",
            "differs is refused (tool_changed). Default: POLICY.pins.json beside the policy,",
            "when it exists."})
    Path pins;
    @picocli.CommandLine.Mixin
    StateOptions state = new StateOptions();

    @Option(names = "--no-refund",
        description = "Keep the permits of calls the upstream answered with a JSON-RPC error or"
            + " died before answering (default: they are given back).")
    boolean noRefund;

    @Option(names = "--otlp-endpoint", paramLabel = "URL",
        description = {"Send metrics and one span per tools/call to this OpenTelemetry collector",
            "(OTLP/HTTP base URL, e.g. http://localhost:4318). Default: OTEL_EXPORTER_OTLP_ENDPOINT,",
            "else off (no OpenTelemetry class is loaded)."})
    String otlpEndpoint;

    @picocli.CommandLine.Mixin
    ApprovalOptions approval = new ApprovalOptions();

    @Parameters(paramLabel = "COMMAND", arity = "0..*",
        description = "The upstream MCP server and its arguments, after '--'.")
    List<String> command = new ArrayList<>();

    private final PolicyPreload preload;
    private final EarlyUpstream early;

    ProxyCommand(InputStream stdin, OutputStream stdout, PrintStream stderr, PolicyPreload preload) {
      this(stdin, stdout, stderr, preload, null);
    }

    /**
     * @param preload the policy being read since before picocli's parse, or null
     * @param early the upstream started since before picocli's parse, or null
     */
    ProxyCommand(InputStream stdin, OutputStream stdout, PrintStream stderr, PolicyPreload preload,
        EarlyUpstream early) {
      this.stdin = stdin;
      this.stdout = stdout;
      this.stderr = stderr;
      this.preload = preload;
      this.early = early;
    }

    OutputStream stdout() {
      return stdout;
    }

    InputStream stdin() {
      return stdin;
    }

    PrintStream stderr() {
      return stderr;
    }

    @Override
    public Integer call() throws Exception {
      return new ProxyStart(this, preload, early).run();
    }
  }
}
