package io.github.mcppolicyproxy.cli;

import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.PolicyException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Loads the policy on a second thread while picocli builds its command model, so that the two
 * slowest steps before the upstream starts (about 100 ms each, mostly class loading) overlap. The
 * command line is only pre-scanned for {@code --policy}; the proxy uses the preloaded policy only
 * when picocli's parse names the same file, and otherwise loads it again: the parse stays the
 * authority. Nothing is preloaded for subcommands, {@code --help} or {@code --version}.
 */
final class PolicyPreload {
  private static final Set<String> VALUED = Set.of("--policy", "--violation-log", "--session-id",
      "--refusal-style", "--max-frame-bytes", "--max-pending", "--max-queued-bytes",
      "--shutdown-grace-ms", "--state", "--grant", "--state-fail-mode", "--state-timeout-ms",
      "--violation-log-max-bytes", "--violation-log-keep",
      "--approval-fallback", "--approval-via", "--approvals-dir", "--pins");

  private final Path path; // null: the bundled policy
  private final CompletableFuture<Object> result;

  private PolicyPreload(Path path, CompletableFuture<Object> result) {
    this.path = path;
    this.result = result;
  }

  /** Starts loading the policy {@code args} name, if they run the proxy itself; else null. */
  static PolicyPreload start(String[] args) {
    String policy = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        break;
      }
      if (a.startsWith("--policy=")) {
        policy = a.substring("--policy=".length());
      } else if (VALUED.contains(a)) {
        if (a.equals("--policy") && i + 1 < args.length) {
          policy = args[i + 1];
        }
        i++;
      } else if (!a.startsWith("-") || a.equals("-h") || a.equals("--help") || a.equals("-V")
          || a.equals("--version")) {
        return null; // a subcommand, the upstream command, or help: nothing to preload
      }
    }
    Path path;
    try {
      if (policy == null) {
        // The user's default file, once it exists; its first start creates it (DefaultPolicyFile).
        Path user = DefaultPolicyFile.forThisUser();
        path = java.nio.file.Files.isRegularFile(user) ? user : null;
      } else {
        path = Path.of(policy);
      }
    } catch (RuntimeException e) {
      return null; // an invalid path: the real load reports it
    }
    CompletableFuture<Object> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(Wiring.policy(path));
      } catch (PolicyException | RuntimeException e) {
        result.complete(e);
      }
    }, "policy-preload");
    t.setDaemon(true);
    t.start();
    return new PolicyPreload(path, result);
  }

  /** The policy at {@code requested} (null: the bundled one), preloaded when it is the same file. */
  static Policy load(PolicyPreload preload, Path requested) throws PolicyException {
    if (preload == null || !Objects.equals(preload.path, requested)) {
      return Wiring.policy(requested);
    }
    Object r;
    try {
      r = preload.result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Wiring.policy(requested);
    } catch (ExecutionException e) {
      return Wiring.policy(requested);
    }
    if (r instanceof PolicyException pe) {
      throw pe;
    }
    if (r instanceof RuntimeException re) {
      throw re;
    }
    return (Policy) r;
  }
}
