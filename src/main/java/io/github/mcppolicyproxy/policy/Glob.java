package io.github.mcppolicyproxy.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A name or a glob ({@code *} any run of characters, {@code ?} one character), matched exactly:
 * case-sensitive, no Unicode normalisation, the whole name.
 *
 * @param text the key as written in the policy
 * @param pointer the JSON Pointer of the key's entry in the policy file
 */
public record Glob(String text, String pointer, Pattern pattern, boolean ignoreCase) {
  public Glob {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(pointer, "pointer");
  }

  /** Compiles {@code text}; a text without {@code *} or {@code ?} matches only itself. */
  public static Glob of(String text, String pointer) {
    return new Glob(text, pointer, isGlob(text) ? compile(text, 0) : null, false);
  }

  /**
   * A key of {@code operations}: AWS action names compare without regard to ASCII case, as in IAM
   * ({@code rds:DescribeDBInstances} is {@code rds:DescribeDbInstances}).
   */
  public static Glob ofOperation(String text, String pointer) {
    return new Glob(text, pointer,
        isGlob(text) ? compile(text, Pattern.CASE_INSENSITIVE) : null, true);
  }

  public static boolean isGlob(String text) {
    return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
  }

  /** True when {@code name} is this key, or matches it as a glob. */
  public boolean matches(String name) {
    return (ignoreCase ? text.equalsIgnoreCase(name) : text.equals(name))
        || (pattern != null && pattern.matcher(name).matches());
  }

  /**
   * How specific this key is: an exact name beats every glob, and a glob with more literal
   * characters beats one with fewer ({@code omics:Start*} beats {@code *:Start*}).
   */
  public int specificity() {
    if (pattern == null) {
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

  private static Pattern compile(String glob, int flags) {
    StringBuilder re = new StringBuilder(glob.length() + 8);
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          re.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        re.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      re.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL | flags);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Glob g && g.text.equals(text) && g.pointer.equals(pointer);
  }

  @Override
  public int hashCode() {
    return text.hashCode() * 31 + pointer.hashCode();
  }
}
