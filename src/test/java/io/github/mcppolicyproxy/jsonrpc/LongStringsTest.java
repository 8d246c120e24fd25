package io.github.mcppolicyproxy.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Holds {@link LongStrings}, which validates long strings while a frame is read, to the scan's own
 * reading: every note it makes is what {@link JsonTokens#string()} finds from that place, and the
 * envelope scan that takes the notes gives the verdict of the one that does not, on generated and
 * mutated frames fed in pieces cut at every kind of place (inside escapes, inside UTF-8 sequences,
 * one byte at a time).
 *
 * <p>Longer run: {@code -Dlong-strings.cases=2000000 -Dlong-strings.seed=N}.
 */
class LongStringsTest {
  private static final int CASES = Integer.getInteger("long-strings.cases", 40_000);

  /** What the scan reads for a string whose content starts at {@code start}: its close, or -1. */
  private static int scanClose(byte[] frame, int start) {
    JsonTokens t = new JsonTokens(frame, start, frame.length) {};
    return t.string() ? t.i - 1 : -1;
  }

  /** Feeds {@code frame} in pieces of random sizes (1 to {@code max} bytes). */
  private static LongStrings fed(byte[] frame, int minBytes, Random r, int max) {
    LongStrings s = new LongStrings(minBytes);
    int at = 0;
    while (at < frame.length) {
      int n = Math.min(frame.length - at, 1 + r.nextInt(max));
      // a piece is fed from inside a larger array, as the reader's segments are
      byte[] host = new byte[n + 6];
      System.arraycopy(frame, at, host, 3, n);
      s.feed(host, 3, 3 + n);
      at += n;
    }
    return s;
  }

  /** Every note is the scan's own reading, and the scan that takes them gives the same verdict. */
  private static int check(byte[] frame, LongStrings.Hints h) {
    if (h == null) {
      return 0;
    }
    for (int k = 0; k < h.count; k++) {
      assertThat(scanClose(frame, h.starts[k]))
          .as("note %d of frame %s", k, new String(frame, StandardCharsets.UTF_8))
          .isEqualTo(h.closes[k]);
      if (k > 0) {
        assertThat(h.starts[k]).isGreaterThan(h.closes[k - 1]);
      }
    }
    assertThat(QuickEnvelope.scan(frame, h)).as("frame %s", new String(frame, StandardCharsets.UTF_8))
        .isEqualTo(QuickEnvelope.scan(frame, 0, frame.length));
    return h.count;
  }

  @Test
  void notesAreTheScansOwnReadingOnGeneratedAndMutatedFrames() {
    Random r = new Random(Long.getLong("long-strings.seed", 20261203L));
    long notes = 0;
    int framesWithNotes = 0;
    for (int n = 0; n < CASES; n++) {
      byte[] frame = GeneratedFrames.frame(r).getBytes(StandardCharsets.UTF_8);
      if (r.nextInt(3) == 0) {
        frame = GeneratedFrames.mutate(frame, r);
      }
      int max = r.nextInt(4) == 0 ? 1 : 1 + r.nextInt(r.nextBoolean() ? 8 : 200);
      LongStrings s = fed(frame, r.nextInt(3) == 0 ? 3 : 0, r, max);
      int c = check(frame, s.done(frame.length));
      notes += c;
      framesWithNotes += c > 0 ? 1 : 0;
    }
    // a check that cannot fail would note nothing
    assertThat(framesWithNotes).isGreaterThan(CASES / 2);
    assertThat(notes).isGreaterThan(CASES * 3L);
  }

  private static final String TEXT = "plain ASCII, an escaped \\\"quote\\\", a line end\\n, \\u00e9"
      + " and \\uD83D\\uDE00 escaped, é ö (two bytes), € (three), 😀 (four), a slash \\/ and \\\\.";

  private static byte[] bigResult(int repeat) {
    return ("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\""
        + TEXT.repeat(repeat) + "\"}],\"isError\":false}}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aLongStringCutAtEveryPlaceIsNotedTheSame() {
    byte[] frame = bigResult(12); // about 1.4 KB of text
    int start = new String(frame, StandardCharsets.UTF_8).indexOf("plain");
    start = new String(frame, StandardCharsets.UTF_8).substring(0, start)
        .getBytes(StandardCharsets.UTF_8).length;
    int close = scanClose(frame, start);
    assertThat(close).isPositive();
    for (int cut = 0; cut <= frame.length; cut++) {
      for (int second = cut; second <= Math.min(frame.length, cut + 7); second++) {
        LongStrings s = new LongStrings();
        s.feed(frame, 0, cut);
        s.feed(frame, cut, second); // sometimes empty, sometimes a byte or a few: inside a token
        s.feed(frame, second, frame.length);
        LongStrings.Hints h = s.done(frame.length);
        assertThat(h).as("cut at %d and %d", cut, second).isNotNull();
        assertThat(h.count).isEqualTo(1);
        assertThat(h.starts[0]).isEqualTo(start);
        assertThat(h.closes[0]).isEqualTo(close);
        check(frame, h);
      }
    }
  }

  @Test
  void oneByteAtATime() {
    byte[] frame = bigResult(40);
    LongStrings s = fed(frame, LongStrings.MIN_BYTES, new Random(1), 1);
    LongStrings.Hints h = s.done(frame.length);
    assertThat(h.count).isEqualTo(1);
    check(frame, h);
  }

  @Test
  void shortStringsAreNotNotedByDefault() {
    byte[] frame = bigResult(1);
    LongStrings s = new LongStrings();
    s.feed(frame, 0, frame.length);
    assertThat(s.done(frame.length)).isNull();
  }

  @Test
  void anInvalidStringStopsTheNotesAndTheScanWordsTheProblem() {
    String good = "g".repeat(2000);
    for (String bad : new String[] {"\\x", "\\u12G4", "\u0001", "\u0000"}) {
      byte[] frame = ("{\"result\":[\"" + good + "\",\"" + good + bad + good + "\",\"" + good
          + "\"],\"id\":1,\"jsonrpc\":\"2.0\"}").getBytes(StandardCharsets.UTF_8);
      for (int piece : new int[] {1, 3, 64, frame.length}) {
        LongStrings.Hints h = fed(frame, LongStrings.MIN_BYTES, new Random(piece), piece)
            .done(frame.length);
        assertThat(h.count).as("only the string before the bad one").isEqualTo(1);
        check(frame, h);
        assertThat(new EnvelopeScanner(1 << 20).scan(frame, h).kind())
            .isEqualTo(Envelope.Kind.INVALID);
      }
    }
    // malformed UTF-8: a lone continuation byte, an overlong, a surrogate, a cut sequence
    for (byte[] bad : new byte[][] {{(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}}) {
      byte[] head = ("{\"result\":\"" + good).getBytes(StandardCharsets.UTF_8);
      byte[] tail = (good + "\",\"id\":1,\"jsonrpc\":\"2.0\"}").getBytes(StandardCharsets.UTF_8);
      byte[] frame = new byte[head.length + bad.length + tail.length];
      System.arraycopy(head, 0, frame, 0, head.length);
      System.arraycopy(bad, 0, frame, head.length, bad.length);
      System.arraycopy(tail, 0, frame, head.length + bad.length, tail.length);
      for (int cut = head.length - 2; cut <= head.length + bad.length + 1; cut++) {
        LongStrings s = new LongStrings();
        s.feed(frame, 0, cut);
        s.feed(frame, cut, frame.length);
        assertThat(s.done(frame.length)).as("nothing noted").isNull();
      }
      assertThat(new EnvelopeScanner(1 << 20).scan(frame).kind()).isEqualTo(Envelope.Kind.INVALID);
    }
  }

  @Test
  void notesOfAnotherLengthAreNotHandedOut() {
    byte[] frame = bigResult(20);
    LongStrings s = new LongStrings();
    s.feed(frame, 0, frame.length);
    assertThat(s.done(frame.length)).isNotNull();
    assertThat(s.done(frame.length + 1)).isNull();
    assertThat(s.done(frame.length - 1)).isNull();
  }

  /** Hands out the bytes in pieces of random sizes up to 64 KiB, as a pipe does. */
  private static final class Pieces extends InputStream {
    private final ByteArrayInputStream in;
    private final Random random;

    Pieces(byte[] data, long seed) {
      this.in = new ByteArrayInputStream(data);
      this.random = new Random(seed);
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return len == 0 ? 0 : in.read(b, off, 1 + random.nextInt(Math.min(len, 65536)));
    }
  }

  private static LongStrings.Hints hints(FrameReader.Read.Frame f) {
    return ((LongStrings) f.look()).hints();
  }

  @Test
  void theFrameReaderHandsOnTheNotesOfALongLineOnly() throws Exception {
    byte[] big = bigResult(6000); // about 700 KB: several segments
    byte[] small = "{\"jsonrpc\":\"2.0\",\"id\":6,\"result\":{}}".getBytes(StandardCharsets.UTF_8);
    byte[] stream = new byte[2 * big.length + small.length + 2];
    System.arraycopy(big, 0, stream, 0, big.length);
    stream[big.length] = '\n';
    System.arraycopy(small, 0, stream, big.length + 1, small.length);
    stream[big.length + 1 + small.length] = '\n';
    System.arraycopy(big, 0, stream, big.length + small.length + 2, big.length); // unterminated
    for (long seed = 0; seed < 6; seed++) {
      FrameReader reader = new FrameReader(new Pieces(stream, seed), 4 << 20, LongStrings::new);
      FrameReader.Read.Frame first = (FrameReader.Read.Frame) reader.next();
      assertThat(Arrays.equals(first.bytes(), big)).isTrue();
      assertThat(hints(first)).isNotNull();
      assertThat(hints(first).count()).isEqualTo(1);
      check(big, hints(first));
      assertThat(new EnvelopeScanner(4 << 20).scan(big, hints(first)).kind())
          .isEqualTo(Envelope.Kind.RESPONSE);
      FrameReader.Read.Frame second = (FrameReader.Read.Frame) reader.next();
      assertThat(second.bytes()).isEqualTo(small);
      assertThat(second.look()).isNull();
      FrameReader.Read.Frame third = (FrameReader.Read.Frame) reader.next();
      assertThat(Arrays.equals(third.bytes(), big)).isTrue();
      check(big, hints(third));
      assertThat(hints(third).count()).isEqualTo(1);
      assertThat(reader.next()).isInstanceOf(FrameReader.Read.End.class);
    }
    FrameReader plain = new FrameReader(new Pieces(stream, 7), 4 << 20);
    assertThat(((FrameReader.Read.Frame) plain.next()).look()).isNull();
  }

  @Test
  void anOversizedLineLeavesNoNotesForTheNext() throws Exception {
    byte[] big = bigResult(6000);
    byte[] next = bigResult(1000); // about 120 KB, within the limit
    byte[] stream = new byte[big.length + next.length + 2];
    System.arraycopy(big, 0, stream, 0, big.length);
    stream[big.length] = '\n';
    System.arraycopy(next, 0, stream, big.length + 1, next.length);
    stream[stream.length - 1] = '\n';
    FrameReader reader = new FrameReader(new Pieces(stream, 3), 300_000, LongStrings::new);
    assertThat(reader.next()).isInstanceOf(FrameReader.Read.Oversized.class);
    FrameReader.Read.Frame f = (FrameReader.Read.Frame) reader.next();
    assertThat(Arrays.equals(f.bytes(), next)).isTrue();
    check(next, hints(f));
    assertThat(hints(f).count()).isEqualTo(1);
  }
}
