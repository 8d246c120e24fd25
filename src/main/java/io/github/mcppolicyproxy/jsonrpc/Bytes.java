package io.github.mcppolicyproxy.jsonrpc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Searches in a frame's bytes, before (or instead of) parsing it. A byte is looked for eight at a
 * time (a word of the array read little-endian, and the classic "has a zero byte" test), which on
 * C1 is several times faster than a loop over bytes on the frames of many megabytes it meets.
 */
public final class Bytes {
  private Bytes() {}

  /**
   * The array read as little-endian longs: the lowest byte of a word is the first in the array
   * (also the secret-trigger scan's, in integrity).
   */
  public static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  static final long ONES = 0x0101010101010101L;
  static final long HIGH_BITS = 0x8080808080808080L;

  /**
   * The index of the first {@code needle} in {@code hay}, or -1. Its last byte is looked for first:
   * the needles here end with a quote, rarer in a large result than any letter.
   */
  public static int indexOf(byte[] hay, byte[] needle) {
    return needle.length == 0 ? 0 : indexOf(hay, needle, needle.length - 1);
  }

  /**
   * The index of the first {@code needle} in {@code hay}, or -1, looking for its byte at
   * {@code anchor} first: the rarest of its bytes in what is searched makes the fewest stops.
   */
  public static int indexOf(byte[] hay, byte[] needle, int anchor) {
    int n = needle.length;
    if (n == 0) {
      return 0;
    }
    byte a = needle[anchor];
    int i = anchor; // where the needle's anchor byte may be
    int last = hay.length - (n - 1 - anchor); // the anchor of a whole needle lies before this
    while (i < last) {
      i = indexOf(hay, i, last, a);
      if (i < 0) {
        return -1;
      }
      if (matchesAt(hay, i - anchor, needle)) {
        return i - anchor;
      }
      i++;
    }
    return -1;
  }

  /** The index of the first byte {@code value} in {@code b[from, to)}, or -1. */
  public static int indexOf(byte[] b, int from, int to, byte value) {
    long pattern = (value & 0xFFL) * ONES;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(b, i) ^ pattern;
      long zero = (x - ONES) & ~x & HIGH_BITS; // the lowest set bit marks the first match
      if (zero != 0) {
        return i + (Long.numberOfTrailingZeros(zero) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  /** True when {@code needle} starts at {@code hay[start]} (and fits). */
  private static boolean matchesAt(byte[] hay, int start, byte[] needle) {
    for (int k = 0; k < needle.length; k++) {
      if (hay[start + k] != needle[k]) {
        return false;
      }
    }
    return true;
  }
}
