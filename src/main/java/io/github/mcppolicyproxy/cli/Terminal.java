package io.github.mcppolicyproxy.cli;

/** Whether a person is at the other end of stdin and stdout. */
final class Terminal {
  private Terminal() {}

  /**
   * True when stdin and stdout are a terminal: a person started the command by hand (no MCP
   * client did), and output may be coloured. On JDK 22+ a console exists without a terminal too,
   * so {@code isTerminal()} is asked there.
   */
  static boolean interactive() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true; // before JDK 22 a console is only given to a terminal
    }
  }
}
