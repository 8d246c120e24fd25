package io.github.mcppolicyproxy.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Copies a child's stderr to ours as it arrives, a line at a time (so it never interleaves with our
 * own diagnostics mid-line), and remembers its last lines for error messages. Lines longer than
 * {@value #MAX_LINE} bytes are passed on in pieces. Runs on its own thread so a flood never blocks
 * the child.
 */
public final class StderrDrain implements Runnable {
  static final int MAX_LINE = 8192;
  private static final int TAIL_LINES = 20;
  private static final int TAIL_CHARS = 500;

  private final InputStream in;
  private final PrintStream out;
  private final String prefix;
  private final Deque<String> tail = new ArrayDeque<>();
  private volatile boolean done;

  /** @param prefix written before each line ("" to pass lines unchanged) */
  public StderrDrain(InputStream in, PrintStream out, String prefix) {
    this.in = Objects.requireNonNull(in, "in");
    this.out = Objects.requireNonNull(out, "out");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  @Override
  public void run() {
    byte[] buf = new byte[16 * 1024];
    byte[] line = new byte[MAX_LINE + 1];
    int len = 0;
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        for (int i = 0; i < n; i++) {
          line[len++] = buf[i];
          if (buf[i] == '\n' || len == line.length) {
            emit(line, len);
            len = 0;
          }
        }
      }
    } catch (IOException e) {
      // the child's stderr closed under us: it is exiting
    } finally {
      if (len > 0) {
        emit(line, len);
      }
      done = true;
    }
  }

  private void emit(byte[] line, int len) {
    byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
    synchronized (out) {
      out.write(p, 0, p.length);
      out.write(line, 0, len);
      if (line[len - 1] != '\n') {
        out.write('\n');
      }
      out.flush();
    }
    String text = new String(line, 0, len, StandardCharsets.UTF_8).strip();
    if (!text.isEmpty()) {
      synchronized (tail) {
        tail.addLast(text.length() > TAIL_CHARS ? text.substring(0, TAIL_CHARS) + "..." : text);
        while (tail.size() > TAIL_LINES) {
          tail.removeFirst();
        }
      }
    }
  }

  /** The last lines the child wrote to stderr (at most 20), oldest first. */
  public List<String> tail() {
    synchronized (tail) {
      return new ArrayList<>(tail);
    }
  }

  public boolean done() {
    return done;
  }
}
