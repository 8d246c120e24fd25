package io.github.mcppolicyproxy.jsonrpc;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * JSON-RPC-shaped frames for the differential tests of the fast paths: valid JSON (nesting, escapes,
 * every number form, white space, non-ASCII text) unless {@link #mutate} breaks it.
 */
final class GeneratedFrames {
  private GeneratedFrames() {}

  /** One generated frame. */
  static String frame(Random r) {
    return new Gen(r).frame();
  }

  /** A byte changed, inserted or deleted, or the frame cut short. */
  static byte[] mutate(byte[] f, Random r) {
    if (f.length == 0) {
      return f;
    }
    int at = r.nextInt(f.length);
    byte[] pool = "\"\\{}[],:0123456789-+.eE tfnu\u0000\n\t/".getBytes(StandardCharsets.ISO_8859_1);
    byte b = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : pool[r.nextInt(pool.length)];
    return switch (r.nextInt(4)) {
      case 0 -> {
        byte[] o = f.clone();
        o[at] = b;
        yield o;
      }
      case 1 -> {
        byte[] o = new byte[f.length + 1];
        System.arraycopy(f, 0, o, 0, at);
        o[at] = b;
        System.arraycopy(f, at, o, at + 1, f.length - at);
        yield o;
      }
      case 2 -> {
        byte[] o = new byte[f.length - 1];
        System.arraycopy(f, 0, o, 0, at);
        System.arraycopy(f, at + 1, o, at, f.length - at - 1);
        yield o;
      }
      default -> java.util.Arrays.copyOf(f, at);
    };
  }

  private static final class Gen {
    private static final String[] NAMES = {"jsonrpc", "id", "method", "params", "result", "error",
        "name", "arguments", "_meta", "x", "é", "a b", "ids", "methods", "resul"};
    private static final String[] NUMBERS = {"0", "-0", "1", "7", "-12", "10", "1.0", "1.50",
        "-0.0", "1e2", "1E+2", "1e-2", "123456789012345678901234567890", "0.1e1", "100",
        "9007199254740993", "-1.5E-300"};
    private static final String[] STRINGS = {"", "2.0", "tools/call", "echo", "é", "\uD83D\uDE00",
        "a\\nb", "\\\"q\\\"", "\\u0041", "\\ud800", "\\/", "tab\\t", "a\\\\b", "~\u007f", "\u2028",
        "notifications/progress", "initialize", "tasks/get", "x".repeat(40)};
    private final Random r;

    Gen(Random r) {
      this.r = r;
    }

    String frame() {
      StringBuilder b = new StringBuilder();
      ws(b);
      int members = r.nextInt(6);
      b.append('{');
      for (int m = 0; m < members; m++) {
        if (m > 0) {
          b.append(',');
        }
        ws(b);
        String name = r.nextInt(3) > 0 ? NAMES[r.nextInt(6)] : NAMES[r.nextInt(NAMES.length)];
        b.append('"').append(r.nextInt(40) == 0 ? name.replace("d", "\\u0064") : name).append('"');
        ws(b);
        b.append(':');
        ws(b);
        switch (name) {
          case "jsonrpc", "method" -> string(b);
          case "id" -> b.append(r.nextBoolean() ? NUMBERS[r.nextInt(NUMBERS.length)]
              : r.nextInt(8) == 0 ? "null" : "\"" + STRINGS[r.nextInt(STRINGS.length)] + "\"");
          default -> value(b, 0);
        }
        ws(b);
      }
      b.append('}');
      ws(b);
      return b.toString();
    }

    private void value(StringBuilder b, int depth) {
      int k = r.nextInt(depth > 5 ? 5 : 7);
      switch (k) {
        case 0 -> b.append(NUMBERS[r.nextInt(NUMBERS.length)]);
        case 1 -> string(b);
        case 2 -> b.append(r.nextBoolean() ? "true" : r.nextBoolean() ? "false" : "null");
        case 3, 4 -> string(b);
        case 5 -> {
          b.append('[');
          int n = r.nextInt(4);
          for (int e = 0; e < n; e++) {
            if (e > 0) {
              b.append(',');
            }
            ws(b);
            value(b, depth + 1);
            ws(b);
          }
          b.append(']');
        }
        default -> {
          b.append('{');
          int n = r.nextInt(4);
          for (int e = 0; e < n; e++) {
            if (e > 0) {
              b.append(',');
            }
            ws(b);
            b.append('"').append(NAMES[r.nextInt(NAMES.length)]).append("\":");
            ws(b);
            value(b, depth + 1);
          }
          b.append('}');
        }
      }
    }

    private void string(StringBuilder b) {
      b.append('"');
      int parts = 1 + r.nextInt(3);
      for (int p = 0; p < parts; p++) {
        b.append(STRINGS[r.nextInt(STRINGS.length)]);
      }
      b.append('"');
    }

    private void ws(StringBuilder b) {
      if (r.nextInt(4) == 0) {
        b.append(" \t\n\r".charAt(r.nextInt(4)));
      }
    }
  }
}
