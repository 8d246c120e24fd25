package io.github.mcppolicyproxy.tail;

import io.github.mcppolicyproxy.audit.LogRotation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Follows a JSON-lines log the way {@code tail -F} does: waits for the file to appear, hands on
 * every complete line once, and follows the file across rotation (the path now names another file:
 * the old one is read to its end first, then the new one from its start) and truncation (the file
 * got shorter: read again from its start). When it rotated several times between two looks, the
 * files in between ({@code LOG.2}, {@code LOG.1}, ...) are read too. A line is handed on only when its line end has been
 * written, so a record being written is never split.
 */
public final class LogFollower {
  private static final int MAX_LINE = 16 * 1024 * 1024;
  static final int MAX_ROTATED = 100;

  private final Path path;
  private final Duration poll;
  private FileChannel channel;
  private Object key;
  private long position;
  private Object rotatedAway; // the file last read, rotated before the next LOG existed: resume after it
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

  private final Runnable betweenLookAndOpen;

  public LogFollower(Path path, Duration poll) {
    this(path, poll, () -> { });
  }

  /** For tests: {@code betweenLookAndOpen} runs after a look at the rotated names, before an open. */
  LogFollower(Path path, Duration poll, Runnable betweenLookAndOpen) {
    this.path = Objects.requireNonNull(path, "path");
    this.poll = Objects.requireNonNull(poll, "poll");
    this.betweenLookAndOpen = Objects.requireNonNull(betweenLookAndOpen, "betweenLookAndOpen");
  }

  /**
   * The last {@code n} lines of the log as it is now that {@code wanted} accepts (all of them when
   * {@code n} is negative), the rotated files ({@code LOG.1}, {@code LOG.2}, ...) included, oldest
   * first; following then starts at the end of {@code LOG} (or waits for it to appear).
   */
  public Deque<String> last(int n, Predicate<String> wanted) throws IOException {
    return last(n, wanted, null);
  }

  /**
   * As {@link #last(int, Predicate)}, reading rotated files only until {@code n} lines are found
   * and, when {@code notBefore} is given, not reading a rotated file last written before it (its
   * records are all older).
   */
  public Deque<String> last(int n, Predicate<String> wanted, Instant notBefore)
      throws IOException {
    Deque<String> kept = new ArrayDeque<>();
    if (!open()) {
      if (n != 0) { // moved away by hand, say: the rotated files still count; LOG is awaited
        new RotatedBacklog(path).prepend(null, n, wanted, notBefore, kept);
      }
      return kept;
    }
    readAvailable(line -> {
      if (n != 0 && wanted.test(line)) {
        kept.addLast(line);
        if (n > 0 && kept.size() > n) {
          kept.removeFirst();
        }
      }
    });
    if (n < 0 || kept.size() < n) {
      new RotatedBacklog(path).prepend(key, n, wanted, notBefore, kept);
    }
    return kept;
  }

  /** Hands every new complete line to {@code sink} until the thread is interrupted. */
  public void follow(Consumer<String> sink) throws IOException, InterruptedException {
    while (!Thread.currentThread().isInterrupted()) {
      step(sink);
      Thread.sleep(poll.toMillis());
    }
    throw new InterruptedException();
  }

  /** One round: new lines, then a look for rotation or truncation. Package-private for tests. */
  void step(Consumer<String> sink) throws IOException {
    if (channel == null && rotatedAway != null) {
      Object last = rotatedAway;
      rotatedAway = null;
      catchUp(last, sink); // LOG may have come and been rotated again meanwhile: read those first
      if (channel == null) {
        return;
      }
    }
    if (channel == null && !open()) {
      return;
    }
    readAvailable(sink);
    Object now = keyOf(path);
    if (now == null || !now.equals(key)) {
      readAvailable(sink); // the rotated file's last records
      Object last = key;
      close();
      catchUp(last, sink);
    } else if (channel.size() < position) {
      position = 0; // truncated
      partial.reset();
      readAvailable(sink);
    }
  }

  /**
   * The file with key {@code last} was rotated: reads every file rotated after it, oldest first
   * ({@code LOG.k-1} ... {@code LOG.1}), then opens {@code LOG}, checking the keys again after each
   * open so that a rotation meanwhile skips nothing.
   */
  private void catchUp(Object last, Consumer<String> sink) throws IOException {
    for (int guard = 0; guard < 10 * MAX_ROTATED; guard++) {
      int k = indexOf(last);
      betweenLookAndOpen.run();
      if (k <= 1) {
        if (!open()) {
          rotatedAway = last; // no LOG yet: the next look starts from the file after this one
          return;
        }
        boolean inOrder = k < 0 || last.equals(keyOf(LogRotation.rotated(path, 1)))
            || (last.equals(keyOf(LogRotation.rotated(path, 2)))
                && key.equals(keyOf(LogRotation.rotated(path, 1))));
        if (inOrder) {
          readAvailable(sink);
          return;
        }
        close(); // rotated between the look and the open: read what came in between first
        continue;
      }
      Path next = LogRotation.rotated(path, k - 1);
      Object nextKey = keyOf(next);
      try (FileChannel c = FileChannel.open(next, StandardOpenOption.READ)) {
        // The file opened follows `last` only if nothing moved since `last` was found at k: a
        // rotation moves `last` up before it moves anything into k - 1.
        if (nextKey == null || !nextKey.equals(keyOf(next))
            || !last.equals(keyOf(LogRotation.rotated(path, k)))) {
          continue; // rotated while opening: look again
        }
        channel = c;
        position = 0;
        partial.reset();
        readAvailable(sink);
        channel = null;
        last = nextKey;
      } catch (NoSuchFileException e) {
        // rotated away meanwhile: look again
      }
    }
    rotatedAway = last; // the writer kept rotating under us: go on from here at the next look
  }

  /**
   * Where the file with key {@code k} is among LOG.1 ... LOG.N; -1 when it is none of them. A
   * rotation renames the files one at a time from the oldest down, so a look may find one name
   * missing or catch a file twice: a missing name does not end the search, and a search that
   * finds nothing is repeated before the file is taken as gone.
   */
  private int indexOf(Object k) throws IOException {
    return indexOf(path, k);
  }

  /** {@link #indexOf(Object)} for the log at {@code path}. */
  static int indexOf(Path path, Object k) throws IOException {
    if (k == null) {
      return -1;
    }
    for (int attempt = 0; attempt < 3; attempt++) {
      int missing = 0;
      for (int i = 1; i <= MAX_ROTATED && missing < 2; i++) {
        Object ki = keyOf(LogRotation.rotated(path, i));
        if (ki == null) {
          missing++;
          continue;
        }
        missing = 0;
        if (ki.equals(k)) {
          return i;
        }
      }
      LockSupport.parkNanos(1_000_000L); // let a rotation in progress finish
    }
    return -1;
  }

  static Object keyOf(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Opens LOG with its key, retrying when it was replaced while being opened. */
  private boolean open() throws IOException {
    for (int i = 0; i < 100; i++) {
      Object before = keyOf(path);
      FileChannel c;
      try {
        c = FileChannel.open(path, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        return false;
      }
      if (before != null && before.equals(keyOf(path))) {
        channel = c;
        key = before;
        position = 0;
        partial.reset();
        return true;
      }
      c.close();
    }
    return false;
  }

  private void readAvailable(Consumer<String> sink) throws IOException {
    position = readLines(channel, position, partial, sink);
  }

  /**
   * Hands every complete line of {@code c} from {@code position} on to {@code sink}, keeping an
   * unfinished last line in {@code partial}; returns the position after what was read.
   */
  static long readLines(FileChannel c, long position, ByteArrayOutputStream partial,
      Consumer<String> sink) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    int n;
    while ((n = c.read(buf, position)) > 0) {
      position += n;
      byte[] a = buf.array();
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (a[i] == '\n') {
          partial.write(a, start, i - start);
          String line = partial.toString(StandardCharsets.UTF_8);
          partial.reset();
          start = i + 1;
          if (!line.isBlank()) {
            sink.accept(line);
          }
        }
      }
      partial.write(a, start, n - start);
      if (partial.size() > MAX_LINE) {
        partial.reset(); // not a record of ours: skip it
      }
      buf.clear();
    }
    return position;
  }

  /** Stops following. */
  public void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing more to read
      }
    }
    channel = null;
  }
}
