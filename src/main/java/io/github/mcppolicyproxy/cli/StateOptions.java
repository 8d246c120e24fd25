package io.github.mcppolicyproxy.cli;

import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.limits.SessionLimiters;
import io.github.mcppolicyproxy.limits.TieredQuota;
import io.github.mcppolicyproxy.limits.store.MemoryStore;
import io.github.mcppolicyproxy.limits.store.RedisStore;
import io.github.mcppolicyproxy.limits.store.SqliteStore;
import io.github.mcppolicyproxy.limits.store.TimedStore;
import io.github.mcppolicyproxy.policy.Entry;
import io.github.mcppolicyproxy.policy.Limit;
import io.github.mcppolicyproxy.policy.Policy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * Where {@code grant} and {@code global} counters live and whose they are: {@code --state},
 * {@code --grant}, {@code --state-fail-mode}, {@code --state-timeout-ms} (with the environment
 * fallbacks), shared by the proxy and {@code counters}.
 */
final class StateOptions {
  static final String ENV_STATE = "MCP_POLICY_PROXY_STATE";
  static final String ENV_GRANT = "MCP_POLICY_PROXY_GRANT";
  private static final Pattern GRANT = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  @Option(names = "--state", paramLabel = "STORE",
      description = "Where grant and global counters live: memory (this process only), a file"
          + " (SQLite, shared by every proxy of this machine), redis://[user:password@]host:port[/db]"
          + " or rediss://... (shared across machines). Default: $" + ENV_STATE + ", else"
          + " ~/.mcp-policy-proxy/state.db.")
  String state;

  @Option(names = "--grant", paramLabel = "NAME",
      description = "Whose grant counters these are: proxies with the same grant and store share"
          + " them. Default: $" + ENV_GRANT + ", else the policy file's name without .json and"
          + " .policy (aws-api-mcp-server without --policy).")
  String grant;

  @Option(names = "--state-fail-mode", paramLabel = "closed|open", defaultValue = "closed",
      description = "When the store cannot be reached: closed refuses calls with grant or global"
          + " limits (quota_unavailable); open counts them in this process's memory (default:"
          + " ${DEFAULT-VALUE}).")
  String failMode;

  @Option(names = "--state-timeout-ms", paramLabel = "MS", defaultValue = "250",
      description = "Longest wait for the store per call; a timeout counts as an outage"
          + " (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  /** The store spec: the option, else the environment, else the default file. */
  String spec(Map<String, String> env) {
    if (state != null && !state.isBlank()) {
      return state;
    }
    String fromEnv = env.get(ENV_STATE);
    return fromEnv != null && !fromEnv.isBlank() ? fromEnv
        : Path.of(System.getProperty("user.home"), ".mcp-policy-proxy", "state.db").toString();
  }

  /** The grant: the option, else the environment, else derived from {@code policyFile}. */
  String grant(Map<String, String> env, Path policyFile) {
    String g = grant != null ? grant : env.get(ENV_GRANT);
    if (g == null || g.isBlank()) {
      String name = policyFile == null ? "aws-api-mcp-server.policy.json"
          : String.valueOf(policyFile.getFileName());
      name = name.replaceFirst("(?i)\\.json$", "").replaceFirst("(?i)\\.policy$", "");
      g = name.replaceAll("[^A-Za-z0-9._-]", "_");
      if (g.isEmpty()) {
        g = "default";
      }
    }
    if (!GRANT.matcher(g).matches()) {
      throw new IllegalArgumentException("--grant must be 1 to 100 letters, digits, '.', '_' or"
          + " '-', not \"" + g + "\"");
    }
    return g;
  }

  TieredQuota.FailMode failMode() {
    try {
      return TieredQuota.FailMode.valueOf(failMode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--state-fail-mode must be closed or open, not "
          + failMode);
    }
  }

  Duration timeout() {
    if (timeoutMs < 1) {
      throw new IllegalArgumentException("--state-timeout-ms must be at least 1: " + timeoutMs);
    }
    return Duration.ofMillis(timeoutMs);
  }

  /** The store {@code spec} names, every call bounded by the timeout; opened on first use. */
  TimedStore store(String spec) {
    Duration timeout = timeout();
    String description;
    TimedStore.Opener opener;
    if (spec.equals("memory")) {
      description = "memory";
      opener = MemoryStore::new;
    } else if (spec.startsWith("redis://") || spec.startsWith("rediss://")) {
      RedisStore redis = new RedisStore(spec, timeout);
      description = redis.describe();
      opener = () -> {
        redis.tryConnect();
        return redis;
      };
    } else {
      Path file = Path.of(spec.startsWith("~/")
          ? System.getProperty("user.home") + spec.substring(1) : spec);
      description = file.toAbsolutePath().toString();
      opener = () -> new SqliteStore(file, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
    }
    return new TimedStore(opener, description, timeout, Duration.ofSeconds(5));
  }

  /** The proxy's quota for {@code policy}; opens the store now if the policy has shared limits. */
  Quota quota(Policy policy, Path policyFile, Map<String, String> env, PrintStream stderr) {
    return quota(policy, policyFile, env, stderr, notice -> { });
  }

  /**
   * As {@link #quota(Policy, Path, Map, PrintStream)}, with the store's outages and recoveries
   * (and the fall back to memory in open mode) also handed to {@code alsoTo}, e.g. the log.
   */
  Quota quota(Policy policy, Path policyFile, Map<String, String> env, PrintStream stderr,
      java.util.function.Consumer<String> alsoTo) {
    String spec = spec(env);
    String g = grant(env, policyFile);
    TieredQuota.FailMode mode = failMode();
    TimedStore store = store(spec);
    if (hasSharedLimits(policy)) {
      store.warmUp();
    }
    return new TieredQuota(new SessionLimiters(System::nanoTime), store, g, Clock.systemUTC(),
        mode, notice -> {
          stderr.println("mcp-policy-proxy: " + notice);
          alsoTo.accept(notice);
        });
  }

  static boolean hasSharedLimits(Policy policy) {
    return policy.anyEntry(StateOptions::shared);
  }

  private static boolean shared(Entry e) {
    for (Limit l : e.limits()) {
      if (l.scope() != Limit.Scope.SESSION) {
        return true;
      }
    }
    return false;
  }
}
