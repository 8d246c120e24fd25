package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.PolicyException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Loads the policy on a second thread, and builds the session's {@code ObjectMapper} on a third
 * (~35 ms of CPU, mostly its date format's locale data), while the main thread reads the command
 * line and spawns the upstream, so that the slowest steps of the start overlap. The command line
 * is only pre-scanned ({@link Prescan}); the proxy uses the preloaded policy only when the parse
 * names the same file, and otherwise loads it again: the parse stays the authority.
 */
final class PolicyPreload {
  private final Path path; // null: the bundled policy
  private final CompletableFuture<Object> result;
  private final CompletableFuture<ObjectMapper> mapper = new CompletableFuture<>();

  private PolicyPreload(Path path, CompletableFuture<Object> result) {
    this.path = path;
    this.result = result;
  }

  /** The session's mapper ({@link Wiring#mapper}): the one built early, else a new one. */
  static ObjectMapper mapper(PolicyPreload preload) {
    if (preload != null) {
      try {
        return preload.mapper.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // built here instead
      }
    }
    return Wiring.mapper();
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
    PolicyPreload preload = new PolicyPreload(path, result);
    Thread m = new Thread(() -> {
      try {
        preload.mapper.complete(Wiring.mapper());
      } catch (RuntimeException | Error e) {
        preload.mapper.completeExceptionally(e);
      }
    }, "mapper-preload");
    m.setDaemon(true);
    m.start();
    t.start();
    return preload;
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
