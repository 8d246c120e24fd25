package io.github.mcppolicyproxy.jsonrpc;

import java.nio.charset.StandardCharsets;

/**
 * A position in a frame's bytes and the steps over JSON's white space and literals that the fast
 * paths ({@link QuickEnvelope}, {@link QuickTree}) share.
 */
abstract class JsonCursor {
  static final byte[] TRUE = ascii("true");
  static final byte[] FALSE = ascii("false");
  static final byte[] NULL = ascii("null");

  final byte[] b;
  final int end;
  int i;

  JsonCursor(byte[] b, int from, int to) {
    this.b = b;
    this.i = from;
    this.end = to;
  }

  /** Skips JSON white space; the byte then at {@code i} (0-255), or -1 at the end. */
  final int ws() {
    while (i < end) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return c & 0xFF; // never -1: that is the end
      }
      i++;
    }
    return -1;
  }

  /** {@code word} at {@code i}, ended by a delimiter; {@code i} then after it. */
  final boolean literal(byte[] word) {
    int n = word.length;
    if (i + n > end) {
      return false;
    }
    for (int k = 0; k < n; k++) {
      if (b[i + k] != word[k]) {
        return false;
      }
    }
    i += n;
    return delimited();
  }

  /** True when the token that just ended is followed by white space, a delimiter or the end. */
  final boolean delimited() {
    if (i >= end) {
      return true;
    }
    byte c = b[i];
    return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
