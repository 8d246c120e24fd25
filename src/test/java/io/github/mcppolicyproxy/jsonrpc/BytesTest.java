package io.github.mcppolicyproxy.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Bytes}, eight bytes at a time, held to a plain loop over bytes (the oracle). */
class BytesTest {
  @Test
  void findsTheFirstByteAsALoopDoesForAnyValueAndRange() {
    SplittableRandom random = new SplittableRandom(14);
    for (int round = 0; round < 100_000; round++) {
      byte[] b = randomBytes(random, random.nextInt(40));
      byte value = (byte) (random.nextBoolean() ? b.length > 0 ? b[random.nextInt(b.length)] : 7
          : random.nextInt(256)); // often one that is there, also 0x80..0xff and 0
      int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
      int to = from + random.nextInt(b.length - from + 1);
      assertThat(Bytes.indexOf(b, from, to, value)).as("round %d", round)
          .isEqualTo(loop(b, from, to, value));
    }
  }

  @Test
  void findsTheFirstNeedleAsALoopDoes() {
    SplittableRandom random = new SplittableRandom(8);
    for (int round = 0; round < 100_000; round++) {
      byte[] hay = randomBytes(random, random.nextInt(60));
      byte[] needle;
      if (hay.length > 0 && random.nextBoolean()) {
        int at = random.nextInt(hay.length);
        needle = java.util.Arrays.copyOfRange(hay, at, at + 1 + random.nextInt(hay.length - at));
      } else {
        needle = randomBytes(random, 1 + random.nextInt(4));
      }
      assertThat(Bytes.indexOf(hay, needle)).as("round %d", round).isEqualTo(loop(hay, needle));
      int anchor = random.nextInt(needle.length);
      assertThat(Bytes.indexOf(hay, needle, anchor)).as("round %d, anchor %d", round, anchor)
          .isEqualTo(loop(hay, needle));
    }
  }

  @Test
  void theMatchThatEndsTheArrayAndOneThatWouldRunPastItAreTold() {
    byte[] hay = "0123456789abcdef\"task\"".getBytes(StandardCharsets.US_ASCII);
    assertThat(Bytes.indexOf(hay, "task\"".getBytes(StandardCharsets.US_ASCII))).isEqualTo(17);
    assertThat(Bytes.indexOf(hay, "task\"x".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
    assertThat(Bytes.indexOf(hay, "0123".getBytes(StandardCharsets.US_ASCII), 3)).isZero();
    assertThat(Bytes.indexOf(hay, "task\"x".getBytes(StandardCharsets.US_ASCII), 3)).isEqualTo(-1);
    assertThat(Bytes.indexOf(hay, new byte[0])).isZero();
    assertThat(Bytes.indexOf(new byte[0], new byte[] {1})).isEqualTo(-1);
  }

  /** Few distinct values, so that matches, near matches and the borrow between bytes are common. */
  private static byte[] randomBytes(SplittableRandom random, int n) {
    byte[] alphabet = {0, 1, 'a', 'b', '\n', (byte) 0x80, (byte) 0xff, (byte) 0x7f};
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = alphabet[random.nextInt(alphabet.length)];
    }
    return b;
  }

  private static int loop(byte[] b, int from, int to, byte value) {
    for (int i = from; i < to; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  private static int loop(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (hay[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
