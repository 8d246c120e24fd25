package io.github.mcppolicyproxy.jsonrpc;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes whole frames, each followed by {@code '\n'} and flushed, to one stream.
 *
 * <p>Thread-safe: every frame is written under one lock, so frames from different threads never
 * interleave. One writer per direction.
 */
public final class FrameWriter implements AutoCloseable {
  private static final byte[] NEWLINE = {'\n'};
  private final OutputStream out;
  private boolean closed;

  public FrameWriter(OutputStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  /** Writes {@code frame} and a line end, then flushes. The frame must not contain {@code '\n'}. */
  public synchronized void write(byte[] frame) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    out.write(frame);
    out.write(NEWLINE);
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
