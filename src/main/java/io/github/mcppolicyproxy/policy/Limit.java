package io.github.mcppolicyproxy.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * A rate limit: at most {@code max} calls per fixed {@code window}, counted under {@code counter}
 * in the given {@code scope}. Entries that share a counter (and scope) share one count.
 *
 * @param pointer JSON Pointer of this limit in the policy file
 * @param windowText the window as written, for messages ("minute", "30 seconds")
 */
public record Limit(
    String pointer, String counter, Duration window, String windowText, int max, Scope scope) {

  /** Who shares a count. */
  public enum Scope {
    /** Per MCP session (one stdio connection). */
    SESSION("session"),
    /** Shared by every session of this process (PolicyLayer's grant). */
    GRANT("grant"),
    /** Shared by every session of this process. */
    GLOBAL("global");

    private final String wire;

    Scope(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  public Limit {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(counter, "counter");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(scope, "scope");
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
  }

  // Written out rather than the record's generated ones: those go through method handles, which
  // cost microseconds per call on C1 (the launcher's compiler), and limits are map keys per call.
  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof Limit l && max == l.max && scope == l.scope
        && counter.equals(l.counter) && pointer.equals(l.pointer) && window.equals(l.window)
        && Objects.equals(windowText, l.windowText));
  }

  @Override
  public int hashCode() {
    int h = pointer.hashCode();
    h = 31 * h + counter.hashCode();
    h = 31 * h + window.hashCode();
    h = 31 * h + Objects.hashCode(windowText);
    h = 31 * h + max;
    return 31 * h + scope.hashCode();
  }

  /** "10 calls per minute", "1 call per 30 seconds". */
  public String describe() {
    return max + (max == 1 ? " call" : " calls") + " per " + windowText;
  }
}
