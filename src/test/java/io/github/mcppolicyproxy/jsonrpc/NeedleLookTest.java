package io.github.mcppolicyproxy.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link NeedleLook} against {@link Bytes#indexOf(byte[], byte[])} on the whole line. */
class NeedleLookTest {
  private static final byte[][] NEEDLES = {"task\"".getBytes(StandardCharsets.US_ASCII),
      "error\"".getBytes(StandardCharsets.US_ASCII),
      "\"input_required\"".getBytes(StandardCharsets.US_ASCII), {'"'}};

  @Test
  void findsWhatASearchOfTheWholeLineFindsHoweverItIsCut() {
    Random r = new Random(20261203);
    String alphabet = "taskerroinpu_qd\"\\ x";
    int found = 0;
    for (int n = 0; n < 50_000; n++) {
      byte[] needle = NEEDLES[r.nextInt(NEEDLES.length)];
      int anchor = r.nextInt(needle.length);
      byte[] b = new byte[r.nextInt(r.nextInt(10) == 0 ? 2000 : 60)];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
      }
      if (b.length > 0 && r.nextInt(3) == 0) {
        int at = r.nextInt(b.length);
        System.arraycopy(needle, 0, b, at, Math.min(needle.length, b.length - at));
      }
      boolean whole = Bytes.indexOf(b, needle) >= 0;
      found += whole ? 1 : 0;
      NeedleLook look = new NeedleLook(needle, anchor);
      int max = 1 + r.nextInt(r.nextBoolean() ? 5 : 300);
      for (int at = 0; at < b.length; ) {
        int piece = Math.min(b.length - at, 1 + r.nextInt(max));
        byte[] host = new byte[piece + 2];
        System.arraycopy(b, at, host, 1, piece);
        host[0] = needle[needle.length - 1]; // bytes around the piece are not the line's
        host[piece + 1] = needle[0];
        look.feed(host, 1, 1 + piece);
        at += piece;
      }
      look.ended(b.length);
      assertThat(look.known()).isTrue();
      assertThat(look.found()).as("%s in %s, pieces up to %d",
          new String(needle, StandardCharsets.US_ASCII), new String(b, StandardCharsets.US_ASCII),
          max).isEqualTo(whole);
    }
    assertThat(found).isBetween(5_000, 45_000);
  }

  @Test
  void notKnownUnlessEveryByteWasFed() {
    NeedleLook look = new NeedleLook(NEEDLES[0], 3);
    look.feed(new byte[10], 0, 10);
    look.ended(11);
    assertThat(look.known()).isFalse();
    assertThat(look.found()).as("look for yourself").isTrue();
    assertThatThrownBy(() -> new NeedleLook(new byte[0], 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
