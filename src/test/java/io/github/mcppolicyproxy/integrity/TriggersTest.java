package io.github.mcppolicyproxy.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TriggersTest {
  @Test
  void thePairTableHoldsExactlyThePairsThatMayStartATrigger() {
    int set = 0;
    for (int x = 0; x < 256; x++) {
      for (int y = 0; y < 256; y++) {
        assertThat(Triggers.pair(x, y)).as("pair %d, %d", x, y).isEqualTo(Triggers.mayStart(x, y));
        set += Triggers.mayStart(x, y) ? 1 : 0;
      }
    }
    assertThat(set).as("pairs that may start a trigger").isBetween(50, 500);
    assertThat(Triggers.pair('\\', 'u')).isTrue();
    assertThat(Triggers.pair('A', 'K')).isTrue();
    assertThat(Triggers.pair('S', 'e')).isTrue();
    assertThat(Triggers.pair('s', 'E')).isTrue();
    assertThat(Triggers.pair('s', 'x')).isFalse();
    assertThat(Triggers.pair('x', 'e')).isFalse();
  }

  @Test
  void theByteScanAgreesWithTheTextScanOnRandomTextRichInTriggerLetters() {
    // letters of the trigger words in both cases, separators, backslashes and filler
    String alphabet = "secrtSECRTpasPASwWivIVqQfFeEyYjJuUoOkKAIKS_-\\\\ .x0123zZ\"";
    Random random = new Random(20261202);
    int triggered = 0;
    for (int n = 0; n < 200_000; n++) {
      StringBuilder s = new StringBuilder();
      int len = 1 + random.nextInt(14);
      for (int i = 0; i < len; i++) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (random.nextInt(50) == 0) {
        String[] words = {"secret", "Session_Token", "pass-w", "PRIVATE", "AKIAABCD", "ASIAZ",
            "\\u0041", "IQoJb3JpZ2lu", "eyJwYXlsb2FkIjoi", "aqodyxdz"};
        s.insert(random.nextInt(s.length() + 1), words[random.nextInt(words.length)]);
      }
      String text = s.toString();
      byte[] b = text.getBytes(StandardCharsets.US_ASCII);
      boolean expected = Triggers.in((CharSequence) text);
      triggered += expected ? 1 : 0;
      assertThat(Triggers.in(b, 0, b.length)).as(text).isEqualTo(expected);
    }
    assertThat(triggered).as("the generator reaches both answers").isBetween(1000, 199_000);
  }

  @Test
  void theEightAtATimeScanFindsWhatALookAtEveryPositionFinds() {
    // long enough for the eight-at-a-time steps, any range in the array, any byte among the letters
    String alphabet = "secrtSECRTpasPASwWivIVqQfFeEyYjJuUoOkKAIKS_-\\ .x0123zZ\"";
    Random random = new Random(20261203);
    int triggered = 0;
    for (int n = 0; n < 100_000; n++) {
      byte[] b = new byte[random.nextInt(70)];
      for (int i = 0; i < b.length; i++) {
        b[i] = random.nextInt(8) == 0 ? (byte) random.nextInt(256)
            : (byte) alphabet.charAt(random.nextInt(alphabet.length()));
      }
      if (b.length > 0 && random.nextInt(4) == 0) {
        String[] words = {"secret", "Session_Token", "pass-w", "PRIVATE", "AKIAABCD", "ASIAZ",
            "\\u0041", "IQoJb3JpZ2lu", "eyJwYXlsb2FkIjoi", "aqodyxdz", "s-e_c-r-e-t"};
        byte[] w = words[random.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII);
        int at = random.nextInt(b.length);
        System.arraycopy(w, 0, b, at, Math.min(w.length, b.length - at));
      }
      int from = random.nextInt(b.length + 1);
      int to = from + random.nextInt(b.length - from + 1);
      boolean expected = false;
      for (int i = from; i < to && !expected; i++) {
        expected = Triggers.startsAt(b, i, to);
      }
      triggered += expected ? 1 : 0;
      assertThat(Triggers.in(b, from, to))
          .as("%s [%d, %d)", java.util.HexFormat.of().formatHex(b), from, to).isEqualTo(expected);
    }
    assertThat(triggered).as("the generator reaches both answers").isBetween(1000, 99_000);
  }

  @Test
  void ordinaryEnglishTextHoldsNoTrigger() {
    byte[] b = ("The quick brown fox jumps over the lazy dog while a bucket lists objects in"
        + " region us-east-1 and returns 200 OK. ").repeat(1000).getBytes(StandardCharsets.US_ASCII);
    assertThat(Triggers.in(b, 0, b.length)).isFalse();
    byte[] key = "{\"AccessKeyId\":\"AKIAIOSFODNN7EXAMPLE\"}".getBytes(StandardCharsets.US_ASCII);
    assertThat(Triggers.in(key, 0, key.length)).isTrue();
  }
  /**
   * A range of {@link Triggers#SPLIT_BYTES} or more is looked at in two halves on two threads: a
   * trigger anywhere, also one that starts just before the middle and runs on past it, is found,
   * and a range with none is passed.
   */
  @Test
  void aLargeRangeLookedAtInTwoHalvesMissesNoTrigger() {
    String[] words = {"secret", "s_e-c_r_e_t", "PRIVATE", "AKIAABCD", "\\u0041", "passw"};
    int len = Triggers.SPLIT_BYTES + 4_099;
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) ("xyz .,0123456789\"".charAt(i % 17));
    }
    int[][] ranges = {{0, len}, {5, len - 3}, {1_000, len}};
    for (int[] r : ranges) {
      assertThat(Triggers.in(b, r[0], r[1])).as("no trigger in %s", java.util.Arrays.toString(r))
          .isFalse();
    }
    int checked = 0;
    for (int[] r : ranges) {
      int mid = r[0] + (r[1] - r[0]) / 2;
      for (String word : words) {
        byte[] w = word.getBytes(StandardCharsets.US_ASCII);
        int[] places = new int[44];
        for (int d = 0; d < 40; d++) {
          places[d] = mid - 20 + d;
        }
        places[40] = r[0];
        places[41] = r[1] - w.length;
        places[42] = r[0] + 7;
        places[43] = r[1] - w.length - 9;
        for (int at : places) {
          byte[] c = b.clone();
          System.arraycopy(w, 0, c, at, w.length);
          assertThat(Triggers.in(c, r[0], r[1])).as("%s at %d of %s", word, at,
              java.util.Arrays.toString(r)).isTrue();
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(3 * 6 * 44);
  }
}
