package io.github.mcppolicyproxy.jsonrpc;

/**
 * The strict steps over JSON's strings (escapes and UTF-8 validated, eight bytes at a time) and
 * numbers (JSON's grammar) that {@link QuickEnvelope} validates a frame with.
 */
abstract class JsonTokens extends JsonCursor {
  JsonTokens(byte[] b, int from, int to) {
    super(b, from, to);
  }

  /**
   * A string's content from {@code i} (after its opening quote) to its closing quote, which
   * {@code i} ends after; escapes and UTF-8 validated. False when it is not a valid string.
   */
  final boolean string() {
    while (true) {
      int e = plainString();
      if (e >= 0) {
        return true;
      }
      if (i >= end || b[i] != '\\' || !escape()) {
        return false;
      }
    }
  }

  private boolean escape() {
    if (i + 1 >= end) {
      return false;
    }
    byte c = b[i + 1];
    if (c == 'u') {
      if (i + 6 > end) {
        return false;
      }
      for (int k = i + 2; k < i + 6; k++) {
        int h = b[k];
        if (!(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F')) {
          return false;
        }
      }
      i += 6;
      return true;
    }
    if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r'
        || c == 't') {
      i += 2;
      return true;
    }
    return false;
  }

  /**
   * Scans string content from {@code i} up to a closing quote with no escape before it: returns the
   * quote's index with {@code i} after it. Returns -1 with {@code i} at the byte that stopped it (a
   * backslash, a control character, malformed UTF-8, or the end). Eight bytes at a time: a word
   * with a byte that needs a look (a quote, a backslash, a control character, a non-ASCII byte) is
   * left at that byte, whose place is exact (only bytes after the first such byte can be marked
   * wrongly by the borrow of a subtraction), and the word loop goes on right after it.
   */
  final int plainString() {
    byte[] a = b;
    int j = i;
    int to = end;
    while (true) {
      j = plainUntil(a, j, to, true);
      if (j >= to) {
        i = j;
        return -1;
      }
      int c = a[j];
      if (c == '"') {
        i = j + 1;
        return j;
      }
      if (c >= 0) { // a backslash or a control character
        i = j;
        return -1;
      }
      int next = Utf8.afterSequence(a, j, to);
      if (next < 0) {
        i = j;
        return -1;
      }
      j = next;
    }
  }

  /** A number by JSON's grammar (no leading zero, no lone sign, digits after '.' and 'e'). */
  final boolean number() {
    int j = i;
    if (j < end && b[j] == '-') {
      j++;
    }
    if (j >= end) {
      return false;
    }
    if (b[j] == '0') {
      j++;
    } else if (b[j] >= '1' && b[j] <= '9') {
      j = digits(j);
    } else {
      return false;
    }
    if (j < end && b[j] == '.') {
      int k = digits(j + 1);
      if (k == j + 1) {
        return false;
      }
      j = k;
    }
    if (j < end && (b[j] == 'e' || b[j] == 'E')) {
      j++;
      if (j < end && (b[j] == '+' || b[j] == '-')) {
        j++;
      }
      int k = digits(j);
      if (k == j) {
        return false;
      }
      j = k;
    }
    i = j;
    return delimited();
  }

  private int digits(int j) {
    while (j < end && b[j] >= '0' && b[j] <= '9') {
      j++;
    }
    return j;
  }
}
