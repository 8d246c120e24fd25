package io.github.mcppolicyproxy.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonIdTest {
  private static String bigDecimalKey(String raw) {
    return new BigDecimal(raw).stripTrailingZeros().toString();
  }

  @Test
  void everyNumberGetsTheKeyBigDecimalGivesItWhateverItsSpelling() {
    Random random = new Random(42);
    for (int n = 0; n < 50_000; n++) {
      long v = switch (random.nextInt(4)) {
        case 0 -> random.nextInt(1000);
        case 1 -> random.nextLong();
        case 2 -> -random.nextInt(100_000);
        default -> (long) random.nextInt(1000) * 1000;
      };
      String raw = Long.toString(v);
      assertThat(JsonId.ofNumber(raw).key()).as(raw).isEqualTo(bigDecimalKey(raw));
    }
    for (String raw : new String[] {"0", "-0", "00", "007", "1.0", "1e2", "100", "1E+2", "10.50",
        "-1", "123456789012345678", "1234567890123456789", "99999999999999999999"}) {
      assertThat(JsonId.ofNumber(raw).key()).as(raw).isEqualTo(bigDecimalKey(raw));
    }
    for (int v = -200_000; v <= 200_000; v++) { // every integer here, trailing zeros or not
      String raw = Integer.toString(v);
      assertThat(JsonId.ofNumber(raw).key()).as(raw).isEqualTo(bigDecimalKey(raw));
    }
    for (int digits = 1; digits <= 20; digits++) {
      for (String head : new String[] {"1", "9", "12", "-1", "-105"}) {
        String raw = head + "0".repeat(digits);
        assertThat(JsonId.ofNumber(raw).key()).as(raw).isEqualTo(bigDecimalKey(raw));
      }
    }
    assertThat(JsonId.ofNumber("100").key()).isEqualTo(JsonId.ofNumber("1e2").key());
    assertThat(JsonId.ofNumber("7").key()).isEqualTo(JsonId.ofNumber("7.00").key());
  }

  /** A number's key is its value alone: no string, null or invalid id can have the same key. */
  @Test
  void keysOfNumbersNeverMeetKeysOfOtherKinds() {
    Random random = new Random(23);
    java.util.Set<String> others = new java.util.HashSet<>(java.util.List.of(JsonId.NULL.key(),
        JsonId.ofString("\"1\"", "1").key(), JsonId.ofString("\"null\"", "null").key(),
        JsonId.ofString("\"1E+2\"", "1E+2").key()));
    assertThat(others).hasSize(4);
    for (int n = 0; n < 20_000; n++) {
      String raw = switch (random.nextInt(4)) {
        case 0 -> Long.toString(random.nextLong());
        case 1 -> random.nextInt(1000) + "." + random.nextInt(1000);
        case 2 -> random.nextInt(100) + "e" + (random.nextInt(40) - 20);
        default -> Integer.toString(random.nextInt(100) * 1000);
      };
      String key = JsonId.ofNumber(raw).key();
      assertThat(Character.isLetter(key.charAt(0))).as(raw + " -> " + key).isFalse();
      assertThat(others).as(raw).doesNotContain(key);
    }
    assertThat(JsonId.ofNumber("1").key()).isEqualTo(JsonId.ofNumber("1.0").key())
        .isNotEqualTo(JsonId.ofString("\"1\"", "1").key());
    assertThat(JsonId.ofNumber("1e99999999999").key()).as("beyond BigDecimal").startsWith("n:");
  }
}
