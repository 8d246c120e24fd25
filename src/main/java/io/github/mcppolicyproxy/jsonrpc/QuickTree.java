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

  private final Unescaper unescaper = new Unescaper();

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
        String s = unescaper.string(b, start, j, ascii, end);
        if (s != null) {
          i = unescaper.after();
        }
        return s;
      }
      if (c >= 0) {
        return null; // a control character: Jackson words it
      }
      ascii = false;
      j++;
    }
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
