package io.github.mcppolicyproxy.process;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/** The upstream MCP server the proxy talks to: its stdio, its fate, and how to stop it. */
public interface Upstream {
  /** Frames to the server. */
  OutputStream stdin();

  /** Frames from the server. */
  InputStream stdout();

  /** Waits up to {@code timeout} for the server to exit; its exit code, or empty if still running. */
  OptionalInt awaitExit(Duration timeout) throws InterruptedException;

  /**
   * Stops the server and everything it started: closes its stdin, waits {@code grace} for it to
   * exit, then terminates (SIGTERM) the whole process tree, and kills (SIGKILL) what is left after a
   * further moment. Returns the exit code. Idempotent.
   */
  int stop(Duration grace) throws InterruptedException;

  /** The last lines the server wrote to stderr. */
  List<String> stderrTail();
}
