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
  private static final int CASES = Integer.getInteger("quick.cases", 60_000);
  private final EnvelopeScanner scanner = new EnvelopeScanner(1 << 20);

  @Test
  void whateverTheFastPathReadsJacksonReadsTheSame() {
    Random r = new Random(Long.getLong("quick.seed", 20261202L));
    int taken = 0;
    int validTaken = 0;
    int valid = 0;
    for (int n = 0; n < CASES; n++) {
      byte[] frame = GeneratedFrames.frame(r).getBytes(StandardCharsets.UTF_8);
      boolean mutated = r.nextInt(3) == 0;
      if (mutated) {
        frame = GeneratedFrames.mutate(frame, r);
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
  /**
   * The eight-bytes-at-a-time string loop: each kind of byte that stops it (a closing quote, an
   * escape, a control character, bad and good UTF-8) at every place of a word, in a long string
   * that also runs into the frame's last bytes, agrees with Jackson; and a string of plain bytes
   * with DEL and '~' (the edges of plain ASCII) is read whole.
   */
  @Test
  void everyStoppingByteAtEveryPlaceOfAWord() {
    byte[][] stops = {{'"'}, {'\\', 'n'}, {'\\', '"'}, {'\\', 'x'}, {0x1f}, {'\t'}, {0},
        {(byte) 0xC3, (byte) 0xA9}, {(byte) 0xE2, (byte) 0x82, (byte) 0xAC},
        {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xFF},
        {(byte) 0xC3}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {0x7f}, {'~'}, {' '}, {'!'}};
    int checked = 0;
    for (byte[] stop : stops) {
      for (int at = 0; at < 24; at++) {
        for (int tail = 0; tail < 10; tail++) {
          String head = "{\"id\":1,\"method\":\"m\",\"params\":{\"t\":\"";
          byte[] h = head.getBytes(StandardCharsets.UTF_8);
          byte[] b = new byte[h.length + at + stop.length + 20 + 4 + tail];
          System.arraycopy(h, 0, b, 0, h.length);
          java.util.Arrays.fill(b, h.length, b.length, (byte) 'a');
          System.arraycopy(stop, 0, b, h.length + at, stop.length);
          int close = b.length - 4 - tail;
          b[close] = '"';
          b[close + 1] = '}';
          b[close + 2] = '}';
          java.util.Arrays.fill(b, close + 3, b.length, (byte) ' ');
          Envelope jackson = scanner.scanWithJackson(b, 0, b.length);
          Envelope quick = QuickEnvelope.scan(b, 0, b.length);
          if (quick != null) {
            assertThat(quick).as(new String(b, StandardCharsets.ISO_8859_1)).isEqualTo(jackson);
            checked++;
          }
          boolean plain = stop[0] == 0x7f || stop[0] == '~' || stop[0] == ' ' || stop[0] == '!'
              || stop.length > 1 && stop[0] != (byte) 0xED && stop[1] != 'x';
          if (plain) {
            assertThat(quick).as("read whole: %s", new String(b, StandardCharsets.ISO_8859_1))
                .isNotNull();
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(stops.length * 24 * 10 / 3);
  }
}
