package io.github.mcppolicyproxy.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * When and how the violation log is rotated by size: before a record that would take the file past
 * {@code maxBytes}, the file becomes {@code LOG.1} (older ones {@code LOG.2} ... {@code LOG.keep},
 * the oldest dropped) and a new file is started. A record is never split; a single record larger
 * than {@code maxBytes} gets a file of its own. {@link #NEVER} (max 0) never rotates.
 *
 * @param maxBytes the size a file may reach; 0 for no rotation
 * @param keep how many rotated files are kept, at least 1
 */
public record LogRotation(long maxBytes, int keep) {
  /** No rotation: the file grows. */
  public static final LogRotation NEVER = new LogRotation(0, 1);

  public LogRotation {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("--violation-log-max-bytes must not be negative: "
          + maxBytes);
    }
    if (keep < 1) {
      throw new IllegalArgumentException("--violation-log-keep must be at least 1: " + keep);
    }
  }

  /** True when a record of {@code lineBytes} must start a new file rather than join {@code size}. */
  boolean due(long size, int lineBytes) {
    return maxBytes > 0 && size > 0 && size + lineBytes > maxBytes;
  }

  /** The name of the {@code n}th rotated file of {@code log}. */
  public static Path rotated(Path log, int n) {
    return log.resolveSibling(log.getFileName() + "." + n);
  }

  /** Shifts the rotated files up by one and moves {@code log} to {@code LOG.1}. */
  void shift(Path log) throws IOException {
    Files.deleteIfExists(rotated(log, keep));
    for (int n = keep - 1; n >= 1; n--) {
      Path from = rotated(log, n);
      if (Files.exists(from)) {
        Files.move(from, rotated(log, n + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(log, rotated(log, 1), StandardCopyOption.REPLACE_EXISTING);
  }
}
