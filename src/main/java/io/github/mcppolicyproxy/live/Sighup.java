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
   * runtime cannot catch it, or when the process was started with SIGHUP ignored ({@code nohup},
   * a service manager's setting): the JVM then leaves it ignored, and {@code kill -HUP} would do
   * nothing without a word.
   */
  public static boolean install(Runnable onHup, PrintStream stderr) {
    try {
      sun.misc.SignalHandler old = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
        Thread t = new Thread(onHup, "sighup-reload");
        t.setDaemon(true);
        t.start();
      });
      if (old == sun.misc.SignalHandler.SIG_IGN) {
        stderr.println("mcp-policy-proxy: SIGHUP is ignored in this process (started under nohup,"
            + " or by a parent that ignores it), so kill -HUP cannot reload the policy; the"
            + " policy file is still watched (start without nohup, or with"
            + " env --default-signal=HUP, for SIGHUP)");
        return false;
      }
      return true;
    } catch (IllegalArgumentException | LinkageError | SecurityException e) {
      stderr.println("mcp-policy-proxy: SIGHUP cannot be caught here (" + e
          + "); the policy file is still watched");
      return false;
    }
  }
}
