package io.github.mcppolicyproxy.jsonrpc;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes whole frames, each followed by {@code '\n'} and flushed, to one stream.
 *
 * <p>A frame and its line end go out in one write when the frame is shorter than
 * {@value #SLICE} bytes (one system call per frame on an unbuffered stream, not two); a larger one
 * in slices of that size, the last with the line end: a {@code FileOutputStream} copies what one
 * write hands it into a native buffer of that size, and a 20 MB buffer costs its allocation and
 * page faults on every large frame.
 *
 * <p>Thread-safe: every frame is written under one lock, so frames from different threads never
 * interleave. One writer per direction.
 */
public final class FrameWriter implements AutoCloseable {
  /** The most written at once: what a pipe holds. */
  static final int SLICE = 64 * 1024;
  private final OutputStream out;
  private byte[] tail = new byte[1024]; // a frame's last slice and its line end
  private boolean closed;

  public FrameWriter(OutputStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  /** Writes {@code frame} and a line end, then flushes. The frame must not contain {@code '\n'}. */
  public synchronized void write(byte[] frame) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    int at = 0;
    for (; frame.length - at >= SLICE; at += SLICE) {
      out.write(frame, at, SLICE);
    }
    int rest = frame.length - at;
    if (rest >= tail.length) {
      tail = new byte[SLICE]; // rest < SLICE: the line end always fits
    }
    System.arraycopy(frame, at, tail, 0, rest);
    tail[rest] = '\n';
    out.write(tail, 0, rest + 1);
    out.flush();
  }

  /** Closes the stream; later writes fail. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }
}
