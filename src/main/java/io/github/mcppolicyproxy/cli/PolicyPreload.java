package io.github.mcppolicyproxy.cli;

import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.PolicyException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Loads the policy on a second thread while picocli builds its command model, so that the two
 * slowest steps of the start (about 100 ms each, mostly class loading) overlap. The command line
 * is only pre-scanned ({@link Prescan}); the proxy uses the preloaded policy only when picocli's
 * parse names the same file, and otherwise loads it again: the parse stays the authority.
 */
final class PolicyPreload {
  private final Path path; // null: the bundled policy
  private final CompletableFuture<Object> result;

  private PolicyPreload(Path path, CompletableFuture<Object> result) {
    this.path = path;
    this.result = result;
  }

  /** Starts loading the policy a proxy start names (or the user's default policy). */
  static PolicyPreload start(Prescan scan) {
    Path path;
    try {
      if (scan.policy() == null) {
        // The user's default file, once it exists; its first start creates it (DefaultPolicyFile).
        Path user = DefaultPolicyFile.forThisUser();
        path = java.nio.file.Files.isRegularFile(user) ? user : null;
      } else {
        path = scan.policy();
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
