package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.jsonrpc.Replies;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.PolicyException;
import io.github.mcppolicyproxy.process.ChildProcess;
import io.github.mcppolicyproxy.process.UpstreamStartException;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.live.LivePolicy;
import io.github.mcppolicyproxy.live.PolicyWatcher;
import io.github.mcppolicyproxy.proxy.ProxyConfig;
import io.github.mcppolicyproxy.proxy.ProxySession;
import io.github.mcppolicyproxy.proxy.RefusalStyle;
import io.github.mcppolicyproxy.proxy.SessionStats;
import io.github.mcppolicyproxy.telemetry.Telemetry;
import io.github.mcppolicyproxy.telemetry.TelemetrySettings;
import io.github.mcppolicyproxy.proxy.UpstreamQueue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
          "       cannot be opened (nothing was started)",
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

    ProxyCommand(InputStream stdin, OutputStream stdout, PrintStream stderr, PolicyPreload preload) {
      this.stdin = stdin;
      this.stdout = stdout;
      this.stderr = stderr;
      this.preload = preload;
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
      RefusalStyle style;
      try {
        style = RefusalStyle.valueOf(refusalStyle.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        stderr.println("mcp-policy-proxy: --refusal-style must be result or error, not "
            + refusalStyle);
        return Cli.EXIT_USAGE;
      }
      java.util.Optional<TelemetrySettings> telemetrySettings;
      try {
        telemetrySettings = TelemetrySettings.resolve(otlpEndpoint, System.getenv());
      } catch (IllegalArgumentException e) {
        if (otlpEndpoint != null) {
          stderr.println("mcp-policy-proxy: " + e.getMessage() + "; nothing was started.");
          ObjectMapper m = Wiring.mapper();
          startFailure(m).answer(StartFailure.PROXY_MISCONFIGURED, "The policy proxy cannot"
              + " start: " + e.getMessage(), m.createObjectNode(), StartFailure.WAIT_FOR_FIRST);
          return Cli.EXIT_USAGE;
        }
        stderr.println("mcp-policy-proxy: telemetry is off: " + e.getMessage());
        telemetrySettings = java.util.Optional.empty();
      }
      ObjectMapper mapper = Wiring.mapper();
      Policy loaded;
      // null: the bundled policy, which cannot change; a file is watched (and SIGHUP reloads it)
      Path policyFile = policy != null ? policy
          : DefaultPolicyFile.ensure(DefaultPolicyFile.forThisUser(), stderr);
      try {
        loaded = PolicyPreload.load(preload, policyFile);
      } catch (PolicyException e) {
        Wiring.report(e, stderr, "mcp-policy-proxy: ");
        stderr.println("mcp-policy-proxy: the policy did not load; nothing was started.");
        startFailure(mapper).answer(StartFailure.PROXY_MISCONFIGURED, Wiring.summary(e),
            Wiring.details(e, mapper), StartFailure.WAIT_FOR_FIRST);
        return Cli.EXIT_USAGE;
      }
      io.github.mcppolicyproxy.policy.PolicyLint.warnings(loaded)
          .forEach(w -> stderr.println("mcp-policy-proxy: warning: " + w));
      String logSpec = violationLog == null ? Wiring.defaultLogPath() : violationLog;
      ViolationLog log;
      try {
        log = Wiring.log(logSpec, stderr, mapper, logArgumentValues,
            new io.github.mcppolicyproxy.audit.LogRotation(violationLogMaxBytes, violationLogKeep));
      } catch (IllegalArgumentException e) {
        stderr.println("mcp-policy-proxy: " + e.getMessage());
        return Cli.EXIT_USAGE;
      } catch (IOException e) {
        String why = "cannot open the violation log " + logSpec + ": "
            + io.github.mcppolicyproxy.errors.Failures.io(e);
        stderr.println("mcp-policy-proxy: " + why + "; nothing was started.");
        startFailure(mapper).answer(StartFailure.PROXY_MISCONFIGURED, "The policy proxy cannot"
            + " start: " + why, mapper.createObjectNode().put("violation_log", logSpec),
            StartFailure.WAIT_FOR_FIRST);
        return Cli.EXIT_USAGE;
      }
      ProxyConfig config;
      try {
        config = new ProxyConfig(sessionId == null ? UUID.randomUUID().toString() : sessionId,
            maxFrameBytes, maxPending, maxQueuedBytes, style, Duration.ofMillis(Math.max(0, shutdownGraceMs)),
            requireAudit, logArgumentValues, Clock.systemUTC(), stderr, !noRefund);
      } catch (IllegalArgumentException e) {
        stderr.println("mcp-policy-proxy: " + e.getMessage());
        return Cli.EXIT_USAGE;
      }
      java.util.function.UnaryOperator<io.github.mcppolicyproxy.approval.ApprovalChannel> route;
      try {
        route = approval.route(mapper, stderr);
      } catch (IllegalArgumentException | IOException e) {
        stderr.println("mcp-policy-proxy: " + e.getMessage() + "; nothing was started.");
        log.close();
        startFailure(mapper).answer(StartFailure.PROXY_MISCONFIGURED, "The policy proxy cannot"
            + " start: " + e.getMessage(), mapper.createObjectNode(), StartFailure.WAIT_FOR_FIRST);
        return Cli.EXIT_USAGE;
      }
      io.github.mcppolicyproxy.limits.Quota quota;
      try {
        String session = config.sessionId();
        ViolationLog events = log;
        quota = state.quota(loaded, policy, System.getenv(), stderr, notice -> events.appendEvent(
            new io.github.mcppolicyproxy.audit.LogEvent(java.time.Instant.now(), session,
                "counter_store", Map.of("notice", notice), loaded.source(), loaded.sha256())));
      } catch (IllegalArgumentException e) {
        stderr.println("mcp-policy-proxy: " + e.getMessage());
        log.close();
        return Cli.EXIT_USAGE;
      }
      LivePolicy live = new LivePolicy(Wiring.judge(loaded, System.getenv(), quota), stderr);
      io.github.mcppolicyproxy.integrity.ToolIntegrity integrity;
      try {
        integrity = PinSetup.integrity(live, policy, pins, !noRedactSecrets, log, config, mapper);
      } catch (IOException e) {
        stderr.println("mcp-policy-proxy: " + e.getMessage() + "; nothing was started.");
        log.close();
        quota.close();
        return Cli.EXIT_USAGE;
      }
      List<String> upstreamCommand =
          StandInCommand.expandSelf(command.isEmpty() ? DEFAULT_UPSTREAM : command);
      ChildProcess child;
      try {
        child = ChildProcess.start(upstreamCommand, Map.of(), stderr);
      } catch (UpstreamStartException e) {
        stderr.println("mcp-policy-proxy: " + e.getMessage());
        answerWhileUnavailable(e.getMessage(), config, mapper);
        log.close();
        quota.close();
        return e.exitCode();
      }
      stderr.println("mcp-policy-proxy: policy " + loaded.source() + " (sha256 "
          + loaded.sha256().substring(0, 12) + ", default " + loaded.defaultAction().wire()
          + ", " + loaded.mode().name().toLowerCase(java.util.Locale.ROOT) + "), session "
          + config.sessionId() + ", violation log " + logSpec + ", upstream pid " + child.pid()
          + ": " + String.join(" ", upstreamCommand));
      Telemetry telemetry = telemetrySettings.map(t -> Telemetry.start(t, config.sessionId(),
          config.clock(), stderr)).orElse(Telemetry.OFF);
      java.util.concurrent.CountDownLatch sessionEnded = new java.util.concurrent.CountDownLatch(1);
      Thread hook = new Thread(() -> {
        try {
          child.stop(config.shutdownGrace());
          // SIGTERM/SIGINT: the session ends as when its upstream exits, and writes its summary
          // (stderr line and log record) before the log is closed here; bounded (see SUMMARY_WAIT)
          sessionEnded.await(SUMMARY_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        log.close();
        quota.close();
        telemetry.close();
      }, "shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      SessionStats stats = new SessionStats(config.clock().instant());
      // telemetry off: each of these is returned unchanged (see Telemetry.OFF)
      ProxySession session = new ProxySession(telemetry.fromClient(stdin),
          telemetry.toClient(stdout), telemetry.upstream(child), live, policyFile != null,
          telemetry.log(log), config, mapper, stats, route, integrity);
      PolicyWatcher watcher = policyFile == null ? null
          : LiveReload.start(policyFile, live, session, stats, log, config, System.getenv(), quota);
      int code;
      try {
        code = session.run();
      } finally {
        sessionEnded.countDown(); // its summary is written
        if (watcher != null) {
          watcher.close();
        }
      }
      quota.close(); // refunds on their way reach the store before the process exits
      telemetry.close(); // bounded: a collector that is down delays the exit by ~1.5 s at most
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook will run and find everything stopped
      }
      return code;
    }

    /**
     * The upstream could not start: answer the client's requests (its initialize, typically) with an
     * error, so it shows a reason rather than a dead pipe.
     */
    private void answerWhileUnavailable(String why, ProxyConfig config, ObjectMapper mapper) {
      new StartFailure(stdin, stdout, stderr, mapper, config.maxFrameBytes()).answer(
          Replies.UPSTREAM_UNAVAILABLE, "The upstream MCP server could not be started: " + why,
          null, StartFailure.WAIT_FOR_FIRST);
    }

    private StartFailure startFailure(ObjectMapper mapper) {
      return new StartFailure(stdin, stdout, stderr, mapper, maxFrameBytes > 0 ? maxFrameBytes
          : ProxyConfig.DEFAULT_MAX_FRAME_BYTES);
    }
  }
}
