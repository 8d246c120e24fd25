package io.github.mcppolicyproxy.scan;

/** How much harm a tool can do, from least to most; a starter policy's rule follows from it. */
public enum Risk {
  /** Only reads: allowed. */
  READ("read"),
  /** Changes something that can be changed back: allowed, rate limited. */
  WRITE("write"),
  /**
   * Runs commands or code, or writes to outside systems (an open world), whose effect the proxy
   * cannot see: allowed, rate limited tighter.
   */
  EXECUTE("execute"),
  /** Destroys something: denied until an operator decides otherwise. */
  DESTRUCTIVE("destructive");

  private final String word;

  Risk(String word) {
    this.word = word;
  }

  /** The word the starter policy's descriptions use. */
  public String word() {
    return word;
  }
}
