package io.github.mcppolicyproxy.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

  /** The JDK's strict decoder's verdict: index of the first malformed byte, or -1. */
  private static int jdkFirstInvalid(byte[] b) {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(b);
    CharBuffer out = CharBuffer.allocate(b.length * 2 + 2);
    CoderResult r = d.decode(in, out, true);
    if (r.isError()) {
      return in.position();
    }
    r = d.flush(out);
    return r.isError() ? in.position() : -1;
  }

  @Test
  void agreesWithTheJdkDecoderOnThousandsOfRandomByteArrays() {
    Random random = new Random(20260728);
    for (int n = 0; n < 5000; n++) {
      byte[] b = new byte[random.nextInt(24)];
      for (int i = 0; i < b.length; i++) {
        // bias towards the interesting high bytes so that some arrays are valid multi-byte text
        int pick = random.nextInt(4);
        b[i] = (byte) switch (pick) {
          case 0 -> random.nextInt(0x80);
          case 1 -> 0x80 + random.nextInt(0x40);
          case 2 -> 0xC0 + random.nextInt(0x40);
          default -> random.nextInt(256);
        };
      }
      assertThat(Utf8.firstInvalid(b, 0, b.length))
          .as("bytes %s", java.util.HexFormat.ofDelimiter(" ").formatHex(b))
          .isEqualTo(jdkFirstInvalid(b));
    }
  }

  @Test
  void theOnePassCheckFindsTheFirstNulOrMalformedByteAsTheJdkDecoderAndAScanDo() {
    // Long arrays of mostly ASCII, so that the eight-bytes-at-a-time path runs, with a NUL or a
    // high byte placed anywhere (at every offset within a word, and at the ends).
    Random random = new Random(20261202);
    for (int n = 0; n < 20_000; n++) {
      byte[] b = new byte[random.nextInt(70)];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) (0x20 + random.nextInt(0x5f));
      }
      int specials = random.nextInt(3);
      for (int k = 0; k < specials && b.length > 0; k++) {
        int at = random.nextInt(b.length);
        b[at] = (byte) switch (random.nextInt(4)) {
          case 0 -> 0;
          case 1 -> 0x80 + random.nextInt(0x80);
          case 2 -> 0x01 + random.nextInt(0x1f);
          default -> 0x7f;
        };
        if (random.nextBoolean() && at + 1 < b.length && (b[at] & 0xFF) >= 0xC2
            && (b[at] & 0xFF) <= 0xDF) {
          b[at + 1] = (byte) (0x80 + random.nextInt(0x40)); // a valid two-byte sequence
        }
      }
      int from = b.length == 0 ? 0 : random.nextInt(b.length);
      byte[] slice = java.util.Arrays.copyOfRange(b, from, b.length);
      int nul = -1;
      for (int i = 0; i < slice.length; i++) {
        if (slice[i] == 0) {
          nul = i;
          break;
        }
      }
      int bad = jdkFirstInvalid(slice);
      int expected = nul < 0 ? bad : bad < 0 ? nul : Math.min(nul, bad);
      int found = Utf8.firstInvalidOrNul(b, from, b.length);
      assertThat(found < 0 ? -1 : found - from)
          .as("bytes %s from %d", java.util.HexFormat.ofDelimiter(" ").formatHex(b), from)
          .isEqualTo(expected);
    }
  }

  @Test
  void agreesWithTheJdkDecoderOnRandomValidTextCutAnywhere() {
    Random random = new Random(7);
    for (int n = 0; n < 2000; n++) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < 6; i++) {
        int cp;
        do {
          cp = switch (random.nextInt(4)) {
            case 0 -> random.nextInt(0x80);
            case 1 -> 0x80 + random.nextInt(0x800 - 0x80);
            case 2 -> 0x800 + random.nextInt(0x10000 - 0x800);
            default -> 0x10000 + random.nextInt(0x110000 - 0x10000);
          };
        } while (cp >= 0xD800 && cp <= 0xDFFF);
        s.appendCodePoint(cp);
      }
      byte[] whole = s.toString().getBytes(StandardCharsets.UTF_8);
      assertThat(Utf8.firstInvalid(whole, 0, whole.length)).isEqualTo(-1);
      byte[] cut = java.util.Arrays.copyOf(whole, random.nextInt(whole.length + 1));
      assertThat(Utf8.firstInvalid(cut, 0, cut.length)).isEqualTo(jdkFirstInvalid(cut));
    }
  }

  @Test
  void rejectsOverlongsSurrogatesAndCodePointsAboveTheUnicodeRange() {
    assertThat(Utf8.isValid(new byte[] {(byte) 0xC0, (byte) 0x80})).isFalse();
    assertThat(Utf8.isValid(new byte[] {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF})).isFalse();
    assertThat(Utf8.isValid(new byte[] {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF})).isFalse();
    assertThat(Utf8.isValid(new byte[] {(byte) 0xED, (byte) 0xBF, (byte) 0xBF})).isFalse();
    assertThat(Utf8.isValid(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})).isFalse();
    assertThat(Utf8.isValid(new byte[] {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF})).isTrue();
    assertThat(Utf8.isValid(new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF})).isTrue();
  }

  @Test
  void reportsAbsoluteIndicesWithinTheGivenRange() {
    byte[] b = {'a', (byte) 0xFF, 'b', (byte) 0xC3, (byte) 0xA9, (byte) 0xC3};

    assertThat(Utf8.firstInvalid(b, 0, b.length)).isEqualTo(1);
    assertThat(Utf8.firstInvalid(b, 2, 5)).isEqualTo(-1);
    assertThat(Utf8.firstInvalid(b, 2, 6)).isEqualTo(5);
    assertThat(Utf8.firstInvalid(b, 2, 4)).isEqualTo(3);
  }
}
