package io.github.mcppolicyproxy.live;

import java.io.PrintStream;

/**
 * {@code kill -HUP} reloads the policy. Uses {@code sun.misc.Signal} (module jdk.unsupported),
 * guarded: where the platform or the runtime has no SIGHUP, the proxy goes on without it and
 * says so.
 */
public final class Sighup {
  private Sighup() {}

  /**
   * Runs {@code onHup} on a new thread for every SIGHUP; false (with a line on stderr) when this
   * runtime cannot catch it.
   */
  public static boolean install(Runnable onHup, PrintStream stderr) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
        Thread t = new Thread(onHup, "sighup-reload");
        t.setDaemon(true);
        t.start();
      });
      return true;
    } catch (IllegalArgumentException | LinkageError | SecurityException e) {
      stderr.println("mcp-policy-proxy: SIGHUP cannot be caught here (" + e
          + "); the policy file is still watched");
      return false;
    }
  }
}
