package io.github.mcppolicyproxy.jsonrpc;

import static io.github.mcppolicyproxy.jsonrpc.Bytes.HIGH_BITS;
import static io.github.mcppolicyproxy.jsonrpc.Bytes.LONGS;

/** Strict UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
public final class Utf8 {
  private static final long LOW_SEVEN = 0x7f7f7f7f7f7f7f7fL;

  private Utf8() {}

  /**
   * The index of the first byte that is a NUL or not well-formed UTF-8, or -1 when there is none:
   * the checks a frame needs before it is parsed, in one pass. Runs of ASCII are checked eight
   * bytes at a time.
   */
  public static int firstInvalidOrNul(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      while (i + 8 <= to) {
        long w = (long) LONGS.get(b, i);
        // all ASCII (no high bit), and no zero byte (adding 0x7f to each sets its high bit)
        if ((w & HIGH_BITS) != 0 || ((w + LOW_SEVEN) & HIGH_BITS) != HIGH_BITS) {
          break;
        }
        i += 8;
      }
      if (i >= to) {
        break;
      }
      int c = b[i];
      if (c > 0) {
        i++;
        continue;
      }
      if (c == 0) {
        return i;
      }
      int next = afterSequence(b, i, to);
      if (next < 0) {
        return i;
      }
      i = next;
    }
    return -1;
  }

  /** Returns the index of the first byte that is not well-formed UTF-8, or -1 when all are. */
  public static int firstInvalid(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      if (b[i] >= 0) {
        i++;
        continue;
      }
      int next = afterSequence(b, i, to);
      if (next < 0) {
        return i;
      }
      i = next;
    }
    return -1;
  }

  /** Where the multi-byte sequence starting at {@code b[i]} ends, or -1 when it is malformed. */
  private static int afterSequence(byte[] b, int i, int to) {
    int c = b[i] & 0xFF;
    int need;
    int min;
    if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3;
      min = 0x10000;
    } else {
      return -1;
    }
    if (i + need >= to) {
      return -1; // truncated sequence
    }
    int cp = c & (0x3F >> need);
    for (int k = 1; k <= need; k++) {
      int cc = b[i + k] & 0xFF;
      if ((cc & 0xC0) != 0x80) {
        return -1;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return -1;
    }
    return i + need + 1;
  }

  public static boolean isValid(byte[] b) {
    return firstInvalid(b, 0, b.length) < 0;
  }
}
