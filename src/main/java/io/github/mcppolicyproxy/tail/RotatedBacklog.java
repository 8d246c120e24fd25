package io.github.mcppolicyproxy.tail;

import io.github.mcppolicyproxy.audit.LogRotation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The records of a log's rotated files ({@code LOG.1}, {@code LOG.2}, ...) that come before a
 * given file, for {@code tail -n} and {@code --since}: the files are read newest first, one whole
 * file at a time, and the walk stops as soon as enough lines are found. Each step finds the file
 * last read again by its key, so a rotation during the walk neither skips nor repeats a file.
 */
final class RotatedBacklog {
  private static final int MISSING_RETRIES = 3;

  private final Path log;

  RotatedBacklog(Path log) {
    this.log = Objects.requireNonNull(log, "log");
  }

  /**
   * Puts in front of {@code kept} the lines {@code wanted} accepts from the files rotated before
   * the file with key {@code newest} (null: no {@code LOG}, so from {@code LOG.1} on), until
   * {@code kept} holds {@code n} lines ({@code n}
   * negative: all of them). A file last modified before {@code notBefore} (when given) ends the
   * walk: its records, and those of every older file, are older.
   */
  void prepend(Object newest, int n, Predicate<String> wanted, Instant notBefore,
      Deque<String> kept) throws IOException {
    Object newer = newest;
    int missing = 0;
    for (int guard = 0; guard < 10 * LogFollower.MAX_ROTATED && (n < 0 || kept.size() < n);
        guard++) {
      int k = newer == null || newer.equals(LogFollower.keyOf(log)) ? 0
          : LogFollower.indexOf(log, newer);
      if (k < 0 || k >= LogFollower.MAX_ROTATED) {
        return; // the file we stand on was rotated out of reach: nothing older is left
      }
      Path older = LogRotation.rotated(log, k + 1);
      Object olderKey = LogFollower.keyOf(older);
      if (olderKey == null) {
        if (++missing > MISSING_RETRIES) {
          return; // the oldest file
        }
        LockSupport.parkNanos(1_000_000L); // or a rotation renaming LOG.k+1 just now: look again
        continue;
      }
      missing = 0;
      try (FileChannel c = FileChannel.open(older, StandardOpenOption.READ)) {
        Path newerAt = k == 0 ? log : LogRotation.rotated(log, k);
        if (!olderKey.equals(LogFollower.keyOf(older))
            || (newer != null && !newer.equals(LogFollower.keyOf(newerAt)))) {
          continue; // rotated while opening: look again
        }
        if (notBefore != null
            && Files.getLastModifiedTime(older).toInstant().isBefore(notBefore)) {
          return;
        }
        int room = n < 0 ? -1 : n - kept.size();
        Deque<String> lines = new ArrayDeque<>();
        LogFollower.readLines(c, 0, new ByteArrayOutputStream(), line -> {
          if (wanted.test(line)) {
            lines.addLast(line);
            if (room > 0 && lines.size() > room) {
              lines.removeFirst();
            }
          }
        });
        while (!lines.isEmpty()) {
          kept.addFirst(lines.removeLast());
        }
        newer = olderKey;
      } catch (NoSuchFileException e) {
        // rotated away meanwhile: look again
      }
    }
  }
}
