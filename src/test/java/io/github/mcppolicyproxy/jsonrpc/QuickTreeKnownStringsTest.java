package io.github.mcppolicyproxy.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The strings a tools/call repeats are shared constants, only when the bytes are exactly them
 * (a call's tree with them: {@code QuickTreeDifferentialTest}).
 */
class QuickTreeKnownStringsTest {
  private static final List<String> KNOWN = List.of("jsonrpc", "2.0", "id", "method", "tools/call",
      "params", "name", "arguments", "_meta", "progressToken", "task", "ttl");

  private static String known(String text) {
    byte[] b = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
    return QuickTree.known(b, 2, b.length - 4);
  }

  @Test
  void onlyTheExactBytesOfAKnownStringGiveIt() {
    for (String k : KNOWN) {
      assertThat(known(k)).isEqualTo(k);
      assertThat(known(k)).isSameAs(known(k));
      assertThat(known(k.substring(1))).isNull();
      assertThat(known(k.substring(0, k.length() - 1))).isNull();
      assertThat(known(k + "s")).isNull();
      String upper = k.toUpperCase(java.util.Locale.ROOT);
      assertThat(known(upper)).isEqualTo(upper.equals(k) ? k : null);
      for (int i = 0; i < k.length(); i++) {
        char[] c = k.toCharArray();
        c[i] ^= 1; // one bit off
        assertThat(known(new String(c))).as(new String(c)).isNull();
      }
    }
    assertThat(known("")).isNull();
  }
}
