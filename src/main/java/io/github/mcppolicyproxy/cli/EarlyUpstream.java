package io.github.mcppolicyproxy.cli;

import io.github.mcppolicyproxy.process.ChildProcess;
import io.github.mcppolicyproxy.process.UpstreamStartException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The upstream, spawned as soon as the pre-scanned command line names it ({@link Prescan}), so that
 * its own start (an interpreter, {@code uvx}, a JVM) overlaps the proxy's: picocli's model, the
 * policy's validation, the log. It gets no frame before the session starts, and the session starts
 * only once everything has loaded; on any failure before that it is stopped (with its descendants)
 * before the client is told why ({@link #discard}), and a shutdown hook stops it if the proxy is
 * killed meanwhile.
 */
final class EarlyUpstream {
  private final List<String> command;
  private final ChildProcess child; // null when it could not be started
  private final UpstreamStartException failure; // why, then
  private final Thread hook;
  private boolean taken; // by the session, or stopped

  private EarlyUpstream(List<String> command, ChildProcess child, UpstreamStartException failure) {
    this.command = command;
    this.child = child;
    this.failure = failure;
    this.hook = child == null ? null : new Thread(this::stopUntaken, "early-upstream-stop");
    if (hook != null) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
  }

  /** Spawns {@code command} (already expanded, see {@link StandInCommand#expandSelf}). */
  static EarlyUpstream start(List<String> command, PrintStream stderr) {
    List<String> c = List.copyOf(command);
    try {
      return new EarlyUpstream(c, ChildProcess.start(c, Map.of(), stderr), null);
    } catch (UpstreamStartException e) {
      return new EarlyUpstream(c, null, e); // reported where the proxy would have started it
    }
  }

  /**
   * The upstream for {@code wanted}, the command picocli's parse gives: the one started early when
   * it is the same command, else (the pre-scan and the parse disagree) that one is stopped and
   * {@code wanted} started now.
   *
   * @throws UpstreamStartException when the command cannot be started
   */
  static ChildProcess take(EarlyUpstream early, List<String> wanted, PrintStream stderr)
      throws UpstreamStartException {
    if (early != null && early.command.equals(wanted)) {
      return early.take();
    }
    discard(early);
    return ChildProcess.start(wanted, Map.of(), stderr);
  }

  private synchronized ChildProcess take() throws UpstreamStartException {
    if (failure != null) {
      throw failure;
    }
    if (taken) {
      throw new IllegalStateException("the upstream started early was taken or stopped already");
    }
    taken = true;
    return child;
  }

  /**
   * The session's own shutdown hook stops the upstream from here on: the early hook goes. Call it
   * after the session's hook is registered, so that there is no moment without one.
   */
  void handedOver() {
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook finds the child taken and leaves it to the session's
      }
    }
  }

  /** Stops an upstream that was started early and not taken (null: nothing to stop). */
  static void discard(EarlyUpstream early) {
    if (early != null) {
      early.stopUntaken();
    }
  }

  private void stopUntaken() {
    ChildProcess c;
    synchronized (this) {
      if (taken || child == null) {
        return;
      }
      taken = true; // stopped: never handed to a session
      c = child;
    }
    try {
      c.stop(Duration.ZERO);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    handedOver(); // the hook is no longer needed (a no-op when it is the hook that runs this)
  }
}
