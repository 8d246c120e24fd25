package io.github.mcppolicyproxy.bench;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The floor of any stdio relay, the yardstick of issue 14: spawns the command after {@code --} as
 * its child (stderr inherited) and copies lines both ways with two threads, as issue 14 defines the
 * floor: each line is passed on, and flushed, once its {@code '\n'} has arrived (a relay of
 * JSON-RPC frames must know where a frame ends before it may judge it), with no parsing and no
 * checks. A last line without a line end is passed on at the end. It exits with the child's exit
 * code once the child's stdout ends; the child's stdin is closed when ours ends.
 *
 * <p>The benchmark ({@code src/test/node/bench.mjs --suite floor}) starts it from
 * {@code target/test-classes} with the JVM flags it reads from {@code bin/mcp-policy-proxy}, so the
 * floor and the proxy run on the same JVM configuration.
 */
public final class FloorRelay {
  private static final int CHUNK = 64 * 1024;

  private FloorRelay() {}

  /** Usage: {@code FloorRelay -- COMMAND [ARGS...]}. */
  public static void main(String[] args) throws IOException, InterruptedException {
    List<String> argv = Arrays.asList(args);
    int dash = argv.indexOf("--");
    if (dash < 0 || dash == argv.size() - 1) {
      System.err.println("usage: FloorRelay -- COMMAND [ARGS...]");
      System.exit(2);
    }
    Process child = new ProcessBuilder(argv.subList(dash + 1, argv.size()))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(child::destroy)); // SIGTERM: no orphan
    Thread up = new Thread(
        () -> copy(new FileInputStream(FileDescriptor.in), child.getOutputStream()),
        "client-to-server");
    up.setDaemon(true);
    up.start();
    copy(child.getInputStream(), new FileOutputStream(FileDescriptor.out));
    System.exit(child.waitFor());
  }

  /** Copies whole lines until end of input or a write fails, flushing after each; closes both. */
  static void copy(InputStream in, OutputStream out) {
    byte[] buf = new byte[CHUNK];
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    try (in; out) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            line.write(buf, start, i + 1 - start);
            line.writeTo(out);
            out.flush();
            line.reset();
            start = i + 1;
          }
        }
        line.write(buf, start, n - start);
      }
      line.writeTo(out);
      out.flush();
    } catch (IOException e) {
      // the other side went away: closing our end tells the peer
    }
  }
}
