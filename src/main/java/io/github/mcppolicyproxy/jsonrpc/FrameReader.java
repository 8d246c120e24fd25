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
   * A line longer than this leaves the small buffer: its bytes are then read straight into
   * segments (each read at most {@link #CHUNK} bytes, the most a pipe hands out), which grow
   * fourfold up to {@link #MAX_SEGMENT}, and copied once, into an array of its exact length,
   * when it ends. A frame of N bytes costs about 2N while it is read (the segments, of which the last
   * may be partly filled, and the frame), never the 3N of a doubling buffer plus its trimmed copy,
   * and each byte is copied once (the first 64 KiB twice); the segments never hold more than the
   * limit and one byte.
   */
  static final int SEGMENT = 64 * 1024;
  /**
   * The largest segment: bounds what the last, partly filled, segment may waste. Larger than the
   * young generation the launcher gives the JVM ({@code -Xmn4m}), so such a segment is allocated
   * in the old generation at once instead of being copied there by young collections (measured:
   * 64 KiB segments of a 20 MB frame cost three or four young pauses of 5-13 ms each).
   */
  static final int MAX_SEGMENT = 8 * 1024 * 1024;

  private final InputStream in;
  private final int maxFrameBytes;
  private final byte[] chunk = new byte[CHUNK];
  private int chunkPos;
  private int chunkLen;
  private byte[] line = new byte[1024];
  private int lineLen;
  private final java.util.List<byte[]> segments = new java.util.ArrayList<>();
  private long segmentBytes; // the bytes in the full segments
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
    // The loop only calls: a method that runs once is compiled only after ~60,000 turns of its
    // loop (C1's back-edge threshold), so its body would be interpreted for that many frames.
    while (handleNext(handler)) {
      // handled
    }
  }

  /** Reads the next frame and hands it to {@code handler}; false at the end of the stream. */
  private boolean handleNext(Handler handler) throws IOException {
    Read r = next();
    if (r instanceof Read.End) {
      return false;
    }
    if (r instanceof Read.Oversized o) {
      handler.oversized(o);
    } else {
      handler.frame(((Read.Frame) r).bytes());
    }
    return true;
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
    while (true) {
      if (!segments.isEmpty()) {
        return longLine();
      }
      if (chunkPos == chunkLen) {
        // Between frames, ask for what fits the JDK's stack buffer (8 KiB): a larger read mallocs
        // and frees a native buffer of its size, per read, in FileInputStream. Inside a line,
        // 64 KiB at a time.
        int n = in.read(chunk, 0, lineLen == 0 ? SMALL_READ : CHUNK);
        if (n < 0) {
          chunkPos = chunkLen = 0;
          return ended();
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
      long total = (long) lineLen + len;
      if (total > maxFrameBytes) {
        return oversized(total, prefixOf(start, len), nl < 0);
      }
      append(start, len);
      if (nl >= 0) {
        return new Read.Frame(takeLine());
      }
    }
  }

  /** At the end of the stream: the last, unterminated, line as a frame, or the end itself. */
  private Read ended() {
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

  /**
   * Reads the rest of a line that has filled full segments, straight into segments (no chunk in
   * between); what a read brings after the line's end goes to the chunk, for the next line.
   */
  private Read longLine() throws IOException {
    while (true) {
      if (lineLen == line.length) {
        segments.add(line);
        segmentBytes += lineLen;
        long room = (long) maxFrameBytes - segmentBytes + 1; // one byte past the limit tells
        line = new byte[(int) Math.max(1, Math.min(nextSegment(line.length), room))];
        lineLen = 0;
      }
      int n = in.read(line, lineLen, Math.min(CHUNK, line.length - lineLen));
      if (n < 0) {
        return ended();
      }
      int from = lineLen;
      int nl = indexOfNewline(line, from, from + n);
      int end = nl < 0 ? from + n : nl;
      long total = segmentBytes + end;
      if (total > maxFrameBytes) {
        byte[] prefix = Arrays.copyOf(segments.get(0), Math.min(PREFIX_BYTES, segments.get(0).length));
        moveToChunk(nl, from + n);
        return oversized(total, prefix, nl < 0);
      }
      if (nl >= 0) {
        lineLen = nl;
        moveToChunk(nl, from + n);
        return new Read.Frame(takeLine());
      }
      lineLen = end;
    }
  }

  /** The size of the segment after one of {@code size} bytes: four times larger, up to the cap. */
  static long nextSegment(int size) {
    long next = 4L * size;
    return next > MAX_SEGMENT / 4 ? MAX_SEGMENT : next; // 64 KiB, 256 KiB, 1 MiB, then 8 MiB
  }

  /** Keeps {@code line(nl, to)}, the start of the next line, in the chunk (nothing if nl < 0). */
  private void moveToChunk(int nl, int to) {
    if (nl < 0) {
      chunkPos = chunkLen = 0;
      return;
    }
    chunkPos = 0;
    chunkLen = to - nl - 1;
    System.arraycopy(line, nl + 1, chunk, 0, chunkLen);
  }

  /** Forgets the line so far and reports it as oversized; its rest is skipped if it goes on. */
  private Read oversized(long total, byte[] prefix, boolean goesOn) {
    line = new byte[1024];
    lineLen = 0;
    segments.clear();
    segmentBytes = 0;
    skipping = goesOn;
    return new Read.Oversized(total, prefix);
  }

  /** The index of the first {@code '\n'} in {@code b[from, to)}, or -1; eight bytes at a time. */
  static int indexOfNewline(byte[] b, int from, int to) {
    return Bytes.indexOf(b, from, to, (byte) '\n');
  }

  /** The line read so far as one array of its exact length; the reader starts a new line. */
  private byte[] takeLine() {
    if (segments.isEmpty()) {
      byte[] frame = Arrays.copyOf(line, lineLen);
      lineLen = 0;
      return frame;
    }
    byte[] frame = new byte[(int) (segmentBytes + lineLen)];
    int at = 0;
    for (byte[] segment : segments) {
      System.arraycopy(segment, 0, frame, at, segment.length);
      at += segment.length;
    }
    System.arraycopy(line, 0, frame, at, lineLen);
    segments.clear();
    segmentBytes = 0;
    line = new byte[1024];
    lineLen = 0;
    return frame;
  }

  /** The first bytes of the line so far (with {@code chunk[start, start + len)} after them). */
  private byte[] prefixOf(int start, int len) {
    int fromLine = Math.min(lineLen, PREFIX_BYTES);
    int fromChunk = Math.min(len, PREFIX_BYTES - fromLine);
    byte[] p = new byte[fromLine + fromChunk];
    System.arraycopy(line, 0, p, 0, fromLine);
    System.arraycopy(chunk, start, p, fromLine, fromChunk);
    return p;
  }

  /**
   * Appends {@code chunk[start, start + len)} to the small buffer, which doubles up to a
   * {@link #SEGMENT}; what does not fit then starts the segments, and the next reads go there.
   */
  private void append(int start, int len) {
    while (len > 0) {
      if (lineLen == line.length) {
        if (line.length < SEGMENT) {
          line = Arrays.copyOf(line, Math.min(line.length * 2, SEGMENT));
        } else {
          segments.add(line);
          segmentBytes += lineLen;
          long room = (long) maxFrameBytes - segmentBytes + 1;
          line = new byte[(int) Math.max(1, Math.min(nextSegment(SEGMENT), room))];
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
