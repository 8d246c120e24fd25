package io.github.mcppolicyproxy.jsonrpc;

import static io.github.mcppolicyproxy.jsonrpc.JsonCursor.plainUntil;

import java.nio.charset.StandardCharsets;

/**
 * The strings with escapes of {@link QuickTree}: read from the byte after the opening quote, decoded
 * as Jackson decodes them, or null where Jackson must decide (a control character, a bad escape,
 * the end of the frame). Keeps its buffers for the next string of the same tree; not thread-safe.
 */
final class Unescaper {
  private byte[] b;
  private int end;
  private int after;
  private StringBuilder text;
  /** The unescaped bytes of the last string with escapes (kept for the next one of this tree). */
  private byte[] unescaped;

  /**
   * The string that starts at {@code b[start]} (after its opening quote) and ends before
   * {@code end} at the latest, or null; {@link #after} is then the index after its closing quote.
   * Its first backslash is at {@code escape}: the plain bytes before it, already scanned by the
   * caller (all ASCII when {@code ascii}), are copied without another look.
   */
  String string(byte[] b, int start, int escape, boolean ascii, int end) {
    this.b = b;
    this.end = end;
    return escaped(start, escape, ascii);
  }

  /** The index after the closing quote of the last string read. */
  int after() {
    return after;
  }

  /**
   * A string with escapes, decoded as Jackson decodes it: its bytes unescaped into one array (each
   * plain stretch copied whole, found eight bytes at a time), then decoded once. An escaped
   * surrogate, whose lone half Jackson keeps as one char that no UTF-8 can carry, takes
   * {@link #escapedByChars}. The first stretch ends at {@code escape}, all ASCII when
   * {@code plainAscii}.
   */
  private String escaped(int start, int escape, boolean plainAscii) {
    byte[] out = unescaped != null ? unescaped : new byte[Math.min(256, end - start + 4)];
    int n = 0;
    boolean ascii = plainAscii;
    int j = start;
    int stop = escape; // the first stretch is known: it ends at the first backslash
    while (true) {
      if (stop >= end) {
        return null;
      }
      int len = stop - j;
      if (n + len + 3 > out.length) { // room for the stretch and an escape's bytes (three at most)
        out = java.util.Arrays.copyOf(out, Math.max(2 * out.length, n + len + 3));
      }
      System.arraycopy(b, j, out, n, len);
      n += len;
      j = stop;
      int c = b[j];
      if (c == '"') {
        after = j + 1;
        unescaped = out;
        return new String(out, 0, n, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
      }
      if (c < 0) {
        ascii = false; // a multi-byte character: the next stretch carries it on
        stop = plainUntil(b, j, end, false);
        continue;
      }
      if (c != '\\' || j + 1 >= end) {
        return null; // a control character, or the frame ends
      }
      int ch;
      if (b[j + 1] == 'u') {
        ch = hex4(j + 2);
        if (ch >= 0 && Character.isSurrogate((char) ch)) {
          return escapedByChars(start);
        }
        j += 4;
      } else {
        ch = shortEscape(b[j + 1]);
      }
      if (ch < 0) {
        return null;
      }
      j += 2;
      if (ch < 0x80) {
        out[n++] = (byte) ch;
      } else if (ch < 0x800) {
        ascii = false;
        out[n++] = (byte) (0xC0 | ch >> 6);
        out[n++] = (byte) (0x80 | ch & 0x3F);
      } else {
        ascii = false;
        out[n++] = (byte) (0xE0 | ch >> 12);
        out[n++] = (byte) (0x80 | ch >> 6 & 0x3F);
        out[n++] = (byte) (0x80 | ch & 0x3F);
      }
      stop = plainUntil(b, j, end, ascii);
    }
  }

  /** The char a two-character escape {@code \\e} stands for, or -1 when it is not one. */
  private static int shortEscape(int e) {
    return switch (e) {
      case '"', '\\', '/' -> e;
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      default -> -1;
    };
  }

  /** The four hex digits of a {@code \\u} escape at {@code b[at]}, or -1. */
  private int hex4(int at) {
    if (at + 4 > end) {
      return -1;
    }
    int cp = 0;
    for (int k = at; k < at + 4; k++) {
      int h = Character.digit(b[k], 16);
      if (h < 0) {
        return -1;
      }
      cp = cp << 4 | h;
    }
    return cp;
  }

  /** {@link #escaped}, one char at a time: a lone escaped surrogate stays one char, as in Jackson. */
  private String escapedByChars(int start) {
    StringBuilder s = text == null ? (text = new StringBuilder()) : text;
    s.setLength(0);
    int run = start;
    int j = start;
    while (j < end) {
      int c = b[j];
      if (c == '"') {
        s.append(new String(b, run, j - run, StandardCharsets.UTF_8));
        after = j + 1;
        return s.toString();
      }
      if (c >= 0 && c < 0x20) {
        return null;
      }
      if (c != '\\') {
        j++;
        continue;
      }
      s.append(new String(b, run, j - run, StandardCharsets.UTF_8));
      if (j + 1 >= end) {
        return null;
      }
      int ch;
      if (b[j + 1] == 'u') {
        ch = hex4(j + 2);
        j += 4;
      } else {
        ch = shortEscape(b[j + 1]);
      }
      if (ch < 0) {
        return null;
      }
      s.append((char) ch);
      j += 2;
      run = j;
    }
    return null;
  }
}
