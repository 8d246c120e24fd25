package io.github.mcppolicyproxy.telemetry;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Watches a newline-delimited stream of frames passing through: every complete line is handed to a
 * {@link Listener} with the time its line end passed (read, or written), the bytes untouched;
 * a written line is told only after the flush that sends it, so watching never delays it. Only the
 * first {@link #KEPT} bytes of a line are kept (a frame is read leniently, see
 * {@link FrameFacts}). A listener that throws is ignored: watching never fails the stream.
 */
final class LineTap {
  /** How much of a line is kept for the listener. */
  static final int KEPT = 1024 * 1024;

  /** Told of each line. */
  interface Listener {
    void line(byte[] buf, int length, long nanos);
  }

  private final Listener listener;
  private final LongSupplier nanos;
  private final java.util.List<byte[]> written; // null: lines are told at once (reading)
  private final java.util.List<Long> writtenAt = new java.util.ArrayList<>(1);
  private byte[] buf = new byte[4096];
  private int length;

  LineTap(Listener listener, LongSupplier nanos, boolean untilFlush) {
    this.listener = listener;
    this.nanos = nanos;
    this.written = untilFlush ? new java.util.ArrayList<>(1) : null;
  }

  /** Tells the lines written since the last flush, with their times, now that they are sent. */
  void flushed() {
    if (written == null || written.isEmpty()) {
      return;
    }
    for (int i = 0; i < written.size(); i++) {
      tell(written.get(i), written.get(i).length, writtenAt.get(i));
    }
    written.clear();
    writtenAt.clear();
  }

  private void tell(byte[] line, int n, long t) {
    try {
      listener.line(line, n, t);
    } catch (RuntimeException e) {
      // telemetry only: the frame goes on regardless
    }
  }

  void feed(byte[] b, int off, int len) {
    int start = off;
    int end = off + len;
    for (int i = off; i < end; i++) {
      if (b[i] == '\n') {
        keep(b, start, i - start);
        start = i + 1;
        if (written != null) {
          written.add(Arrays.copyOf(buf, length));
          writtenAt.add(nanos.getAsLong()); // handed to the stream; the flush follows at once
        } else {
          tell(buf, length, nanos.getAsLong());
        }
        length = 0;
      }
    }
    keep(b, start, end - start);
  }

  private void keep(byte[] b, int off, int len) {
    int n = Math.min(len, KEPT - length);
    if (n <= 0) {
      return;
    }
    if (length + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.min(KEPT, Math.max(buf.length * 2, length + n)));
    }
    System.arraycopy(b, off, buf, length, n);
    length += n;
  }

  /** An input stream whose lines are watched as they are read. */
  static InputStream watch(InputStream in, Listener listener, LongSupplier nanos) {
    LineTap tap = new LineTap(listener, nanos, false);
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
          synchronized (tap) { // a standby thread may take over reading
            tap.feed(new byte[] {(byte) c}, 0, 1);
          }
        }
        return c;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          synchronized (tap) {
            tap.feed(b, off, n);
          }
        }
        return n;
      }
    };
  }

  /**
   * An output stream whose lines are watched once they are written and flushed, so that a line is
   * told after it reached the peer (the watching never delays it).
   */
  static OutputStream watch(OutputStream out, Listener listener, LongSupplier nanos) {
    LineTap tap = new LineTap(listener, nanos, true);
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        synchronized (tap) {
          tap.feed(new byte[] {(byte) b}, 0, 1);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        synchronized (tap) {
          tap.feed(b, off, len);
        }
      }

      @Override
      public void flush() throws IOException {
        out.flush();
        synchronized (tap) {
          tap.flushed();
        }
      }
    };
  }
}
