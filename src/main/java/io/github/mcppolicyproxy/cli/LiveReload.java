package io.github.mcppolicyproxy.cli;

import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.live.LivePolicy;
import io.github.mcppolicyproxy.live.PolicyReloader;
import io.github.mcppolicyproxy.live.PolicyWatcher;
import io.github.mcppolicyproxy.live.Sighup;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import io.github.mcppolicyproxy.proxy.ProxyConfig;
import io.github.mcppolicyproxy.proxy.ProxySession;
import io.github.mcppolicyproxy.proxy.SessionStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Wires the live policy of one proxy: a reloader that compiles the file into a judge sharing the
 * session's quota, the file watcher and SIGHUP as its triggers, and what follows a swap (the
 * session's count of reloads, and {@code notifications/tools/list_changed} to the client).
 */
final class LiveReload {
  /**
   * How often the file's fingerprint is compared, in case a file event is missed; 0 turns the
   * watcher off (SIGHUP still reloads).
   */
  static final Duration POLL = Duration.ofMillis(
      Long.getLong("mcp-policy-proxy.policy-poll-ms", 1000));
  /** How long the file must stay unchanged before it is read (an editor's burst of writes). */
  static final Duration QUIET = Duration.ofMillis(100);

  private LiveReload() {}

  /** Starts watching {@code file}; close the result to stop (null: only SIGHUP reloads). */
  static PolicyWatcher start(Path file, LivePolicy live, ProxySession session, SessionStats stats,
      ViolationLog log, ProxyConfig config, Map<String, String> upstreamEnv, Quota quota) {
    PolicyLoader loader = new PolicyLoader();
    PolicyReloader reloader = new PolicyReloader(() -> loader.load(file),
        p -> Wiring.judge(p, upstreamEnv, quota), live, log, config.sessionId(), config.clock(),
        config.stderr());
    live.onSwap((old, now) -> stats.reloaded());
    live.onSwap(session::policyChanged);
    Sighup.install(() -> reloader.reload("SIGHUP"), config.stderr());
    return watch(file, () -> reloader.reload("file changed"), config.stderr());
  }

  /**
   * Watches {@code file} at the policy's poll interval and quiet time, running {@code reload} when
   * it changes (the policy file, and the pin file too); null when the poll is turned off.
   */
  static PolicyWatcher watch(Path file, Runnable reload, java.io.PrintStream stderr) {
    if (POLL.isZero() || POLL.isNegative()) {
      return null;
    }
    return new PolicyWatcher(file, reload, POLL, QUIET, stderr).start();
  }
}
