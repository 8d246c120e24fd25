package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.approval.ApprovalChannel;
import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.cli.Commands.ProxyCommand;
import io.github.mcppolicyproxy.integrity.ToolIntegrity;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.live.LivePolicy;
import io.github.mcppolicyproxy.live.PolicyWatcher;
import io.github.mcppolicyproxy.process.ChildProcess;
import io.github.mcppolicyproxy.proxy.ProxyConfig;
import io.github.mcppolicyproxy.proxy.ProxySession;
import io.github.mcppolicyproxy.proxy.SessionStats;
import io.github.mcppolicyproxy.telemetry.Telemetry;
import io.github.mcppolicyproxy.telemetry.TelemetrySettings;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Runs one proxy session over what {@link ProxyStart} prepared, and closes it all when it ends:
 * the shutdown hook (SIGTERM, SIGINT) stops the upstream and lets the session write its summary,
 * the policy file is watched while the session runs.
 */
record ProxyRun(ProxyCommand cmd, ProxyConfig config, ObjectMapper mapper, ViolationLog log,
    Quota quota, LivePolicy live, ToolIntegrity integrity, UnaryOperator<ApprovalChannel> route,
    Path policyFile, Optional<TelemetrySettings> telemetrySettings, ChildProcess child,
    EarlyUpstream early) {
  int run() throws InterruptedException {
    Telemetry telemetry = telemetrySettings.map(t -> Telemetry.start(t, config.sessionId(),
        config.clock(), config.stderr())).orElse(Telemetry.OFF);
    CountDownLatch sessionEnded = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      try {
        child.stop(config.shutdownGrace());
        // SIGTERM/SIGINT: the session ends as when its upstream exits, and writes its summary
        // (stderr line and log record) before the log is closed here; bounded (see SUMMARY_WAIT)
        sessionEnded.await(ProxyCommand.SUMMARY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      log.close();
      quota.close();
      telemetry.close();
    }, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (early != null) {
      early.handedOver(); // the hook above stops the upstream from now on
    }
    SessionStats stats = new SessionStats(config.clock().instant());
    // telemetry off: each of these is returned unchanged (see Telemetry.OFF)
    ProxySession session = new ProxySession(telemetry.fromClient(cmd.stdin()),
        telemetry.toClient(cmd.stdout()), telemetry.upstream(child), live, policyFile != null, telemetry.log(log), config, mapper, stats, route, integrity);
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
}
