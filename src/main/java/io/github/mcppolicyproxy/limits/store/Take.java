package io.github.mcppolicyproxy.limits.store;

import java.util.Objects;

/**
 * Permits to take from one shared counter in one fixed window.
 *
 * @param scope whose counter: {@code grant team-a} or {@code global}
 * @param counter the counter's name in the policy
 * @param windowStart the window's start, epoch milliseconds (aligned to the epoch)
 * @param windowEnd the window's end (exclusive), epoch milliseconds
 * @param permits how many to take (at least 1)
 * @param max the limit's maximum per window
 */
public record Take(String scope, String counter, long windowStart, long windowEnd, int permits,
    int max) {
  /** Every key of the stores starts with this. */
  public static final String PREFIX = "mcp-policy-proxy:";

  public Take {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(counter, "counter");
    if (windowEnd <= windowStart) {
      throw new IllegalArgumentException("window end must follow its start");
    }
    if (permits < 1 || max < 1) {
      throw new IllegalArgumentException("permits and max must be at least 1");
    }
  }

  /**
   * The counter's key for this window: {@code mcp-policy-proxy:{team-a}:COUNTER:START} for a grant,
   * {@code mcp-policy-proxy:global:COUNTER:START} for global (a grant name never holds braces).
   */
  public String key() {
    return PREFIX + scopeKey(scope) + ":" + counter + ":" + windowStart;
  }

  /** {@code {team-a}} for {@code grant team-a}, {@code global} for global. */
  public static String scopeKey(String scope) {
    return scope.startsWith("grant ") ? "{" + scope.substring(6) + "}" : "global";
  }

  /** The same take with other permits. */
  public Take withPermits(int n) {
    return new Take(scope, counter, windowStart, windowEnd, n, max);
  }
}
