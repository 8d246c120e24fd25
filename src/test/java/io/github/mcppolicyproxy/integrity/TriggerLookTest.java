package io.github.mcppolicyproxy.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Holds {@link TriggerLook}, the trigger look done while a frame is read, to {@link Triggers#in} on
 * the whole frame: the same answer for any way of cutting the frame into pieces. A "no" it gives
 * where the whole look says "yes" would pass a secret unredacted, so this is the property.
 */
class TriggerLookTest {
  private static final int CASES = Integer.getInteger("trigger-look.cases", 60_000);
  private static final String ALPHABET =
      "secrtSECRTpasPASwWivIVqQfFeEyYjJuUoOkKAIKS____----\\\\ .x0123zZ\"hnHN";
  private static final String[] WORDS = {"secret", "Session_Token", "pass-w", "PRIVATE",
      "AKIAABCD", "ASIAZ", "\\u0041", "IQoJb3JpZ2lu", "eyJwYXlsb2FkIjoi", "aqodyxdz",
      "s-e_c-r-e-t", "a_u_t_h_o_r_i_z_a_t_i_o_n_t_o_k_e_n", "authorizationtoken",
      "s_________________________e-c-r-e-t"};

  private static TriggerLook fed(byte[] frame, Random r, int max) {
    TriggerLook look = new TriggerLook();
    int at = 0;
    while (at < frame.length) {
      int n = Math.min(frame.length - at, 1 + r.nextInt(max));
      byte[] host = new byte[n + 4];
      System.arraycopy(frame, at, host, 2, n);
      host[0] = host[1] = '_'; // bytes around the piece are not the frame's
      host[n + 2] = 's';
      host[n + 3] = 'e';
      look.feed(host, 2, 2 + n);
      at += n;
    }
    look.ended(frame.length);
    return look;
  }

  @Test
  void givesTheWholeLooksAnswerHoweverTheFrameIsCut() {
    Random r = new Random(Long.getLong("trigger-look.seed", 20261203L));
    int yes = 0;
    for (int n = 0; n < CASES; n++) {
      byte[] b = new byte[r.nextInt(r.nextInt(8) == 0 ? 3000 : 120)];
      for (int i = 0; i < b.length; i++) {
        b[i] = r.nextInt(10) == 0 ? (byte) r.nextInt(256)
            : (byte) ALPHABET.charAt(r.nextInt(ALPHABET.length()));
      }
      if (b.length > 0 && r.nextInt(3) == 0) {
        byte[] w = WORDS[r.nextInt(WORDS.length)].getBytes(StandardCharsets.US_ASCII);
        int at = r.nextInt(b.length);
        System.arraycopy(w, 0, b, at, Math.min(w.length, b.length - at));
      }
      boolean whole = Triggers.in(b, 0, b.length);
      yes += whole ? 1 : 0;
      int max = r.nextInt(3) == 0 ? 1 : 1 + r.nextInt(r.nextBoolean() ? 10 : 5000);
      TriggerLook look = fed(b, r, max);
      assertThat(look.known()).isTrue();
      assertThat(look.mayHoldSecret()).as("%s in pieces of up to %d",
          new String(b, StandardCharsets.ISO_8859_1), max).isEqualTo(whole);
    }
    assertThat(yes).as("the generator reaches both answers").isBetween(CASES / 10, CASES * 9 / 10);
  }

  @Test
  void aWordCutAtEveryPlaceIsFound() {
    for (String word : WORDS) {
      byte[] b = ("{\"text\":\"some text before, then " + word + " and after\"}")
          .getBytes(StandardCharsets.US_ASCII);
      assertThat(Triggers.in(b, 0, b.length)).isTrue();
      for (int cut = 0; cut <= b.length; cut++) {
        for (int second = cut; second <= Math.min(b.length, cut + 3); second++) {
          TriggerLook look = new TriggerLook();
          look.feed(b, 0, cut);
          look.feed(b, cut, second);
          look.feed(b, second, b.length);
          look.ended(b.length);
          assertThat(look.mayHoldSecret()).as("%s cut at %d, %d", word, cut, second).isTrue();
        }
      }
    }
  }

  @Test
  void aLargeFrameWithNoTriggerSaysNo() {
    byte[] b = ("The quick brown fox jumps over the lazy dog while a bucket lists objects in"
        + " region us-east-1 and returns 200 OK; a_b-c_d. ").repeat(40_000)
        .getBytes(StandardCharsets.US_ASCII);
    assertThat(Triggers.in(b, 0, b.length)).isFalse();
    for (int piece : new int[] {7, 4096, 65536}) {
      TriggerLook look = fed(b, new Random(piece), piece);
      assertThat(look.known()).isTrue();
      assertThat(look.mayHoldSecret()).isFalse();
    }
  }

  @Test
  void notKnownUnlessEveryByteWasFed() {
    byte[] b = "nothing here".getBytes(StandardCharsets.US_ASCII);
    TriggerLook look = new TriggerLook();
    look.feed(b, 0, b.length);
    look.ended(b.length + 1);
    assertThat(look.known()).isFalse();
    assertThat(look.mayHoldSecret()).isTrue();
    assertThat(new TriggerLook().mayHoldSecret()).as("before its end").isTrue();
  }

  @Test
  void aRunOfSeparatorsTooLongToKeepCountsAsATrigger() {
    byte[] b = ("s" + "_".repeat(TriggerLook.MAX_PENDING + 10) + "x").getBytes(StandardCharsets.US_ASCII);
    assertThat(Triggers.in(b, 0, b.length)).isFalse();
    TriggerLook look = fed(b, new Random(1), 1000);
    assertThat(look.mayHoldSecret()).as("fail closed: the redactor reads the frame").isTrue();
  }
}
