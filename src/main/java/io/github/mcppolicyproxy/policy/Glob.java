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
public final class Glob {
  private final String text;
  private final String pointer;
  private final boolean glob;
  private final boolean ignoreCase;
  /** Runs of literal characters every match must contain (lower-cased when ignoring case). */
  private final String[] required;

  private Glob(String text, String pointer, boolean glob, boolean ignoreCase) {
    this.text = Objects.requireNonNull(text, "text");
    this.pointer = Objects.requireNonNull(pointer, "pointer");
    this.glob = glob;
    this.ignoreCase = ignoreCase;
    this.required = literals(ignoreCase ? lower(text) : text);
  }

  /**
   * The non-empty runs between wildcards ({@code "a*b?c"}: a, b, c); for a key without wildcards
   * the key. A loop, not {@code split("[*?]+")}: a policy of 1,000 keys compiled that regex 1,000
   * times on the start-up path, a fifth of the policy's load.
   */
  static String[] literals(String key) {
    java.util.List<String> runs = new java.util.ArrayList<>(4);
    int start = 0;
    for (int i = 0; i <= key.length(); i++) {
      if (i == key.length() || key.charAt(i) == '*' || key.charAt(i) == '?') {
        if (i > start) {
          runs.add(key.substring(start, i));
        }
        start = i + 1;
      }
    }
    return runs.toArray(new String[0]);
  }

  public String text() {
    return text;
  }

  public String pointer() {
    return pointer;
  }

  public boolean glob() {
    return glob;
  }

  public boolean ignoreCase() {
    return ignoreCase;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Glob g && g.text.equals(text) && g.pointer.equals(pointer)
        && g.ignoreCase == ignoreCase;
  }

  @Override
  public int hashCode() {
    return text.hashCode() * 31 + pointer.hashCode();
  }

  @Override
  public String toString() {
    return text;
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
    return matches(name, ignoreCase ? lower(name) : name);
  }

  /**
   * {@link #matches(String)} for callers that test one name against many keys: {@code folded} is
   * {@code name} lower-cased (ASCII) when this key ignores case, else {@code name} itself.
   */
  boolean matches(String name, String folded) {
    if (!glob) {
      return ignoreCase ? text.equalsIgnoreCase(name) && isAscii(name) : text.equals(name);
    }
    for (String literal : required) {
      if (!folded.contains(literal)) {
        return false; // cheap rejection: most keys fail here without the full match
      }
    }
    return wildcard(text, name, ignoreCase);
  }

  /** ASCII lower case (the only folding IAM does); other characters unchanged. */
  static String lower(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] a = s.toCharArray();
        for (int k = i; k < a.length; k++) {
          if (a[k] >= 'A' && a[k] <= 'Z') {
            a[k] = (char) (a[k] + 32);
          }
        }
        return new String(a);
      }
    }
    return s;
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
