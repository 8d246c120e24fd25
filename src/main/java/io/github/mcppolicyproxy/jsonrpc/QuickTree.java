package io.github.mcppolicyproxy.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The fast path of a strict tree read (the tree a {@code tools/call} is judged by): builds the
 * same Jackson nodes as {@code ObjectMapper.readTree} with duplicate detection would, for a frame
 * whose numbers are integers of 18 digits at most, nested at most {@value #MAX_DEPTH} deep, with no
 * repeated member anywhere. Anything else (a fraction or exponent, a larger integer, a repeated
 * member, deep nesting, any error) gives {@code null}, and Jackson reads the frame and words the
 * problem. {@code QuickTreeDifferentialTest} holds it to Jackson's tree.
 *
 * <p>Call it on bytes the envelope scan found to be one JSON value in UTF-8: it checks the
 * structure again, but decodes text without checking UTF-8 once more.
 */
public final class QuickTree extends JsonCursor {
  /** Deeper frames are left to Jackson. */
  static final int MAX_DEPTH = 64;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StringBuilder text;
  /** The unescaped bytes of the last string with escapes (kept for the next one of this tree). */
  private byte[] unescaped;

  private QuickTree(byte[] b, int from, int to) {
    super(b, from, to);
  }

  /** The tree of {@code frame[from, to)}, or null when Jackson must read it. */
  public static JsonNode read(byte[] frame, int from, int to) {
    QuickTree t = new QuickTree(frame, from, to);
    JsonNode root = t.value(0);
    return root != null && t.ws() == -1 ? root : null;
  }

  private JsonNode value(int depth) {
    int c = ws();
    if (c == '"') {
      i++;
      String s = string();
      return s == null ? null : NODES.textNode(s);
    }
    if (c == '{') {
      return depth == MAX_DEPTH ? null : object(depth + 1);
    }
    if (c == '[') {
      return depth == MAX_DEPTH ? null : array(depth + 1);
    }
    if (c == 't') {
      return literal(TRUE) ? BooleanNode.TRUE : null;
    }
    if (c == 'f') {
      return literal(FALSE) ? BooleanNode.FALSE : null;
    }
    if (c == 'n') {
      return literal(NULL) ? NullNode.getInstance() : null;
    }
    return integer();
  }

  private JsonNode object(int depth) {
    i++;
    // the map Jackson's objectNode() makes, sized for the few members a call's objects have: the
    // default table of 16 slots was a tenth of all a relayed call allocates on C1
    ObjectNode o = new ObjectNode(NODES, new java.util.LinkedHashMap<>(depth == 1 ? 8 : 4));
    if (ws() == '}') {
      i++;
      return o;
    }
    while (true) {
      if (ws() != '"') {
        return null;
      }
      i++;
      String name = string();
      if (name == null || ws() != ':') {
        return null;
      }
      i++;
      JsonNode v = value(depth);
      if (v == null || o.replace(name, v) != null) {
        return null; // broken, or a repeated member: Jackson's strict read refuses and says why
      }
      int c = ws();
      i++;
      if (c == '}') {
        return o;
      }
      if (c != ',') {
        return null;
      }
    }
  }

  private JsonNode array(int depth) {
    i++;
    ArrayNode a = NODES.arrayNode();
    if (ws() == ']') {
      i++;
      return a;
    }
    while (true) {
      JsonNode v = value(depth);
      if (v == null) {
        return null;
      }
      a.add(v);
      int c = ws();
      i++;
      if (c == ']') {
        return a;
      }
      if (c != ',') {
        return null;
      }
    }
  }

  /**
   * The names and values every {@code tools/call} repeats: found in {@link #KNOWN_BYTES}, they are
   * these strings instead of a new one each (the launcher's C1 makes every object it is asked to).
   */
  private static final String[] KNOWN = {"jsonrpc", "2.0", "id", "method", "tools/call", "params",
      "name", "arguments", "_meta", "progressToken", "task", "ttl"};
  private static final byte[][] KNOWN_BYTES = new byte[KNOWN.length][];
  /** The longest of {@link #KNOWN}: a longer string is none of them. */
  private static final int KNOWN_MAX;

  static {
    int max = 0;
    for (int k = 0; k < KNOWN.length; k++) {
      KNOWN_BYTES[k] = KNOWN[k].getBytes(StandardCharsets.US_ASCII);
      max = Math.max(max, KNOWN_BYTES[k].length);
    }
    KNOWN_MAX = max;
  }

  /** The string of {@link #KNOWN} whose bytes are {@code b[start, start + len)}, else null. */
  static String known(byte[] b, int start, int len) {
    if (len > KNOWN_MAX) {
      return null;
    }
    for (int k = 0; k < KNOWN_BYTES.length; k++) {
      byte[] w = KNOWN_BYTES[k];
      if (w.length == len && w[0] == b[start]
          && java.util.Arrays.equals(w, 0, len, b, start, start + len)) {
        return KNOWN[k];
      }
    }
    return null;
  }

  /** The string from {@code i} (after its quote) to its closing quote, escapes decoded. */
  private String string() {
    int start = i;
    boolean ascii = true;
    int j = i;
    while (true) {
      j = plainUntil(b, j, end, ascii); // once a byte is not ASCII, only the stops matter
      if (j >= end) {
        return null;
      }
      int c = b[j];
      if (c == '"') {
        i = j + 1;
        String k = ascii && j > start ? known(b, start, j - start) : null;
        return k != null ? k : new String(b, start, j - start,
            ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
      }
      if (c == '\\') {
        return escaped(start);
      }
      if (c >= 0) {
        return null; // a control character: Jackson words it
      }
      ascii = false;
      j++;
    }
  }

  /**
   * A string with escapes, decoded as Jackson decodes it: its bytes unescaped into one array (each
   * plain stretch copied whole, found eight bytes at a time), then decoded once. An escaped
   * surrogate, whose lone half Jackson keeps as one char that no UTF-8 can carry, takes
   * {@link #escapedByChars}.
   */
  private String escaped(int start) {
    byte[] out = unescaped != null ? unescaped : new byte[Math.min(256, end - start + 4)];
    int n = 0;
    boolean ascii = true;
    int j = start;
    while (true) {
      int stop = plainUntil(b, j, end, ascii);
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
        i = j + 1;
        unescaped = out;
        return new String(out, 0, n, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
      }
      if (c < 0) {
        ascii = false; // a multi-byte character: the next stretch carries it on
        continue;
      }
      if (c != '\\' || j + 1 >= end) {
        return null; // a control character, or the frame ends
      }
      int ch;
      switch (b[j + 1]) {
        case '"' -> ch = '"';
        case '\\' -> ch = '\\';
        case '/' -> ch = '/';
        case 'b' -> ch = '\b';
        case 'f' -> ch = '\f';
        case 'n' -> ch = '\n';
        case 'r' -> ch = '\r';
        case 't' -> ch = '\t';
        case 'u' -> {
          ch = hex4(j + 2);
          if (ch < 0) {
            return null;
          }
          if (Character.isSurrogate((char) ch)) {
            return escapedByChars(start);
          }
          j += 4;
        }
        default -> {
          return null;
        }
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
    }
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
        i = j + 1;
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
      int e = b[j + 1];
      switch (e) {
        case '"', '\\', '/' -> s.append((char) e);
        case 'b' -> s.append('\b');
        case 'f' -> s.append('\f');
        case 'n' -> s.append('\n');
        case 'r' -> s.append('\r');
        case 't' -> s.append('\t');
        case 'u' -> {
          int cp = hex4(j + 2);
          if (cp < 0) {
            return null;
          }
          s.append((char) cp);
          j += 4;
        }
        default -> {
          return null;
        }
      }
      j += 2;
      run = j;
    }
    return null;
  }

  /** An integer that fits a long of 18 digits; null for anything else (Jackson reads those). */
  private JsonNode integer() {
    int j = i;
    boolean negative = j < end && b[j] == '-';
    if (negative) {
      j++;
    }
    int first = j;
    long v = 0;
    while (j < end && b[j] >= '0' && b[j] <= '9') {
      v = v * 10 + (b[j] - '0');
      j++;
    }
    int digits = j - first;
    if (digits == 0 || digits > 18 || (digits > 1 && b[first] == '0')) {
      return null;
    }
    i = j;
    if (!delimited()) {
      return null; // a fraction, an exponent, or not a number
    }
    v = negative ? -v : v;
    return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
  }
}
