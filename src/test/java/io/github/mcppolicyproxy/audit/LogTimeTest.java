package io.github.mcppolicyproxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link LogTime} writes what {@link Instant#toString} writes, for every instant. */
class LogTimeTest {
  @Test
  void itWritesWhatInstantToStringWrites() {
    Random random = new Random(27);
    long[] edges = {0, 1, 59, 60, 86_399, 86_400, 951_782_400L /* 2000-02-29 */, 4_107_542_399L /* 2100-02-28T23:59:59 */,
        253_402_300_799L /* 9999-12-31T23:59:59 */, 253_402_300_800L, -1, -86_401, Long.MAX_VALUE / 1_000_000_000L};
    int[] nanos = {0, 1, 999_999_999, 1_000, 1_000_000, 120_000_000, 123_400, 100, 5_000_001};
    for (long s : edges) {
      for (int nano : nanos) {
        Instant t = Instant.ofEpochSecond(s, nano);
        assertThat(LogTime.format(t)).as("%s", t).isEqualTo(t.toString());
      }
    }
    for (int i = 0; i < 200_000; i++) {
      long s = Math.floorMod(random.nextLong(), 253_402_300_800L + 10_000_000L) - 5_000_000L;
      int nano = switch (random.nextInt(4)) {
        case 0 -> 0;
        case 1 -> random.nextInt(1_000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant t = Instant.ofEpochSecond(s, nano);
      assertThat(LogTime.format(t)).as("%s", t).isEqualTo(t.toString());
    }
    Instant now = Instant.now();
    assertThat(LogTime.format(now)).isEqualTo(now.toString());
  }
}
