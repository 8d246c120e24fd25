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

  private final InputStream in;
  private final int maxFrameBytes;
  private final byte[] chunk = new byte[CHUNK];
  private int chunkPos;
  private int chunkLen;
  private byte[] line = new byte[1024];
  private int lineLen;
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

  /**
   * Returns the next frame, an oversize notice, or the end of the stream. An unterminated last line
   * is returned as a frame when it is not empty, then {@link Read.End} follows.
   */
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

  public Read next() throws IOException {
    lineLen = 0;
    long total = 0;
    while (true) {
      if (chunkPos == chunkLen) {
        int n = in.read(chunk, 0, CHUNK);
        if (n < 0) {
          chunkPos = chunkLen = 0;
          if (skipping) {
            skipping = false;
            return new Read.End(true);
          }
          if (lineLen > 0) {
            byte[] frame = Arrays.copyOf(line, lineLen);
            lineLen = 0;
            pendingEnd = true;
            return new Read.Frame(frame);
          }
          boolean partial = pendingEnd;
          pendingEnd = false;
          return new Read.End(partial);
        }
        chunkPos = 0;
        chunkLen = n;
      }
      int start = chunkPos;
      int nl = -1;
      for (int i = start; i < chunkLen; i++) {
        if (chunk[i] == '\n') {
          nl = i;
          break;
        }
      }
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
        skipping = nl < 0;
        return new Read.Oversized(total, prefix);
      }
      append(start, len);
      if (nl >= 0) {
        byte[] frame = Arrays.copyOf(line, lineLen);
        if (line.length > 1 << 20) {
          line = new byte[1024]; // do not keep a huge buffer alive after one large frame
        }
        return new Read.Frame(frame);
      }
    }
  }

  private byte[] prefixOf(int start, int len) {
    int fromLine = Math.min(lineLen, PREFIX_BYTES);
    int fromChunk = Math.min(len, PREFIX_BYTES - fromLine);
    byte[] p = new byte[fromLine + fromChunk];
    System.arraycopy(line, 0, p, 0, fromLine);
    System.arraycopy(chunk, start, p, fromLine, fromChunk);
    return p;
  }

  private void append(int start, int len) {
    if (lineLen + len > line.length) {
      long want = Math.max((long) line.length * 2, (long) lineLen + len);
      line = Arrays.copyOf(line, (int) Math.min(want, (long) maxFrameBytes + 1));
    }
    System.arraycopy(chunk, start, line, lineLen, len);
    lineLen += len;
  }
}
