package io.github.mcppolicyproxy.jsonrpc;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The fast path of {@link EnvelopeScanner}: one pass over the bytes of a common frame (an object
 * whose top-level names, {@code method} and string {@code id} hold no escape, nested at most
 * {@value #MAX_DEPTH} deep) that validates all of it as strict JSON in strict UTF-8 and reads its
 * envelope, with no parser, no token objects and no strings but the method and the id.
 *
 * <p>It only ever accepts: whatever it is not sure of (an escape where a value is read, a repeated
 * top-level name, a batch, deep nesting, and every error) gives {@code null}, and Jackson's scan
 * decides and words the problem. So it may be wrong only by accepting what Jackson refuses or by
 * reading another envelope, which {@code QuickEnvelopeDifferentialTest} looks for on generated and
 * mutated frames.
 */
final class QuickEnvelope extends JsonTokens {
  /** Deeper frames are left to Jackson. */
  static final int MAX_DEPTH = 64;
  private static final int MAX_NAMES = 16;
  private static final byte[] METHOD = ascii("method");
  private static final byte[] ID = ascii("id");
  private static final byte[] RESULT = ascii("result");
  private static final byte[] ERROR = ascii("error");

  private QuickEnvelope(byte[] b, int from, int to) {
    super(b, from, to);
  }

  /** The envelope of {@code frame[from, to)}, or null when Jackson must decide. */
  static Envelope scan(byte[] frame, int from, int to) {
    return new QuickEnvelope(frame, from, to).object();
  }

  private Envelope object() {
    if (ws() != '{') {
      return null;
    }
    i++;
    String method = null;
    JsonId id = null;
    boolean hasId = false;
    boolean hasResultOrError = false;
    int[] names = new int[8]; // start and length of each top-level name; grown past four names
    int count = 0;
    int c = ws();
    if (c == '}') {
      i++;
    } else {
      while (true) {
        if (c != '"' || count == MAX_NAMES) {
          return null;
        }
        int start = ++i;
        int nameEnd = plainString();
        if (nameEnd < 0) {
          return null;
        }
        int len = nameEnd - start;
        for (int k = 0; k < count; k++) {
          if (names[2 * k + 1] == len && same(names[2 * k], start, len)) {
            return null; // a repeated name: Jackson's scan names it (and knows which one wins)
          }
        }
        if (2 * count == names.length) {
          names = java.util.Arrays.copyOf(names, MAX_NAMES * 2);
        }
        names[2 * count] = start;
        names[2 * count + 1] = len;
        count++;
        if (ws() != ':') {
          return null;
        }
        i++;
        int v = ws();
        if (is(start, len, METHOD)) {
          if (v == '"') {
            int s = ++i;
            int e = plainString();
            if (e < 0) {
              return null;
            }
            method = new String(b, s, e - s, StandardCharsets.UTF_8);
          } else if (!value()) {
            return null; // (a method that is not a string makes no request)
          }
        } else if (is(start, len, ID)) {
          hasId = true;
          id = id(v);
          if (id == null) {
            return null;
          }
        } else {
          if (is(start, len, RESULT) || is(start, len, ERROR)) {
            hasResultOrError = true;
          }
          if (!value()) {
            return null;
          }
        }
        c = ws();
        i++;
        if (c == '}') {
          break;
        }
        if (c != ',') {
          return null;
        }
        c = ws();
      }
    }
    if (ws() != -1) {
      return null; // data after the object: Jackson words it
    }
    Envelope.Kind kind = method != null
        ? hasId ? Envelope.Kind.REQUEST : Envelope.Kind.NOTIFICATION
        : hasResultOrError ? Envelope.Kind.RESPONSE : Envelope.Kind.OTHER;
    return new Envelope(kind, method, id, null, null, List.of());
  }

  /** A string, number or null id at {@code i}; null for anything else (Jackson reads those). */
  private JsonId id(int v) {
    int start = i;
    if (v == '"') {
      i++;
      int e = plainString();
      if (e < 0) {
        return null;
      }
      return JsonId.ofString(new String(b, start, i - start, StandardCharsets.UTF_8),
          new String(b, start + 1, e - start - 1, StandardCharsets.UTF_8));
    }
    if (v == '-' || (v >= '0' && v <= '9')) {
      return number() ? JsonId.ofNumber(new String(b, start, i - start, StandardCharsets.ISO_8859_1))
          : null;
    }
    if (v == 'n' && literal(NULL)) {
      return JsonId.NULL;
    }
    return null;
  }

  /**
   * Skips one value of any kind at {@code i} (after its leading white space), validating it; false
   * when it is not valid JSON or not something this path reads.
   */
  private boolean value() {
    long stack = 0; // bit d set: the container at depth d+1 is an object
    int depth = 0;
    while (true) {
      int c = ws();
      if (c == '{' || c == '[') {
        if (depth == MAX_DEPTH) {
          return false;
        }
        i++;
        boolean object = c == '{';
        stack = object ? stack | (1L << depth) : stack & ~(1L << depth);
        depth++;
        int n = ws();
        if (n != (object ? '}' : ']')) {
          if (object && !name(n)) {
            return false;
          }
          continue; // the first element's or member's value
        }
        i++;
        depth--;
      } else if (c == '"') {
        i++;
        if (!string()) {
          return false;
        }
      } else if (c == 't' ? !literal(TRUE) : c == 'f' ? !literal(FALSE)
          : c == 'n' ? !literal(NULL) : !(c == '-' || c >= '0' && c <= '9') || !number()) {
        return false;
      }
      // a value ended: close containers, or go on to the next element or member
      while (true) {
        if (depth == 0) {
          return true;
        }
        boolean object = (stack & (1L << (depth - 1))) != 0;
        int n = ws();
        if (n == ',') {
          i++;
          if (object && !name(ws())) {
            return false;
          }
          break;
        }
        if (n != (object ? '}' : ']')) {
          return false;
        }
        i++;
        depth--;
      }
    }
  }

  /** A member name and the colon after it, {@code c} being the byte at {@code i}. */
  private boolean name(int c) {
    if (c != '"') {
      return false;
    }
    i++;
    if (!string()) {
      return false;
    }
    if (ws() != ':') {
      return false;
    }
    i++;
    return true;
  }

  private boolean same(int a, int c, int len) {
    for (int k = 0; k < len; k++) {
      if (b[a + k] != b[c + k]) {
        return false;
      }
    }
    return true;
  }

  private boolean is(int start, int len, byte[] name) {
    if (len != name.length) {
      return false;
    }
    for (int k = 0; k < len; k++) {
      if (b[start + k] != name[k]) {
        return false;
      }
    }
    return true;
  }
}
