package io.github.mcppolicyproxy.jsonrpc;

import static io.github.mcppolicyproxy.jsonrpc.Bytes.HIGH_BITS;
import static io.github.mcppolicyproxy.jsonrpc.Bytes.LONGS;
import static io.github.mcppolicyproxy.jsonrpc.Bytes.ONES;

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

  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
  private static final long SPACES = 0x2020202020202020L;

  /**
   * The index of the first byte of {@code a[j, to)} that ends a plain stretch of a JSON string, or
   * {@code to}: a quote, a backslash, a control character (below 0x20), and, when
   * {@code stopAtNonAscii}, a byte of 0x80 or above (one of a multi-byte UTF-8 sequence). Eight
   * bytes at a time: a word read little-endian, and the classic "has a zero byte" and "has a byte
   * less than" tests, whose lowest marked byte is always a real one (the borrows that can mark
   * bytes wrongly only run upwards from a real one).
   */
  static int plainUntil(byte[] a, int j, int to, boolean stopAtNonAscii) {
    long nonAscii = stopAtNonAscii ? -1L : 0L; // keep (or drop) the bytes of 0x80 and above
    while (j + 8 <= to) {
      long w = (long) LONGS.get(a, j);
      long q = w ^ QUOTES;
      long s = w ^ BACKSLASHES;
      long special = (((q - ONES) & ~q) | ((s - ONES) & ~s) | ((w - SPACES) & ~w) | (w & nonAscii))
          & HIGH_BITS;
      if (special != 0) {
        return j + (Long.numberOfTrailingZeros(special) >>> 3);
      }
      j += 8;
    }
    for (; j < to; j++) {
      int c = a[j];
      if (c == '"' || c == '\\' || (c >= 0 && c < 0x20) || (c < 0 && stopAtNonAscii)) {
        return j;
      }
    }
    return to;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
