package io.github.mcppolicyproxy.live;

import io.github.mcppolicyproxy.audit.LogEvent;
import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.PolicyException;
import io.github.mcppolicyproxy.policy.PolicyLint;
import io.github.mcppolicyproxy.policy.PolicyProblem;
import io.github.mcppolicyproxy.proxy.CallJudge;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Loads the policy file again and, when it loads and differs, swaps the new version in whole. A
 * version that does not load changes nothing: stderr lists every problem (JSON Pointer, line), the
 * log records {@code policy_reload_failed}, and the old version stays in force. An applied reload
 * is logged as {@code policy_reloaded} with the old and new SHA-256, and its {@link PolicyLint}
 * warnings go to stderr as at start-up. Reloads run one at a time, on
 * the watcher's or the signal's thread, never on a pump.
 */
public final class PolicyReloader {
  /** Reads and validates the policy file: the loader's public API. */
  @FunctionalInterface
  public interface Source {
    Policy load() throws PolicyException;
  }

  /** What one reload did. */
  public sealed interface Result {
    /** The new version is in force. */
    record Applied(String oldSha256, String newSha256) implements Result {}

    /** The file holds the version already in force: nothing to do. */
    record Unchanged(String sha256) implements Result {}

    /** The file did not load; the old version stays. */
    record Failed(List<PolicyProblem> problems) implements Result {}
  }

  private final Source source;
  private final Function<Policy, CallJudge> build;
  private final LivePolicy live;
  private final ViolationLog log;
  private final String session;
  private final Clock clock;
  private final PrintStream stderr;
  private int applied;
  private int failed;

  /** @param build compiles a policy into a judge that shares the session's quota */
  public PolicyReloader(Source source, Function<Policy, CallJudge> build, LivePolicy live,
      ViolationLog log, String session, Clock clock, PrintStream stderr) {
    this.source = Objects.requireNonNull(source, "source");
    this.build = Objects.requireNonNull(build, "build");
    this.live = Objects.requireNonNull(live, "live");
    this.log = Objects.requireNonNull(log, "log");
    this.session = Objects.requireNonNull(session, "session");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.stderr = Objects.requireNonNull(stderr, "stderr");
  }

  /** Reloads now; {@code trigger} ("file changed", "SIGHUP") is named in the messages. */
  public synchronized Result reload(String trigger) {
    Policy old = live.get().engine().policy();
    Policy next;
    CallJudge judge;
    try {
      next = source.load();
      if (next.sha256().equals(old.sha256())) {
        return new Result.Unchanged(old.sha256());
      }
      judge = build.apply(next);
    } catch (PolicyException e) {
      return failed(old, trigger, e.problems());
    } catch (RuntimeException e) {
      return failed(old, trigger, List.of(new PolicyProblem(old.source(), "",
          "could not be compiled: " + e, 0, 0)));
    }
    // the record first: in the log it comes before any record judged by the new version, and
    // whoever reads the stderr line below finds it there
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("trigger", trigger);
    details.put("old_policy_sha256", old.sha256());
    log.appendEvent(new LogEvent(clock.instant(), session, "policy_reloaded", details,
        next.source(), next.sha256()));
    live.swap(judge);
    applied++;
    stderr.println("mcp-policy-proxy: policy reloaded (" + trigger + "): " + next.source()
        + " sha256 " + short12(old.sha256()) + " -> " + short12(next.sha256()) + ", default "
        + next.defaultAction().wire() + ", " + next.mode().name().toLowerCase(java.util.Locale.ROOT));
    // the same warnings, in the same words, as when the proxy starts with this file
    PolicyLint.warnings(next).forEach(w -> stderr.println("mcp-policy-proxy: warning: " + w));
    return new Result.Applied(old.sha256(), next.sha256());
  }

  /** Reloads applied so far. */
  public synchronized int applied() {
    return applied;
  }

  /** Reloads that failed so far. */
  public synchronized int failed() {
    return failed;
  }

  private Result failed(Policy old, String trigger, List<PolicyProblem> problems) {
    failed++;
    List<Map<String, Object>> listed = new ArrayList<>();
    for (PolicyProblem p : problems) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", p.file());
      m.put("pointer", p.pointer().isEmpty() ? "/" : p.pointer());
      m.put("message", p.message());
      if (p.line() > 0) {
        m.put("line", p.line());
        m.put("column", p.column());
      }
      listed.add(m);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("trigger", trigger);
    details.put("problems", listed);
    log.appendEvent(new LogEvent(clock.instant(), session, "policy_reload_failed", details,
        old.source(), old.sha256()));
    for (PolicyProblem p : problems) {
      stderr.println("mcp-policy-proxy: reload: " + p);
    }
    stderr.println("mcp-policy-proxy: the new policy did not load (" + trigger + ", "
        + problems.size() + (problems.size() == 1 ? " problem" : " problems")
        + "); the policy in force (sha256 " + short12(old.sha256()) + ") stays");
    return new Result.Failed(problems);
  }

  private static String short12(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }
}
