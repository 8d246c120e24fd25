package io.github.mcppolicyproxy.jsonrpc;

import static io.github.mcppolicyproxy.jsonrpc.Bytes.HIGH_BITS;
import static io.github.mcppolicyproxy.jsonrpc.Bytes.LONGS;
import static io.github.mcppolicyproxy.jsonrpc.Bytes.ONES;

/**
 * The envelope of a large frame for less than a streaming parse costs: one pass checks that the
 * frame is a single JSON object in strict UTF-8 (RFC 8259 as Jackson reads it by default, no NUL,
 * no byte order mark), stepping over the bytes of a string eight at a time, and notes where its
 * top-level members lie; the {@link EnvelopeScanner} then scans the frame's skeleton, the same
 * bytes with every large top-level value (a 20 MB {@code result}) replaced by {@code 0}. The
 * envelope is the scanner's own, of the same names, methods and ids. Whenever the pass is not sure
 * (not an object, too deep, or anything it does not accept) the whole frame goes to the scanner,
 * which then decides alone: this pass only ever accepts what the scanner accepts (a fuzz test holds
 * it to that), so a frame that is not valid JSON is never passed on because of it. Stateless.
 */
public final class LargeFrames {
  /** Frames from this size up are worth the pass; smaller ones go to the scanner at once. */
  public static final int THRESHOLD = 16 * 1024;
  /** Deeper than this, the scanner decides (it allows {@link EnvelopeScanner#MAX_NESTING}). */
  static final int MAX_DEPTH = 1000;
  /** A top-level value larger than this is replaced in the skeleton (its name is kept). */
  static final int KEEP = 256;

  private static final long QUOTES = '"' * ONES;
  private static final long BACKSLASHES = '\\' * ONES;
  private static final long SPACES = ' ' * ONES;

  private LargeFrames() {}

  /** The envelope of {@code frame}: what {@code scanner.scan(frame)} says, found for less. */
  public static Envelope scan(EnvelopeScanner scanner, byte[] frame) {
    byte[] skeleton = frame.length < THRESHOLD ? null : skeleton(frame);
    return scanner.scan(skeleton == null ? frame : skeleton);
  }

  /**
   * {@code frame} with its large top-level values replaced by {@code 0} when it is one valid JSON
   * object in strict UTF-8; null when it is not, or the pass is not sure. The values of members
   * named {@code id} or {@code method} (or with an escape in the name) are always kept.
   */
  static byte[] skeleton(byte[] b) {
    int n = b.length;
    int i = ws(b, 0, n);
    if (i >= n || b[i] != '{') {
      return null;
    }
    int[] cuts = new int[8];
    int cutCount = 0;
    boolean[] objects = new boolean[64]; // per open level: an object (else an array)
    objects[0] = true;
    int depth = 1;
    i++;
    int state = NAME_OR_END;
    int nameStart = 0;
    int nameEnd = 0;
    int valueStart = 0;
    while (true) {
      i = ws(b, i, n);
      if (i >= n) {
        return null;
      }
      int c = b[i];
      if (state == NAME_OR_END && c == '}' || state == VALUE_OR_END && c == ']') {
        state = AFTER_VALUE;
      } else if (state == NAME_OR_END || state == NAME) {
        if (c != '"') {
          return null;
        }
        int start = i + 1;
        i = stringEnd(b, start, n);
        if (i < 0) {
          return null;
        }
        if (depth == 1) {
          nameStart = start;
          nameEnd = i - 1;
        }
        i = ws(b, i, n);
        if (i >= n || b[i] != ':') {
          return null;
        }
        i++;
        state = VALUE;
        continue;
      } else if (state == VALUE || state == VALUE_OR_END) {
        if (depth == 1) {
          valueStart = i;
        }
        if (c == '{' || c == '[') {
          if (depth == MAX_DEPTH) {
            return null;
          }
          if (depth == objects.length) {
            objects = java.util.Arrays.copyOf(objects, depth * 2);
          }
          objects[depth++] = c == '{';
          state = c == '{' ? NAME_OR_END : VALUE_OR_END;
          i++;
          continue;
        }
        i = scalarEnd(b, i, n);
        if (i < 0) {
          return null;
        }
        state = AFTER_VALUE;
        if (depth == 1) {
          if (cutCount + 2 > cuts.length) {
            cuts = java.util.Arrays.copyOf(cuts, cutCount * 2);
          }
          if (cut(b, nameStart, nameEnd, valueStart, i)) {
            cuts[cutCount++] = valueStart;
            cuts[cutCount++] = i;
          }
        }
        continue;
      }
      // after a value: a comma, or the end of the level
      if (c == ',' && state == AFTER_VALUE) {
        state = objects[depth - 1] ? NAME : VALUE;
        i++;
        continue;
      }
      if (c != (objects[depth - 1] ? '}' : ']')) {
        return null;
      }
      i++;
      depth--;
      if (depth == 0) {
        return ws(b, i, n) == n ? cutOut(b, cuts, cutCount) : null;
      }
      if (depth == 1) {
        if (cutCount + 2 > cuts.length) {
          cuts = java.util.Arrays.copyOf(cuts, cutCount * 2);
        }
        if (cut(b, nameStart, nameEnd, valueStart, i)) {
          cuts[cutCount++] = valueStart;
          cuts[cutCount++] = i;
        }
      }
      state = AFTER_VALUE;
    }
  }

  private static final int NAME_OR_END = 0; // after '{'
  private static final int NAME = 1; // after ',' in an object
  private static final int VALUE = 2; // after ':' or ',' in an array
  private static final int VALUE_OR_END = 3; // after '['
  private static final int AFTER_VALUE = 4;

  /** True when the top-level value {@code b[start, end)} may be left out of the skeleton. */
  private static boolean cut(byte[] b, int nameStart, int nameEnd, int start, int end) {
    if (end - start <= KEEP) {
      return false;
    }
    for (int k = nameStart; k < nameEnd; k++) {
      if (b[k] == '\\') {
        return false; // an escaped name could spell id or method
      }
    }
    int len = nameEnd - nameStart;
    return !(len == 2 && b[nameStart] == 'i' && b[nameStart + 1] == 'd'
        || len == 6 && new String(b, nameStart, 6, java.nio.charset.StandardCharsets.US_ASCII)
            .equals("method"));
  }

  private static byte[] cutOut(byte[] b, int[] cuts, int count) {
    if (count == 0) {
      return b;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1024);
    int at = 0;
    for (int k = 0; k < count; k += 2) {
      out.write(b, at, cuts[k] - at);
      out.write('0');
      at = cuts[k + 1];
    }
    out.write(b, at, b.length - at);
    return out.toByteArray();
  }

  private static int ws(byte[] b, int i, int n) {
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
      i++;
    }
    return i;
  }

  /** Where the string, number or literal starting at {@code b[i]} ends; -1 when it is none. */
  private static int scalarEnd(byte[] b, int i, int n) {
    int c = b[i];
    if (c == '"') {
      return stringEnd(b, i + 1, n);
    }
    if (c == '-' || c >= '0' && c <= '9') {
      return numberEnd(b, i, n);
    }
    String literal = c == 't' ? "true" : c == 'f' ? "false" : c == 'n' ? "null" : null;
    if (literal == null || i + literal.length() > n) {
      return -1;
    }
    for (int k = 1; k < literal.length(); k++) {
      if (b[i + k] != literal.charAt(k)) {
        return -1;
      }
    }
    return i + literal.length(); // what follows must be a comma or an end: checked by the caller
  }

  /** After the string whose content starts at {@code b[i]}; -1 when it is not a valid string. */
  static int stringEnd(byte[] b, int i, int n) {
    while (true) {
      for (; i + 8 <= n; i += 8) {
        long w = (long) LONGS.get(b, i);
        long q = w ^ QUOTES;
        long s = w ^ BACKSLASHES;
        // a high bit (UTF-8), a quote, a backslash or a control character; the lowest flag is
        // exact (a borrow only ever flags a byte above a true one): go straight to that byte
        long special = (w | (q - ONES) & ~q | (s - ONES) & ~s | (w - SPACES) & ~w) & HIGH_BITS;
        if (special != 0) {
          i += Long.numberOfTrailingZeros(special) >>> 3;
          break;
        }
      }
      if (i >= n) {
        return -1;
      }
      int c = b[i] & 0xFF;
      if (c == '"') {
        return i + 1;
      } else if (c == '\\') {
        if (i + 1 >= n) {
          return -1;
        }
        int e = b[i + 1];
        if (e == 'u') {
          if (i + 6 > n) {
            return -1;
          }
          for (int k = i + 2; k < i + 6; k++) {
            if (Character.digit(b[k], 16) < 0) {
              return -1;
            }
          }
          i += 6;
        } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n'
            || e == 'r' || e == 't') {
          i += 2;
        } else {
          return -1;
        }
      } else if (c < 0x20) {
        return -1;
      } else if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (b[i + 1] & 0xC0) == 0x80) {
        i += 2; // the common two-byte sequence, in line
      } else if (c >= 0x80) {
        i = Utf8.afterSequence(b, i, n);
        if (i < 0) {
          return -1;
        }
      } else {
        i++;
      }
    }
  }

  /** After the number starting at {@code b[i]} (RFC 8259: no leading zero, no bare dot). */
  private static int numberEnd(byte[] b, int i, int n) {
    if (b[i] == '-') {
      i++;
    }
    if (i >= n) {
      return -1;
    }
    if (b[i] == '0') {
      i++;
    } else if (b[i] >= '1' && b[i] <= '9') {
      i = digits(b, i, n);
    } else {
      return -1;
    }
    if (i < n && b[i] == '.') {
      int d = digits(b, i + 1, n);
      if (d == i + 1) {
        return -1;
      }
      i = d;
    }
    if (i < n && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      if (i < n && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      int d = digits(b, i, n);
      if (d == i) {
        return -1;
      }
      i = d;
    }
    return i; // what follows must be a comma or an end: checked by the caller
  }

  private static int digits(byte[] b, int i, int n) {
    while (i < n && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    return i;
  }
}
