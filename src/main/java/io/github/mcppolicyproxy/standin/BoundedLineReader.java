package io.github.mcppolicyproxy.standin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads newline-terminated lines as raw bytes, never holding more than {@code maxLineBytes} of one
 * line: the rest of an over-long line is skipped and reported as {@link Line#truncated()}.
 */
final class BoundedLineReader {

  /** One line without its terminator; {@code truncated} when it exceeded the bound. */
  record Line(byte[] bytes, boolean truncated) {}

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buffer = new byte[64 * 1024];
  private int position;
  private int limit;

  BoundedLineReader(InputStream in, int maxLineBytes) {
    this.in = Objects.requireNonNull(in, "in");
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be positive, was " + maxLineBytes);
    }
    this.maxLineBytes = maxLineBytes;
  }

  /** Returns the next line, or {@code null} at end of input (a last line without "\n" is still returned). */
  Line next() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean truncated = false;
    boolean sawAny = false;
    while (true) {
      if (position == limit) {
        limit = in.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return sawAny ? finish(line, truncated) : null;
        }
      }
      sawAny = true;
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      int room = maxLineBytes - line.size();
      int chunk = position - start;
      if (chunk > room) {
        truncated = true;
        chunk = Math.max(room, 0);
      }
      line.write(buffer, start, chunk);
      if (position < limit) {
        position++;
        return finish(line, truncated);
      }
    }
  }

  private static Line finish(ByteArrayOutputStream line, boolean truncated) {
    return new Line(line.toByteArray(), truncated);
  }
}
