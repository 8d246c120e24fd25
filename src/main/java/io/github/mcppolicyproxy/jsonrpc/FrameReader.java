package io.github.mcppolicyproxy.jsonrpc;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads newline-delimited frames from a byte stream, each bounded by a maximum size.
 *
 * <p>A frame is the bytes up to (not including) the next {@code '\n'}; a trailing {@code '\r'} is kept,
 * so the frame can be forwarded byte for byte. A line longer than the limit is reported as
 * {@link Read.Oversized} with its first bytes (so that the caller can still name its id) as soon as
 * it passes the limit, without waiting for its end, and the rest of it is then skipped; memory stays
 * bounded by the limit whatever the input. Not thread-safe: one reader per stream.
 */
public final class FrameReader {
  /** What one call to {@link #next()} found. */
  public sealed interface Read {
    /** A complete frame, without its line end. */
    record Frame(byte[] bytes) implements Read {}

    /**
     * A line over the size limit, reported once {@code length} (more than the limit) of its bytes
     * were read; the rest of the line is skipped. {@code prefix} holds its first bytes (at most
     * {@link #PREFIX_BYTES}).
     */
    record Oversized(long length, byte[] prefix) implements Read {}

    /** The stream has ended; {@code partial} is true when it ended inside an unterminated line. */
    record End(boolean partial) implements Read {}
  }

  static final int PREFIX_BYTES = 4096;
  private static final int CHUNK = 64 * 1024;
  private static final int SMALL_READ = 8 * 1024;
  /**
   * A line longer than this is kept as a list of segments of this size and copied once, into an
   * array of its exact length, when it ends: a frame of N bytes costs at most about 2N while it is
   * read (the segments and the frame), never the 3N of a doubling buffer plus its trimmed copy.
   */
  static final int SEGMENT = 64 * 1024;

  private final InputStream in;
  private final int maxFrameBytes;
  private final byte[] chunk = new byte[CHUNK];
  private int chunkPos;
  private int chunkLen;
  private byte[] line = new byte[1024];
  private int lineLen;
  private final java.util.List<byte[]> segments = new java.util.ArrayList<>();
  private boolean pendingEnd;
  private boolean skipping; // inside an oversized line already reported

  /**
   * @param maxFrameBytes the largest frame returned whole; must be positive
   */
  public FrameReader(InputStream in, int maxFrameBytes) {
    this.in = Objects.requireNonNull(in, "in");
    if (maxFrameBytes <= 0) {
      throw new IllegalArgumentException("max frame bytes must be positive: " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /** What {@link #forEach} hands each read to. */
  public interface Handler {
    /** A complete frame. */
    void frame(byte[] frame) throws IOException;

    /** A line over the size limit (its rest is skipped). Ignored unless overridden. */
    default void oversized(Read.Oversized o) throws IOException {}
  }

  /** Reads until the stream ends, handing every frame and oversize notice to {@code handler}. */
  public void forEach(Handler handler) throws IOException {
    for (Read r = next(); !(r instanceof Read.End); r = next()) {
      if (r instanceof Read.Oversized o) {
        handler.oversized(o);
      } else {
        handler.frame(((Read.Frame) r).bytes());
      }
    }
  }

  /** True for a frame of nothing but spaces, tabs and a carriage return: an empty line. */
  public static boolean isBlank(byte[] frame) {
    for (byte b : frame) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the next frame, an oversize notice, or the end of the stream. An unterminated last line
   * is returned as a frame when it is not empty, then {@link Read.End} follows.
   */
  public Read next() throws IOException {
    lineLen = 0;
    long total = 0;
    while (true) {
      if (chunkPos == chunkLen) {
        // Between frames, ask for what fits the JDK's stack buffer (8 KiB): a larger read mallocs
        // and frees a native buffer of its size, per read, in FileInputStream. Inside a long line,
        // 64 KiB at a time.
        int n = in.read(chunk, 0, lineLen == 0 && segments.isEmpty() ? SMALL_READ : CHUNK);
        if (n < 0) {
          chunkPos = chunkLen = 0;
          if (skipping) {
            skipping = false;
            return new Read.End(true);
          }
          if (lineLen > 0 || !segments.isEmpty()) {
            pendingEnd = true;
            return new Read.Frame(takeLine());
          }
          boolean partial = pendingEnd;
          pendingEnd = false;
          return new Read.End(partial);
        }
        chunkPos = 0;
        chunkLen = n;
      }
      int start = chunkPos;
      int nl = indexOfNewline(chunk, start, chunkLen);
      int end = nl < 0 ? chunkLen : nl;
      int len = end - start;
      chunkPos = nl < 0 ? chunkLen : nl + 1;
      if (skipping) {
        skipping = nl < 0;
        continue;
      }
      total += len;
      if (total > maxFrameBytes) {
        byte[] prefix = prefixOf(start, len);
        line = new byte[1024];
        lineLen = 0;
        segments.clear();
        skipping = nl < 0;
        return new Read.Oversized(total, prefix);
      }
      append(start, len);
      if (nl >= 0) {
        return new Read.Frame(takeLine());
      }
    }
  }

  /** The index of the first {@code '\n'} in {@code b[from, to)}, or -1; eight bytes at a time. */
  static int indexOfNewline(byte[] b, int from, int to) {
    return Bytes.indexOf(b, from, to, (byte) '\n');
  }


  /** The line read so far as one array of its exact length; the reader starts a new line. */
  private byte[] takeLine() {
    long total = (long) segments.size() * SEGMENT + lineLen;
    byte[] frame = new byte[(int) total];
    int at = 0;
    for (byte[] segment : segments) {
      System.arraycopy(segment, 0, frame, at, SEGMENT);
      at += SEGMENT;
    }
    System.arraycopy(line, 0, frame, at, lineLen);
    segments.clear();
    lineLen = 0;
    return frame;
  }

  /** The first bytes of the line so far (with {@code chunk[start, start + len)} after them). */
  private byte[] prefixOf(int start, int len) {
    byte[] head = segments.isEmpty() ? line : segments.get(0);
    int headLen = segments.isEmpty() ? lineLen : SEGMENT;
    int fromLine = Math.min(headLen, PREFIX_BYTES);
    int fromChunk = segments.isEmpty() ? Math.min(len, PREFIX_BYTES - fromLine) : 0;
    byte[] p = new byte[fromLine + fromChunk];
    System.arraycopy(head, 0, p, 0, fromLine);
    System.arraycopy(chunk, start, p, fromLine, fromChunk);
    return p;
  }

  /** Appends {@code chunk[start, start + len)}: a small buffer that doubles up to a segment. */
  private void append(int start, int len) {
    while (len > 0) {
      if (lineLen == line.length) {
        if (line.length < SEGMENT) {
          line = Arrays.copyOf(line, Math.min(line.length * 2, SEGMENT));
        } else {
          segments.add(line);
          line = new byte[SEGMENT];
          lineLen = 0;
        }
      }
      int n = Math.min(len, line.length - lineLen);
      System.arraycopy(chunk, start, line, lineLen, n);
      lineLen += n;
      start += n;
      len -= n;
    }
  }
}
