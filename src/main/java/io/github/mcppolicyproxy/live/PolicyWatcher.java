package io.github.mcppolicyproxy.live;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Watches the policy file and runs {@code onChange} (a reload) when it changed: written in place,
 * replaced by rename (editors, config tools), or reached through a symlink that now points
 * elsewhere (a Kubernetes ConfigMap's {@code ..data} swap). It watches the file's directory and its
 * symlink target's directory with a {@link WatchService}, and every {@code poll} compares a
 * fingerprint (real path, size, modification time, file key) in case events are missed or
 * unsupported. A change is acted on once the file has been quiet for {@code quiet}, so an editor's
 * burst of writes gives one reload; events of other files in the directory (the fingerprint did
 * not change) are looked at no more often than every {@code quiet}. Runs on its own daemon thread.
 */
public final class PolicyWatcher implements AutoCloseable {
  private static final int MAX_QUIET_ROUNDS = 20;

  private final Path file;
  private final Runnable onChange;
  private final Duration poll;
  private final Duration quiet;
  private final PrintStream stderr;
  private final Set<Path> watched = new HashSet<>();
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicLong looks = new java.util.concurrent.atomic.AtomicLong();
  private volatile WatchService service; // null: polling only (or not made yet)
  private Thread thread;

  /** A file fingerprint; {@code missing} when nothing readable is at the path. */
  record Fingerprint(Path real, long size, long modifiedNanos, Object key, boolean missing) {
    // written out: a record's own equals is bootstrapped through method handles on first use
    // (about 50 classes spun during the start's first answer) and is slow on C1
    @Override
    public boolean equals(Object o) {
      return o instanceof Fingerprint f && size == f.size && modifiedNanos == f.modifiedNanos
          && missing == f.missing && Objects.equals(real, f.real) && Objects.equals(key, f.key);
    }

    @Override
    public int hashCode() {
      return Objects.hash(real, size, modifiedNanos, key, missing);
    }
  }

  public PolicyWatcher(Path file, Runnable onChange, Duration poll, Duration quiet,
      PrintStream stderr) {
    this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
    this.onChange = Objects.requireNonNull(onChange, "onChange");
    this.poll = Objects.requireNonNull(poll, "poll");
    this.quiet = Objects.requireNonNull(quiet, "quiet");
    this.stderr = Objects.requireNonNull(stderr, "stderr");
    if (poll.isZero() || poll.isNegative() || quiet.isNegative()) {
      throw new IllegalArgumentException("poll must be positive and quiet not negative");
    }
  }

  /**
   * Starts watching; changes from now on are acted on. The file events are set up on the watcher's
   * own thread (a {@link WatchService} costs a session's start ~5 ms on the path to its first
   * answer): the fingerprint is taken here, and compared once more as soon as the events are set
   * up, so a change made in between is acted on as promptly as any other.
   */
  public synchronized PolicyWatcher start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    Fingerprint first = fingerprint();
    thread = new Thread(() -> {
      if (watchEvents()) {
        loop(first);
      }
    }, "policy-watcher");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** Sets up the file events (or says why there are none); false when closed meanwhile. */
  private boolean watchEvents() {
    WatchService made = null;
    try {
      made = FileSystems.getDefault().newWatchService();
    } catch (IOException | UnsupportedOperationException e) {
      stderr.println("mcp-policy-proxy: cannot watch " + file + " for changes (" + e
          + "); polling it every " + poll.toMillis() + " ms instead");
    }
    service = made;
    if (closed) { // close() set closed before it looked at service: one of the two closes it
      closeService();
      return false;
    }
    register();
    return true;
  }

  private void loop(Fingerprint seen) {
    boolean lookNow = true; // a change made while the events were being set up
    while (!closed) {
      try {
        boolean events = !lookNow && awaitEvents(poll);
        lookNow = false;
        Fingerprint now = fingerprint();
        if (now.equals(seen)) {
          if (events) {
            // another file of the directory changed (a log or a database beside the policy,
            // written on every call): the next look comes no sooner than `quiet` from now, so
            // such a directory costs this thread a few looks a second, not one per write
            Thread.sleep(Math.max(1, quiet.toMillis()));
          }
          continue;
        }
        now = settle(now);
        register(); // a symlink may now lead to another directory
        if (!now.equals(seen)) {
          seen = now;
          onChange.run();
        }
      } catch (InterruptedException e) {
        return; // closed
      } catch (ClosedWatchServiceException e) {
        return;
      } catch (RuntimeException e) {
        stderr.println("mcp-policy-proxy: policy watcher: " + e);
      }
    }
  }

  /** Waits until the file has not changed for {@code quiet}; returns its fingerprint then. */
  private Fingerprint settle(Fingerprint now) throws InterruptedException {
    for (int i = 0; i < MAX_QUIET_ROUNDS; i++) {
      boolean more = awaitEvents(quiet);
      Fingerprint after = fingerprint();
      if (!more && after.equals(now)) {
        return after;
      }
      now = after;
    }
    return now;
  }

  /** Waits up to {@code d} for events in the watched directories; true if there were any. */
  private boolean awaitEvents(Duration d) throws InterruptedException {
    if (service == null) {
      Thread.sleep(Math.max(1, d.toMillis()));
      return false;
    }
    WatchKey key = service.poll(Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS);
    boolean any = false;
    while (key != null) {
      any |= !key.pollEvents().isEmpty();
      key.reset();
      key = service.poll();
    }
    return any;
  }

  /** Watches the file's directory and, through symlinks, its target's. */
  private void register() {
    if (service == null) {
      return;
    }
    Set<Path> dirs = new LinkedHashSet<>();
    dirs.add(file.getParent());
    try {
      dirs.add(file.toRealPath().getParent());
    } catch (IOException e) {
      // missing for now: its directory is watched for it to come back
    }
    for (Path dir : dirs) {
      if (dir != null && !watched.contains(dir)) {
        try {
          dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
          watched.add(dir);
        } catch (IOException | ClosedWatchServiceException e) {
          // polling still covers it
        }
      }
    }
  }

  /** How many times the file's fingerprint was taken (each a look at the file system). */
  long looks() {
    return looks.get();
  }

  Fingerprint fingerprint() {
    looks.incrementAndGet();
    try {
      Path real = file.toRealPath();
      BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
      return new Fingerprint(real, a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS),
          a.fileKey(), false);
    } catch (IOException e) {
      return new Fingerprint(null, -1, -1, null, true);
    }
  }

  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
    }
    closeService();
  }

  private void closeService() {
    WatchService s = service;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing: nothing more to watch
      }
    }
  }
}
