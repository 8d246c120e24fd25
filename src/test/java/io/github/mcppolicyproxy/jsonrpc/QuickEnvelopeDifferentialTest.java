package io.github.mcppolicyproxy.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Holds {@link QuickEnvelope}, the fast path of {@link EnvelopeScanner}, to Jackson's scan: on
 * generated JSON-RPC frames (nesting, escapes, every number form, white space, non-ASCII text) and
 * on their mutations (a byte changed, inserted, deleted, the frame cut short), whenever the fast
 * path gives an envelope, Jackson's scan gives the same one. The fast path must also take most
 * valid frames, or it would be a check that cannot fail.
 *
 * <p>Longer run: {@code -Dquick.cases=5000000 -Dquick.seed=N}.
 */
class QuickEnvelopeDifferentialTest {
  private static final int CASES = Integer.getInteger("quick.cases", 150_000);
  private final EnvelopeScanner scanner = new EnvelopeScanner(1 << 20);

  @Test
  void whateverTheFastPathReadsJacksonReadsTheSame() {
    Random r = new Random(Long.getLong("quick.seed", 20261202L));
    int taken = 0;
    int validTaken = 0;
    int valid = 0;
    for (int n = 0; n < CASES; n++) {
      byte[] frame = new Gen(r).frame().getBytes(StandardCharsets.UTF_8);
      boolean mutated = r.nextInt(3) == 0;
      if (mutated) {
        frame = mutate(frame, r);
      }
      Envelope quick = QuickEnvelope.scan(frame, 0, frame.length);
      Envelope jackson = scanner.scanWithJackson(frame, 0, frame.length);
      if (jackson.kind() != Envelope.Kind.INVALID && !mutated) {
        valid++;
      }
      if (quick != null) {
        taken++;
        assertThat(quick).as("frame %s", new String(frame, StandardCharsets.UTF_8))
            .isEqualTo(jackson);
        if (!mutated) {
          validTaken++;
        }
      }
    }
    assertThat(taken).as("frames the fast path read").isGreaterThan(CASES / 4);
    assertThat(validTaken).as("valid unmutated frames the fast path read")
        .isGreaterThan(valid / 2);
  }

  @Test
  void theCommonFramesTakeTheFastPath() {
    for (String f : new String[] {
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
            + "\"arguments\":{\"message\":\"h\\u00e9llo \\\"x\\\"\\n\"}}}",
        "{\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"Echo: é\"}]},\"jsonrpc\":\"2.0\","
            + "\"id\":\"a-1\"}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progress\":"
            + "-1.5e+3,\"ok\":true,\"none\":null,\"list\":[[],{},[1,[2]]]}}",
        " {\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"x\"}}\r"}) {
      byte[] b = f.getBytes(StandardCharsets.UTF_8);
      Envelope quick = QuickEnvelope.scan(b, 0, b.length);
      assertThat(quick).as(f).isNotNull().isEqualTo(scanner.scanWithJackson(b, 0, b.length));
    }
  }

  @Test
  void whatItIsNotSureOfIsLeftToJackson() {
    for (String f : new String[] {
        "{\"m\\u0065thod\":\"x\",\"id\":1}", // an escaped top-level name
        "{\"method\":\"tools\\/call\",\"id\":1}", // an escaped method
        "{\"method\":\"a\",\"method\":\"b\",\"id\":1}", // a repeated name
        "{\"id\":true,\"method\":\"a\"}", // an id that is no id
        "[{\"method\":\"a\"}]", // a batch
        "\"text\"", // not an object
        "{\"id\":01,\"method\":\"a\"}", "{\"id\":1,\"method\":\"a\"} x", "{\"id\":1,}",
        "{\"a\":[1,],\"id\":1}", "{\"a\":\"\t\"}", "{\"a\":\"\\x\"}", "{\"a\":tru}",
        "{\"a\":" + "[".repeat(70) + "]".repeat(70) + "}"}) {
      byte[] b = f.getBytes(StandardCharsets.UTF_8);
      assertThat(QuickEnvelope.scan(b, 0, b.length)).as(f).isNull();
    }
  }

  @Test
  void aSliceIsReadWithinItsBounds() {
    byte[] b = "[{\"id\":1,\"method\":\"a\"},{\"id\":2,\"result\":{}}]".getBytes(StandardCharsets.UTF_8);
    Envelope first = QuickEnvelope.scan(b, 1, 22);
    assertThat(first).isEqualTo(scanner.scanWithJackson(b, 1, 22));
    assertThat(first.method()).isEqualTo("a");
    assertThat(QuickEnvelope.scan(b, 1, 21)).isNull(); // cut short: not an object
  }

  private static byte[] mutate(byte[] f, Random r) {
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

  /** Generates JSON-RPC-shaped text: valid JSON unless a mutation breaks it. */
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
