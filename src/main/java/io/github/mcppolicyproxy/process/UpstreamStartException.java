package io.github.mcppolicyproxy.process;

/** The upstream command could not be started; {@link #exitCode()} is what the proxy exits with. */
public final class UpstreamStartException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public UpstreamStartException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** 127 when the command was not found, 126 when it is not executable. */
  public int exitCode() {
    return exitCode;
  }
}
