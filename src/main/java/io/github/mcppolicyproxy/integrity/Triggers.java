package io.github.mcppolicyproxy.integrity;

/**
 * The cheap first look at a frame or a string: true when it holds anything a secret could be made
 * of (a secret field name, an AWS access key id, a session-token or ECR-token prefix, a PEM private
 * key, or a JSON {@code \\u} escape that could spell one). False means nothing in it can be redacted,
 * so it passes untouched without being parsed. Every detection of {@link SecretText} and every
 * name of {@link SecretText#isSecretName} implies a trigger here (the tests hold it to that).
 */
final class Triggers {
  /** Lower-case words matched case-insensitively, with {@code _} and {@code -} between letters skipped. */
  private static final String[] WORDS = {"secret", "sessiontoken", "securitytoken",
      "authorizationtoken", "passw", "private", "iqojb3jpz2lu", "fwogzxivyxdz", "fqogzxivyxdz",
      "aqodyxdz", "eyjwyxlsb2fkijoi", "qvdtomv5sndzwgxz"};

  /** The words by their first (lower-case ASCII) letter; null for a letter no word starts with. */
  private static final String[][] BY_FIRST = new String[128][];

  static {
    for (String w : WORDS) {
      String[] old = BY_FIRST[w.charAt(0)];
      String[] grown = old == null ? new String[1] : java.util.Arrays.copyOf(old, old.length + 1);
      grown[grown.length - 1] = w;
      BY_FIRST[w.charAt(0)] = grown;
    }
  }

  private Triggers() {}

  /** Per byte: 1 where a word or an access key id may start, 2 for a backslash, else 0. */
  private static final byte[] START = new byte[256];
  /**
   * Per lower-case first letter, the lower-case letters that follow it in some word (bit
   * {@code letter - 'a'}): most letters of ordinary text start no word, so they cost one look.
   */
  private static final int[] SECOND = new int[128];

  static {
    for (String w : WORDS) {
      START[w.charAt(0)] = 1;
      START[Character.toUpperCase(w.charAt(0))] = 1;
      SECOND[w.charAt(0)] |= 1 << (w.charAt(1) - 'a');
    }
    START['A'] = 1;
    START['\\'] = 2;
  }

  /** True when {@code b[from, to)} may hold something to redact. */
  static boolean in(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      int c = b[i] & 0xFF;
      int start = START[c];
      if (start == 0) {
        continue;
      }
      if (start == 2) {
        if (i + 1 < to && b[i + 1] == 'u') {
          return true;
        }
        continue;
      }
      if (c == 'A' && i + 4 < to && b[i + 2] == 'I' && b[i + 3] == 'A'
          && (b[i + 1] == 'K' || b[i + 1] == 'S') && upperOrDigit(b[i + 4])) {
        return true;
      }
      int j = i + 1;
      while (j < to && (b[j] == '_' || b[j] == '-')) {
        j++;
      }
      int second = j < to ? (b[j] | 0x20) - 'a' : -1;
      if (second < 0 || second >= 26 || (SECOND[c | 0x20] & (1 << second)) == 0) {
        continue; // no word starts with these two letters
      }
      for (String w : BY_FIRST[c | 0x20]) {
        if (word(b, i, to, w)) {
          return true;
        }
      }
    }
    return false;
  }

  /** True when {@code c[off, off + len)} may hold something to redact. */
  static boolean in(char[] c, int off, int len) {
    return in(java.nio.CharBuffer.wrap(c, off, len));
  }

  /** True when {@code s} may hold something to redact. */
  static boolean in(CharSequence s) {
    int to = s.length();
    for (int i = 0; i < to; i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (i + 1 < to && s.charAt(i + 1) == 'u') {
          return true;
        }
        continue;
      }
      if (c < 'A') {
        continue;
      }
      if (c == 'A' && i + 4 < to && s.charAt(i + 2) == 'I' && s.charAt(i + 3) == 'A'
          && (s.charAt(i + 1) == 'K' || s.charAt(i + 1) == 'S') && upperOrDigit(s.charAt(i + 4))) {
        return true;
      }
      String[] words = c < 0x80 ? BY_FIRST[(c | 0x20) & 0x7f] : null;
      if (words != null) {
        for (String w : words) {
          if (word(s, i, to, w)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean upperOrDigit(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean word(byte[] b, int at, int to, String w) {
    int i = at + 1;
    for (int k = 1; k < w.length(); k++) {
      while (i < to && (b[i] == '_' || b[i] == '-')) {
        i++;
      }
      if (i >= to || (b[i] | 0x20) != w.charAt(k)) {
        return false;
      }
      i++;
    }
    return true;
  }

  private static boolean word(CharSequence s, int at, int to, String w) {
    int i = at + 1;
    for (int k = 1; k < w.length(); k++) {
      while (i < to && (s.charAt(i) == '_' || s.charAt(i) == '-')) {
        i++;
      }
      if (i >= to || s.charAt(i) >= 0x80 || (s.charAt(i) | 0x20) != w.charAt(k)) {
        return false;
      }
      i++;
    }
    return true;
  }
}
