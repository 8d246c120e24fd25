package io.github.mcppolicyproxy.jsonrpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LargeFramesTest {
  private final EnvelopeScanner scanner = new EnvelopeScanner(64 * 1024 * 1024);

  @Test
  void validFramesGetTheSameEnvelopeFromTheirSkeleton() {
    SplittableRandom random = new SplittableRandom(14);
    int cut = 0;
    for (int round = 0; round < 20_000; round++) {
      byte[] frame = frame(random);
      byte[] skeleton = LargeFrames.skeleton(frame);
      String as = new String(frame, UTF_8);
      assertThat(skeleton).as(as).isNotNull();
      assertThat(scanner.scan(skeleton)).as(as).isEqualTo(scanner.scan(frame));
      cut += skeleton.length < frame.length ? 1 : 0;
    }
    assertThat(cut).as("large values are left out of the skeleton").isGreaterThan(2_000);
  }

  @Test
  void aFrameThePassAcceptsIsOneTheScannerAcceptsWithTheSameEnvelope() {
    // mutants of valid frames: what the pass accepts, the scanner must accept, the same way
    SplittableRandom random = new SplittableRandom(1414);
    byte[] pool = "{}[]:,\"\\ \t\r0123456789-+.eEtrufalsn/bux\u00e9".getBytes(UTF_8);
    int accepted = 0;
    int refused = 0;
    for (int round = 0; round < 100_000; round++) {
      byte[] frame = frame(random);
      ByteArrayOutputStream m = new ByteArrayOutputStream();
      int edits = 1 + random.nextInt(3);
      int[] at = new int[edits];
      for (int k = 0; k < edits; k++) {
        at[k] = random.nextInt(frame.length);
      }
      for (int i = 0; i < frame.length; i++) {
        boolean edit = false;
        for (int a : at) {
          edit |= a == i;
        }
        if (!edit) {
          m.write(frame[i]);
          continue;
        }
        switch (random.nextInt(4)) {
          case 0 -> { } // deleted
          case 1 -> m.write(pool[random.nextInt(pool.length)]);
          case 2 -> {
            m.write(pool[random.nextInt(pool.length)]);
            m.write(frame[i]);
          }
          default -> m.write(random.nextInt(256)); // NUL, control, stray UTF-8 bytes
        }
      }
      byte[] mutant = m.toByteArray();
      byte[] skeleton = LargeFrames.skeleton(mutant);
      Envelope whole = scanner.scan(mutant);
      String as = HexFormat.of().formatHex(mutant);
      if (skeleton == null) {
        refused++;
        continue;
      }
      accepted++;
      assertThat(whole.kind()).as(as).isNotEqualTo(Envelope.Kind.INVALID);
      assertThat(scanner.scan(skeleton)).as(as).isEqualTo(whole);
    }
    assertThat(accepted).as("mutants still valid").isGreaterThan(5_000);
    assertThat(refused).as("mutants broken").isGreaterThan(30_000);
  }

  @Test
  void whatJsonForbidsIsRefused() {
    String[] bad = {"{\"a\":01}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}",
        "{\"a\":+1}", "{\"a\":tru}", "{\"a\":nullx}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}",
        "{\"a\":\"\t\"}", "{\"a\":1,}", "{\"a\":[1,]}", "{\"a\":1}x", "{\"a\":1}{}", "{\"a\" 1}",
        "{'a':1}", "{a:1}", "{\"a\":1 2}", "{\"a\":\"b}", "{\"a\":[}", "{\"a\":{]}",
        "\uFEFF{\"a\":1}", "{\"a\":NaN}", "{\"a\":1}/*c*/", "{\"a\":\"\0\"}"};
    for (String s : bad) {
      assertThat(LargeFrames.skeleton(s.getBytes(UTF_8))).as(s).isNull();
      assertThat(scanner.scan(s.getBytes(UTF_8)).kind()).as(s).isEqualTo(Envelope.Kind.INVALID);
    }
    byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'};
    byte[] surrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"',
        '}'};
    assertThat(LargeFrames.skeleton(overlong)).isNull();
    assertThat(LargeFrames.skeleton(surrogate)).isNull();
  }

  @Test
  void whatJsonAllowsIsAccepted() {
    String[] good = {"{}", " {\"a\":-0.5e+7} \r", "{\"a\":[true,false,null,{},[],\"\",0]}",
        "{\"a\":\"\\u00e9\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "{\"\u00e9\":\"\uD83D\uDE00\"}",
        "{\"a\" : { \"b\" : [ 1 , 2 ] } , \"id\" : 7 }"};
    for (String s : good) {
      byte[] b = s.getBytes(UTF_8);
      assertThat(LargeFrames.skeleton(b)).as(s).isEqualTo(b); // nothing large: the frame itself
    }
  }

  @Test
  void notAnObjectOrTooDeepGoesToTheScanner() {
    assertThat(LargeFrames.skeleton("[{\"id\":1,\"result\":{}}]".getBytes(UTF_8))).isNull();
    assertThat(LargeFrames.skeleton("7".getBytes(UTF_8))).isNull();
    String deep = "{\"a\":" + "[".repeat(LargeFrames.MAX_DEPTH) + "]".repeat(LargeFrames.MAX_DEPTH)
        + "}";
    assertThat(LargeFrames.skeleton(deep.getBytes(UTF_8))).isNull();
    String fits = "{\"a\":" + "[".repeat(LargeFrames.MAX_DEPTH - 1)
        + "]".repeat(LargeFrames.MAX_DEPTH - 1) + "}";
    assertThat(LargeFrames.skeleton(fits.getBytes(UTF_8))).isNotNull();
  }

  @Test
  void aLargeResultIsLeftOutButItsIdAndMethodAreKept() {
    String text = "line of a large tool result: h\u00e9llo w\u00f6rld \uD83D\uDE00 with a"
        + " \\\"quote\\\" and a line end\\n".repeat(2000);
    byte[] frame = ("{\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"" + text
        + "\"}]},\"jsonrpc\":\"2.0\",\"id\":\"" + "i".repeat(400) + "\"}").getBytes(UTF_8);
    byte[] skeleton = LargeFrames.skeleton(frame);
    assertThat(new String(skeleton, UTF_8))
        .isEqualTo("{\"result\":0,\"jsonrpc\":\"2.0\",\"id\":\"" + "i".repeat(400) + "\"}");
    assertThat(LargeFrames.scan(scanner, frame)).isEqualTo(scanner.scan(frame));
    byte[] broken = frame.clone();
    broken[frame.length / 2] = 0;
    assertThat(LargeFrames.scan(scanner, broken).kind()).isEqualTo(Envelope.Kind.INVALID);
    byte[] method = ("{\"method\":\"" + "m".repeat(400) + "\",\"params\":\"" + "p".repeat(400)
        + "\"}").getBytes(UTF_8);
    assertThat(new String(LargeFrames.skeleton(method), UTF_8))
        .isEqualTo("{\"method\":\"" + "m".repeat(400) + "\",\"params\":0}");
  }

  /** A random JSON-RPC-like object: ids, methods, results of any shape, escaped and repeated names. */
  private static byte[] frame(SplittableRandom r) {
    StringBuilder b = new StringBuilder("{");
    String[] names = {"jsonrpc", "id", "method", "result", "error", "params", "i\\u0064",
        "res\\u0075lt", "x"};
    int members = r.nextInt(5);
    for (int k = 0; k < members; k++) {
      if (k > 0) {
        b.append(r.nextInt(4) == 0 ? " , " : ",");
      }
      b.append('"').append(names[r.nextInt(names.length)]).append("\":");
      value(r, b, 0);
    }
    return b.append('}').toString().getBytes(UTF_8);
  }

  private static void value(SplittableRandom r, StringBuilder b, int depth) {
    switch (depth > 3 ? 3 + r.nextInt(4) : r.nextInt(7)) {
      case 0, 1 -> {
        b.append('{');
        int n = r.nextInt(4);
        for (int k = 0; k < n; k++) {
          b.append(k > 0 ? "," : "").append('"').append(k).append("\":");
          value(r, b, depth + 1);
        }
        b.append('}');
      }
      case 2 -> {
        b.append('[');
        int n = r.nextInt(4);
        for (int k = 0; k < n; k++) {
          b.append(k > 0 ? "," : "");
          value(r, b, depth + 1);
        }
        b.append(']');
      }
      case 3 -> {
        String[] numbers = {"0", "-1", "12", "3.25", "-0.5e+3", "7E2", "123456789012345678901"};
        b.append(numbers[r.nextInt(numbers.length)]);
      }
      case 4 -> b.append(new String[] {"true", "false", "null"}[r.nextInt(3)]);
      default -> {
        String[] parts = {"text ", "\\\"", "\\n", "\\u00e9", "\u00e9", "\uD83D\uDE00", "\u20ac",
            "2.0", "tools/call", "\\\\"};
        b.append('"');
        int n = r.nextInt(6) == 0 ? 200 : r.nextInt(6);
        for (int k = 0; k < n; k++) {
          b.append(parts[r.nextInt(parts.length)]);
        }
        b.append('"');
      }
    }
  }
}
