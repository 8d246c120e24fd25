package io.github.mcppolicyproxy.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Holds {@link QuickTree} to the strict Jackson read that a {@code tools/call} had before it (the
 * same mapper as {@code ToolsCallReader}'s): on generated and mutated frames that the envelope scan
 * accepts (its precondition), whenever the fast path builds a tree, Jackson builds an equal one (node
 * types included: an {@code IntNode} is not a {@code LongNode}) with its members in the same order.
 *
 * <p>Longer run: {@code -Dquick.cases=5000000 -Dquick.seed=N}.
 */
class QuickTreeDifferentialTest {
  private static final int CASES = Integer.getInteger("quick.cases", 60_000);
  private final EnvelopeScanner scanner = new EnvelopeScanner(1 << 20);
  private final ObjectMapper strict = JsonMapper.builder(JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()).build();

  @Test
  void whateverTheFastPathBuildsJacksonBuildsTheSame() {
    Random r = new Random(Long.getLong("quick.seed", 20261203L));
    int built = 0;
    int readable = 0;
    for (int n = 0; n < CASES; n++) {
      byte[] frame = GeneratedFrames.frame(r).getBytes(StandardCharsets.UTF_8);
      if (r.nextInt(3) == 0) {
        frame = GeneratedFrames.mutate(frame, r);
      }
      if (scanner.scan(frame).kind() == Envelope.Kind.INVALID) {
        continue; // the fast path is only asked about frames the scan took
      }
      JsonNode jackson;
      try {
        jackson = strict.readTree(frame);
      } catch (IOException e) {
        jackson = null;
      }
      readable += jackson != null ? 1 : 0;
      JsonNode quick = QuickTree.read(frame, 0, frame.length);
      if (quick != null) {
        built++;
        String f = new String(frame, StandardCharsets.UTF_8);
        assertThat(jackson).as("Jackson's tree of %s", f).isNotNull();
        assertThat(quick).as(f).isEqualTo(jackson);
        assertThat(quick.toString()).as(f).isEqualTo(jackson.toString());
      }
    }
    assertThat(built).as("trees the fast path built of %s readable", readable)
        .isGreaterThan(readable / 3);
  }

  @Test
  void theCommonCallIsBuiltWithItsEscapesDecoded() throws IOException {
    String f = "{\"jsonrpc\":\"2.0\",\"id\":2147483648,\"method\":\"tools/call\",\"params\":{\"name\":"
        + "\"echo\",\"arguments\":{\"message\":\"h\\u00e9llo \\\"x\\\"\\n\\ud83d\\ude00 é\","
        + "\"n\":-7,\"list\":[true,false,null,[],{}]}}}";
    JsonNode quick = builtAsJacksonBuildsIt(f);
    assertThat(quick.at("/params/arguments/message").asText()).isEqualTo("héllo \"x\"\n😀 é");
    assertThat(quick.get("id").isLong()).isTrue();
    assertThat(quick.at("/params/arguments/n").isInt()).isTrue();
  }

  /** The strings every call repeats are shared constants ({@link QuickTree#known}). */
  @Test
  void aCallsRepeatedStringsAreSharedConstants() throws IOException {
    String f = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":"
        + "\"echo\",\"arguments\":{\"name\":\"tools/call\",\"t\\u0061sk\":\"2.0\"},"
        + "\"_meta\":{\"progressToken\":7}}}";
    JsonNode quick = builtAsJacksonBuildsIt(f);
    byte[] name = "name".getBytes(StandardCharsets.UTF_8);
    byte[] call = "tools/call".getBytes(StandardCharsets.UTF_8);
    assertThat(quick.get("method").textValue()).isSameAs(QuickTree.known(call, 0, call.length));
    assertThat(quick.get("params").get("arguments").has("task")).as("escaped name decoded").isTrue();
    assertThat(quick.get("params").fieldNames().next())
        .isSameAs(QuickTree.known(name, 0, name.length));
  }

  /** The fast path's tree of {@code f}, checked equal to Jackson's strict one. */
  private JsonNode builtAsJacksonBuildsIt(String f) throws IOException {
    byte[] b = f.getBytes(StandardCharsets.UTF_8);
    JsonNode quick = QuickTree.read(b, 0, b.length);
    assertThat(quick).as(f).isEqualTo(strict.readTree(b));
    return quick;
  }

  /**
   * Strings are scanned eight bytes at a time: each byte that ends or interrupts a plain stretch
   * (a quote, an escape, a control character, DEL, the bytes of a multi-byte character), at every
   * position of the first three words, after ASCII or after a character that is not, read by the
   * fast paths as Jackson reads it, or left to Jackson when Jackson refuses it.
   */
  @Test
  void everyStopOfTheWordScanAtEveryPositionIsReadAsJacksonReadsIt() {
    String[] stops = {"\"", "\\n", "\\\"", "\\u00e9", "\u0001", "\u001f", "\t", " ", "\u007f", "é",
        "€", "😀", "~", "!", "\\u20AC", "\\u0000", "\\ud83d\\ude00", "\\udc00", "\\ud83dx", "\\/",
        "\\x", "\\u12", "\\t\\b\\f\\r"};
    int built = 0;
    for (String before : new String[] {"", "ü"}) {
      for (int at = 0; at < 24; at++) {
        for (String stop : stops) {
          String text = before + "abcdefghijklmnopqrstuvwxyz".repeat(2).substring(0, at) + stop
              + "tail of the string";
          String f = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + text + "\",\"params\":{\"a\":\""
              + text + "\"}}";
          byte[] b = f.getBytes(StandardCharsets.UTF_8);
          JsonNode jackson;
          try {
            jackson = strict.readTree(b);
          } catch (IOException e) {
            jackson = null;
          }
          Envelope e = scanner.scan(b);
          assertThat(e.kind()).as(f).isEqualTo(jackson == null ? Envelope.Kind.INVALID
              : Envelope.Kind.REQUEST);
          JsonNode quick = QuickTree.read(b, 0, b.length);
          if (jackson == null) {
            assertThat(quick).as(f).isNull();
            continue;
          }
          assertThat(e.method()).as(f).isEqualTo(jackson.get("method").textValue());
          if (quick != null) {
            built++;
            assertThat(quick).as(f).isEqualTo(jackson);
          }
        }
      }
    }
    assertThat(built).as("every readable case takes the fast path").isEqualTo(2 * 24 * 17);
  }

  @Test
  void whatItDoesNotBuildIsLeftToJackson() {
    for (String f : new String[] {"{\"a\":1.5}", "{\"a\":1e3}", "{\"a\":1234567890123456789}",
        "{\"a\":{\"b\":1,\"b\":2}}", "{\"a\":" + "[".repeat(70) + "]".repeat(70) + "}",
        "{\"a\":\"\\x\"}", "{\"a\":1} x", "{\"a\":01}"}) {
      byte[] b = f.getBytes(StandardCharsets.UTF_8);
      assertThat(QuickTree.read(b, 0, b.length)).as(f).isNull();
    }
  }
}
