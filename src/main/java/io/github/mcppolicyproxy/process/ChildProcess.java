package io.github.mcppolicyproxy.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The upstream server as a child process: started with our environment (plus any extras), its
 * stdout a pipe of the proxy's own where it can be ({@link StdoutPipe}), its stderr drained to ours
 * on a thread of its own, its descendants remembered (every second, see
 * {@link ProcessTree}) so that stopping it also stops what it started, even after they were
 * re-parented.
 */
public final class ChildProcess implements Upstream {
  private static final Duration KILL_AFTER = Duration.ofMillis(500);

  /**
   * Set (to {@code true}) to read the child's stdout through the JDK's pipe instead of the proxy's
   * own (see {@link StdoutPipe}); the JDK's pipe is also what is used where the own one cannot be
   * made.
   */
  public static final String JDK_PIPE_PROPERTY = "mcp-policy-proxy.jdk-stdout-pipe";

  private final Process process;
  private final InputStream stdout;
  private final StderrDrain drain;
  private final Set<ProcessHandle> descendants = new LinkedHashSet<>();
  private final ScheduledExecutorService watcher;
  private volatile Integer exitCode;

  private ChildProcess(Process process, InputStream stdout, PrintStream stderr) {
    this.process = process;
    this.stdout = stdout;
    this.drain = new StderrDrain(process.getErrorStream(), stderr, "");
    Thread t = new Thread(drain, "upstream-stderr");
    t.setDaemon(true);
    t.start();
    this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread w = new Thread(r, "upstream-tree-watch");
      w.setDaemon(true);
      return w;
    });
    watcher.scheduleWithFixedDelay(this::rememberDescendants, 200, 1000, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts {@code command} with this process's environment plus {@code extraEnv}.
   *
   * @throws UpstreamStartException when the command cannot be started (not found, not executable)
   */
  public static ChildProcess start(List<String> command, Map<String, String> extraEnv,
      PrintStream stderr) throws UpstreamStartException {
    return start(command, extraEnv, stderr, CommandLocator.forThisProcess());
  }

  /**
   * Starts {@code command}, its program found by {@code locator} (which says on {@code stderr}
   * where, when not on the PATH).
   *
   * @throws UpstreamStartException when the command cannot be found or started
   */
  public static ChildProcess start(List<String> command, Map<String, String> extraEnv,
      PrintStream stderr, CommandLocator locator) throws UpstreamStartException {
    CommandLocator.Located located = locator.locate(command);
    located.note().ifPresent(n -> stderr.println("mcp-policy-proxy: " + n));
    command = located.command();
    ProcessBuilder pb = new ProcessBuilder(Argv.forChild(command));
    pb.environment().putAll(located.env());
    pb.environment().putAll(extraEnv);
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.redirectError(ProcessBuilder.Redirect.PIPE);
    StdoutPipe own = Boolean.getBoolean(JDK_PIPE_PROPERTY) ? null : StdoutPipe.open().orElse(null);
    pb.redirectOutput(own == null ? ProcessBuilder.Redirect.PIPE
        : ProcessBuilder.Redirect.to(own.writeEnd()));
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      if (own != null) {
        own.close();
      }
      String msg = String.valueOf(e.getMessage());
      int code = msg.contains("error=13") ? 126 : 127; // EACCES: not executable; else not found
      throw new UpstreamStartException("cannot start upstream " + command.get(0) + ": " + msg, code);
    }
    InputStream stdout;
    try {
      stdout = own == null ? process.getInputStream() : own.started();
    } catch (IOException e) {
      own.close();
      process.destroyForcibly();
      throw new UpstreamStartException("cannot read the output of upstream " + command.get(0)
          + ": " + e.getMessage(), 127);
    }
    return new ChildProcess(process, stdout, stderr);
  }

  /** True when the child's stdout is the proxy's own pipe, not the JDK's. */
  public boolean ownStdoutPipe() {
    return stdout != process.getInputStream();
  }

  private void rememberDescendants() {
    try {
      synchronized (descendants) {
        descendants.addAll(ProcessTree.descendants(process.toHandle()));
      }
    } catch (RuntimeException e) {
      // /proc raced with an exit; the next round will see the rest
    }
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public OutputStream stdin() {
    return process.getOutputStream();
  }

  @Override
  public InputStream stdout() {
    return stdout;
  }

  @Override
  public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      exitCode = process.exitValue();
      awaitStderrDrained(Duration.ofMillis(500));
      return OptionalInt.of(exitCode);
    }
    return OptionalInt.empty();
  }

  @Override
  public int stop(Duration grace) throws InterruptedException {
    rememberDescendants();
    closeStdinWithoutWaiting();
    boolean exited = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    Set<ProcessHandle> tree;
    synchronized (descendants) {
      if (process.isAlive()) {
        descendants.addAll(ProcessTree.descendants(process.toHandle()));
      }
      tree = new LinkedHashSet<>(descendants);
    }
    if (!exited) {
      process.destroy();
    }
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + KILL_AFTER.toNanos();
    for (ProcessHandle h : tree) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        try {
          h.onExit().get(left, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          // killed below
        }
      }
    }
    if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      process.destroyForcibly();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    process.waitFor();
    watcher.shutdownNow();
    exitCode = process.exitValue();
    return exitCode;
  }

  /**
   * Closes the child's stdin on a thread of its own: a writer blocked on a full pipe (the child
   * stopped reading) holds the stream's lock, and closing would wait for it forever. Once the child
   * is terminated the blocked write fails and the close completes.
   */
  private void closeStdinWithoutWaiting() {
    Thread t = new Thread(() -> {
      try {
        process.getOutputStream().close();
      } catch (IOException e) {
        // already closed or the child is gone: either way it has no more input
      }
    }, "upstream-stdin-close");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public List<String> stderrTail() {
    return drain.tail();
  }

  /** Descendants seen so far (for tests and diagnostics). */
  public Set<ProcessHandle> knownDescendants() {
    rememberDescendants();
    synchronized (descendants) {
      return Set.copyOf(descendants);
    }
  }

  /** Waits briefly for the stderr drain to pass on what the child wrote before exiting. */
  public void awaitStderrDrained(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!drain.done() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
  }
}
