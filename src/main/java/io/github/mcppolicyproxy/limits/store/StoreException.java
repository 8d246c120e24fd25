package io.github.mcppolicyproxy.limits.store;

/** The counter store could not be asked (down, unreachable, locked, too slow). */
public final class StoreException extends Exception {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
