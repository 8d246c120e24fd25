package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.approval.ApprovalChannel;
import io.github.mcppolicyproxy.audit.LogEvent;
import io.github.mcppolicyproxy.audit.LogRotation;
import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.cli.Commands.ProxyCommand;
import io.github.mcppolicyproxy.errors.Failures;
import io.github.mcppolicyproxy.integrity.ToolIntegrity;
import io.github.mcppolicyproxy.jsonrpc.Replies;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.live.LivePolicy;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.PolicyException;
import io.github.mcppolicyproxy.policy.PolicyLint;
import io.github.mcppolicyproxy.process.ChildProcess;
import io.github.mcppolicyproxy.process.UpstreamStartException;
import io.github.mcppolicyproxy.proxy.ProxyConfig;
import io.github.mcppolicyproxy.proxy.RefusalStyle;
import io.github.mcppolicyproxy.telemetry.TelemetrySettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Starts the proxy from its parsed command line, in order: the options, the policy, the violation
 * log, the limits' store, the tool integrity, then the upstream (usually spawned already, see
 * {@link EarlyUpstream}); then {@link ProxyRun} runs the session. Whatever fails first stops the
 * upstream, says why on stderr and, for the client, answers its first request with an error: the
 * proxy fails closed, no frame ever reaches an upstream before everything has loaded.
 */
final class ProxyStart {
  private final ProxyCommand cmd;
  private final PrintStream stderr;
  private final PolicyPreload preload;
  private final EarlyUpstream early;

  ProxyStart(ProxyCommand cmd, PolicyPreload preload, EarlyUpstream early) {
    this.cmd = cmd;
    this.stderr = cmd.stderr();
    this.preload = preload;
    this.early = early;
  }

  /** Runs the proxy; returns its exit code. */
  int run() throws Exception {
    try {
      return startAndRun();
    } finally {
      EarlyUpstream.discard(early); // a no-op once the session took it
    }
  }

  private int startAndRun() throws Exception {
    RefusalStyle style;
    try {
      style = RefusalStyle.valueOf(cmd.refusalStyle.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return usage("--refusal-style must be result or error, not " + cmd.refusalStyle);
    }
    Optional<TelemetrySettings> telemetry;
    try {
      telemetry = TelemetrySettings.resolve(cmd.otlpEndpoint, System.getenv());
    } catch (IllegalArgumentException e) {
      if (cmd.otlpEndpoint != null) {
        return refuse(e.getMessage() + "; no frame was relayed, the upstream is stopped.", "The policy proxy cannot start: "
            + e.getMessage(), null);
      }
      stderr.println("mcp-policy-proxy: telemetry is off: " + e.getMessage());
      telemetry = Optional.empty();
    }
    // a random session id initialises the JDK's security providers (~20 ms): done here, while the
    // mapper is still being built on its own thread (PolicyPreload)
    String sessionId = cmd.sessionId == null ? UUID.randomUUID().toString() : cmd.sessionId;
    ObjectMapper mapper = PolicyPreload.mapper(preload);
    // null: the bundled policy, which cannot change; a file is watched (and SIGHUP reloads it)
    Path policyFile = cmd.policy != null ? cmd.policy
        : DefaultPolicyFile.ensure(DefaultPolicyFile.forThisUser(), stderr);
    Policy loaded;
    try {
      loaded = PolicyPreload.load(preload, policyFile);
    } catch (PolicyException e) {
      EarlyUpstream.discard(early);
      Wiring.report(e, stderr, "mcp-policy-proxy: ");
      return refuse("the policy did not load; no frame was relayed, the upstream is stopped.", Wiring.summary(e),
          Wiring.details(e, mapper));
    }
    PolicyLint.warnings(loaded).forEach(w -> stderr.println("mcp-policy-proxy: warning: " + w));
    String logSpec = cmd.violationLog == null ? Wiring.defaultLogPath() : cmd.violationLog;
    ViolationLog log;
    try {
      log = Wiring.log(logSpec, stderr, mapper, cmd.logArgumentValues,
          new LogRotation(cmd.violationLogMaxBytes, cmd.violationLogKeep));
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    } catch (IOException e) {
      String why = "cannot open the violation log " + logSpec + ": " + Failures.io(e);
      return refuse(why + "; no frame was relayed, the upstream is stopped.", "The policy proxy cannot start: " + why,
          mapper.createObjectNode().put("violation_log", logSpec));
    }
    ProxyConfig config;
    try {
      config = new ProxyConfig(sessionId,
          cmd.maxFrameBytes, cmd.maxPending, cmd.maxQueuedBytes, style,
          Duration.ofMillis(Math.max(0, cmd.shutdownGraceMs)), cmd.requireAudit,
          cmd.logArgumentValues, Clock.systemUTC(), stderr, !cmd.noRefund);
    } catch (IllegalArgumentException e) {
      log.close();
      return usage(e.getMessage());
    }
    UnaryOperator<ApprovalChannel> route;
    try {
      route = cmd.approval.route(mapper, stderr);
    } catch (IllegalArgumentException | IOException e) {
      log.close();
      return refuse(e.getMessage() + "; no frame was relayed, the upstream is stopped.", "The policy proxy cannot start: "
          + e.getMessage(), null);
    }
    Quota quota;
    try {
      String session = config.sessionId();
      quota = cmd.state.quota(loaded, cmd.policy, System.getenv(), stderr, notice ->
          log.appendEvent(new LogEvent(Instant.now(), session, "counter_store",
              Map.of("notice", notice), loaded.source(), loaded.sha256())));
    } catch (IllegalArgumentException e) {
      log.close();
      return usage(e.getMessage());
    }
    LivePolicy live = new LivePolicy(Wiring.judge(loaded, System.getenv(), quota), stderr);
    ToolIntegrity integrity;
    try {
      integrity = PinSetup.integrity(live, cmd.policy, cmd.pins, !cmd.noRedactSecrets, log,
          config, mapper);
    } catch (IOException e) {
      log.close();
      quota.close();
      return usage(e.getMessage() + "; no frame was relayed, the upstream is stopped.");
    }
    List<String> upstreamCommand = ProxyStart.upstreamCommand(cmd.command);
    ChildProcess child;
    try {
      child = EarlyUpstream.take(early, upstreamCommand, stderr);
    } catch (UpstreamStartException e) {
      stderr.println("mcp-policy-proxy: " + e.getMessage());
      new StartFailure(cmd.stdin(), cmd.stdout(), stderr, mapper, config.maxFrameBytes()).answer(
          Replies.UPSTREAM_UNAVAILABLE, "The upstream MCP server could not be started: "
              + e.getMessage(), null, StartFailure.WAIT_FOR_FIRST);
      log.close();
      quota.close();
      return e.exitCode();
    }
    stderr.println("mcp-policy-proxy: policy " + loaded.source() + " (sha256 "
        + loaded.sha256().substring(0, 12) + ", default " + loaded.defaultAction().wire()
        + ", " + loaded.mode().name().toLowerCase(Locale.ROOT) + "), session "
        + config.sessionId() + ", violation log " + logSpec + ", upstream pid " + child.pid()
        + ": " + String.join(" ", upstreamCommand));
    return new ProxyRun(cmd, config, mapper, log, quota, live, integrity, route, policyFile,
        telemetry, child, early).run();
  }

  /** The upstream the proxy runs for the parsed {@code command}: the default one when empty. */
  static List<String> upstreamCommand(List<String> command) {
    return StandInCommand.expandSelf(command.isEmpty() ? Commands.DEFAULT_UPSTREAM : command);
  }

  /** A usage error on stderr; nothing is answered (as before anything was started). */
  private int usage(String message) {
    EarlyUpstream.discard(early);
    stderr.println("mcp-policy-proxy: " + message);
    return Cli.EXIT_USAGE;
  }

  /**
   * The proxy cannot start: the upstream is stopped first, then {@code line} goes to stderr and the
   * client's first request is answered with {@code forClient}.
   */
  private int refuse(String line, String forClient, JsonNode data) {
    EarlyUpstream.discard(early);
    stderr.println("mcp-policy-proxy: " + line);
    ObjectMapper m = Wiring.mapper();
    new StartFailure(cmd.stdin(), cmd.stdout(), stderr, m, cmd.maxFrameBytes > 0
        ? cmd.maxFrameBytes : ProxyConfig.DEFAULT_MAX_FRAME_BYTES).answer(
        StartFailure.PROXY_MISCONFIGURED, forClient, data == null ? m.createObjectNode() : data,
        StartFailure.WAIT_FOR_FIRST);
    return Cli.EXIT_USAGE;
  }
}
