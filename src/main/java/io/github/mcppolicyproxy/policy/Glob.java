package io.github.mcppolicyproxy.policy;

import java.util.Objects;

/**
 * A name or a glob ({@code *} any run of characters, {@code ?} one character), matched against the
 * whole name, with no Unicode normalisation. Tool keys are case-sensitive; operation keys compare
 * ASCII letters without regard to case, as IAM does. Matching allocates nothing.
 *
 * @param text the key as written in the policy
 * @param pointer the JSON Pointer of the key's entry in the policy file
 * @param glob true when the text has a {@code *} or {@code ?}
 */
public record Glob(String text, String pointer, boolean glob, boolean ignoreCase) {
  public Glob {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(pointer, "pointer");
  }

  /** A key of {@code tools} or {@code hide}: case-sensitive. */
  public static Glob of(String text, String pointer) {
    return new Glob(text, pointer, isGlob(text), false);
  }

  /**
   * A key of {@code operations}: AWS action names compare without regard to ASCII case, as in IAM
   * ({@code rds:DescribeDBInstances} is {@code rds:DescribeDbInstances}).
   */
  public static Glob ofOperation(String text, String pointer) {
    return new Glob(text, pointer, isGlob(text), true);
  }

  public static boolean isGlob(String text) {
    return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
  }

  /** True when {@code name} is this key, or matches it as a glob. */
  public boolean matches(String name) {
    if (!glob) {
      return ignoreCase ? text.equalsIgnoreCase(name) && isAscii(name) : text.equals(name);
    }
    return wildcard(text, name, ignoreCase);
  }

  /**
   * How specific this key is: an exact name beats every glob, and a glob with more literal
   * characters beats one with fewer ({@code omics:Start*} beats {@code *:Start*}).
   */
  public int specificity() {
    if (!glob) {
      return Integer.MAX_VALUE;
    }
    int literal = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '*' && c != '?') {
        literal++;
      }
    }
    return literal;
  }

  /** Greedy matching with one backtrack point: linear for the keys policies use. */
  static boolean wildcard(String pat, String name, boolean ignoreCase) {
    int p = 0;
    int n = 0;
    int starP = -1;
    int starN = 0;
    while (n < name.length()) {
      char pc = p < pat.length() ? pat.charAt(p) : 0;
      if (p < pat.length() && pc == '?') {
        n += width(name, n);
        p++;
      } else if (p < pat.length() && pc == '*') {
        starP = p++;
        starN = n;
      } else if (p < pat.length() && same(pc, name.charAt(n), ignoreCase)) {
        p++;
        n++;
      } else if (starP >= 0) {
        p = starP + 1;
        starN += width(name, starN);
        n = starN;
      } else {
        return false;
      }
    }
    while (p < pat.length() && pat.charAt(p) == '*') {
      p++;
    }
    return p == pat.length();
  }

  private static int width(String s, int i) {
    return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(i + 1)) ? 2 : 1;
  }

  private static boolean same(char a, char b, boolean ignoreCase) {
    if (a == b) {
      return true;
    }
    return ignoreCase && a < 128 && b < 128 && Character.toLowerCase(a) == Character.toLowerCase(b);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 128) {
        return false;
      }
    }
    return true;
  }
}
