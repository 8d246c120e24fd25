package io.github.mcppolicyproxy.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strings a tools/call repeats are shared constants, and only when the bytes are exactly them. */
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

  @Test
  void aCallsTreeUsesThemAndEqualsJacksons() throws Exception {
    String frame = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":"
        + "\"echo\",\"arguments\":{\"name\":\"tools/call\",\"t\\u0061sk\":\"2.0\"},"
        + "\"_meta\":{\"progressToken\":7}}}";
    byte[] b = frame.getBytes(StandardCharsets.UTF_8);
    JsonNode quick = QuickTree.read(b, 0, b.length);
    assertThat(quick).isEqualTo(new ObjectMapper().readTree(b));
    assertThat(quick.get("method").textValue()).isSameAs(known("tools/call"));
    assertThat(quick.get("params").get("arguments").has("task")).as("escaped name decoded").isTrue();
    assertThat(quick.get("params").fieldNames().next()).isSameAs(known("name"));
  }
}
