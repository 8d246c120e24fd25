package io.github.mcppolicyproxy.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes {@link EnvelopeScanner}: for any bytes no exception escapes, and the classification agrees
 * with a full parse of the frame decoded as UTF-8 (the reference): INVALID exactly when the bytes
 * are not UTF-8, hold a NUL or a BOM, or do not parse as one JSON value; otherwise the same kind,
 * method and id as the tree says (last duplicate wins in both).
 *
 * <p>Longer run: {@code mvn test -Dtest='*FuzzTest' -Djqwik.tries.default=100000 -DskipNode}
 */
class EnvelopeScannerFuzzTest {
  private static final int MAX = 1 << 20;
  private final EnvelopeScanner scanner = new EnvelopeScanner(MAX);
  private final ObjectMapper reference = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX)
              .maxNumberLength(MAX).maxNameLength(MAX)
              .maxNestingDepth(EnvelopeScanner.MAX_NESTING).build())
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  @Provide
  Arbitrary<byte[]> anyBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
  }

  /** Frame-shaped text, mutated: mostly valid JSON-RPC, often broken in small ways. */
  @Provide
  Arbitrary<byte[]> frameish() {
    Arbitrary<String> key = Arbitraries.of("jsonrpc", "id", "method", "params", "result", "error",
        "m\\u0065thod", "i\\u0064", "x");
    Arbitrary<String> value = Arbitraries.of("\"2.0\"", "1", "1.0", "-0", "1e2", "null", "true",
        "\"tools/call\"", "\"tools\\/call\"", "\"a\\ud800\"", "{}", "[]", "[1,{\"a\":2}]",
        "{\"name\":\"x\",\"arguments\":{}}", "\"\\u0000\"", "\"é\"", "\"\uD83D\uDE00\"", "NaN", "01",
        "\"unterminated", "{\"a\":", "]", "1 2");
    Arbitrary<String> member = Combinators.combine(key, value).as((k, v) -> "\"" + k + "\":" + v);
    Arbitrary<String> object = member.list().ofMaxSize(6)
        .map(ms -> "{" + String.join(",", ms) + "}");
    Arbitrary<String> frame = Arbitraries.oneOf(object,
        object.list().ofMaxSize(4).map(os -> "[" + String.join(",", os) + "]"), value);
    Arbitrary<String> padded = Combinators.combine(Arbitraries.of("", " ", "\t", "\r", "\uFEFF"),
        frame, Arbitraries.of("", " ", "\r", "x", "}", ",")).as((a, f, z) -> a + f + z);
    return Combinators.combine(padded, Arbitraries.integers().between(-1, 60),
        Arbitraries.bytes()).as((f, at, b) -> mutate(f.getBytes(StandardCharsets.UTF_8), at, b));
  }

  private static byte[] mutate(byte[] in, int at, byte b) {
    if (at < 0 || at >= in.length || at % 3 != 0) {
      return in; // two in three stay as generated
    }
    byte[] out = in.clone();
    out[at] = b;
    return out;
  }

  @Property
  void anyBytesAreClassifiedLikeAFullParse(@ForAll("anyBytes") byte[] frame) {
    check(frame);
  }

  @Property
  void frameShapedBytesAreClassifiedLikeAFullParse(@ForAll("frameish") byte[] frame) {
    check(frame);
  }

  @Example
  void utf16AndBomFramesAreInvalidAsTheUpstreamCannotReadThem() {
    check("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}"
        .getBytes(StandardCharsets.UTF_16BE));
    check("\uFEFF{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}"
        .getBytes(StandardCharsets.UTF_8));
    assertThat(scanner.scan("{}".getBytes(StandardCharsets.UTF_16LE)).kind())
        .isEqualTo(Envelope.Kind.INVALID);
  }

  private void check(byte[] frame) {
    Envelope e = scanner.scan(frame); // must not throw
    JsonNode tree = referenceParse(frame);
    if (tree == null) {
      assertThat(e.kind()).as("scan of %s", show(frame)).isEqualTo(Envelope.Kind.INVALID);
      return;
    }
    assertThat(e.kind()).as("scan of %s", show(frame)).isEqualTo(expectedKind(tree));
    if (tree.isArray()) {
      assertThat(e.elements()).hasSize(tree.size());
      return;
    }
    if (!tree.isObject()) {
      return;
    }
    JsonNode method = tree.get("method");
    assertThat(e.method()).isEqualTo(method != null && method.isTextual() ? method.asText() : null);
    JsonNode id = tree.get("id");
    if (id == null) {
      assertThat(e.id()).isNull();
    } else if (id.isTextual()) {
      assertThat(e.id().key()).isEqualTo("s:" + id.asText());
    } else if (id.isNumber()) {
      assertThat(new BigDecimal(e.id().raw()).compareTo(id.decimalValue())).isZero();
    } else if (id.isNull()) {
      assertThat(e.id().isNull()).isTrue();
    } else {
      assertThat(e.id().key()).startsWith("invalid:");
    }
  }

  private static Envelope.Kind expectedKind(JsonNode tree) {
    if (tree.isArray()) {
      return Envelope.Kind.BATCH;
    }
    if (!tree.isObject()) {
      return Envelope.Kind.OTHER;
    }
    JsonNode method = tree.get("method");
    if (method != null && method.isTextual()) {
      return tree.has("id") ? Envelope.Kind.REQUEST : Envelope.Kind.NOTIFICATION;
    }
    return tree.has("result") || tree.has("error") ? Envelope.Kind.RESPONSE : Envelope.Kind.OTHER;
  }

  /** The reference: strict UTF-8 decoding, no NUL, no BOM, then one JSON value; null if not. */
  private JsonNode referenceParse(byte[] frame) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(frame))
          .toString();
      if (text.indexOf('\0') >= 0 || text.startsWith("\uFEFF")) {
        return null;
      }
      JsonNode n = reference.readTree(text);
      return n == null || n.isMissingNode() ? null : n;
    } catch (Exception e) {
      return null;
    }
  }

  private static String show(byte[] b) {
    return new String(b, StandardCharsets.UTF_8) + " " + java.util.HexFormat.of().formatHex(b);
  }
}
