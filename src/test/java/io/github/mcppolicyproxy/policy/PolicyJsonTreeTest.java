package io.github.mcppolicyproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Holds the policy reader's tree ({@link PolicyJson#tree}, built without an {@code ObjectMapper})
 * to what the strict mapper it replaced returned: on the bundled policies and on generated and
 * mutated JSON texts, both fail (with the same exception type and message) or both give trees that
 * are equal node for node, node types included (an {@code IntNode} is not a {@code LongNode}),
 * members in the same order.
 *
 * <p>Longer run: {@code -Dpolicyjson.cases=2000000 -Dpolicyjson.seed=N}.
 */
class PolicyJsonTreeTest {
  private static final int CASES = Integer.getInteger("policyjson.cases", 40_000);
  private final PolicyJson json = new PolicyJson();
  private final ObjectMapper mapper = JsonMapper.builder(json.factory()).build();

  /** The yardstick's 1,000-rule policy's shape (limits, globs, predicates) takes the fast path. */
  @Test
  void aLargePolicyIsReadByTheFastPathAsTheMapperReadsIt() throws IOException {
    StringBuilder b = new StringBuilder("{\"version\":\"1\",\"default\":\"deny\",\"tools\":{");
    for (int i = 0; i < 1000; i++) {
      b.append(i == 0 ? "" : ",").append("\"svc_write_").append(i).append("\":{\"limits\":[{")
          .append("\"counter\":\"rate_").append(i).append("\",\"window\":\"minute\",\"max\":")
          .append(10 + i).append("}],\"deny_if\":[{\"path\":\"args.path\",\"op\":\"regex\",")
          .append("\"value\":\"^/(etc|root)/.*").append(i).append("$\"},{\"path\":\"args.n\",")
          .append("\"op\":\"gt\",\"value\":").append(1000L * i * i).append("}]}");
    }
    byte[] text = b.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    assertThat(io.github.mcppolicyproxy.jsonrpc.QuickTree.read(text, 0, text.length)).isNotNull();
    assertThat(sameAsMapper(text)).isTrue();
  }

  @Test
  void theBundledPoliciesGiveTheMappersTree() throws IOException {
    int files = 0;
    try (Stream<Path> all = Files.walk(Path.of("config"))) {
      for (Path f : (Iterable<Path>) all.filter(p -> p.toString().endsWith(".json"))::iterator) {
        byte[] bytes = Files.readAllBytes(f);
        sameAsMapper(bytes);
        assertThat(json.tree(bytes)).as(f.toString()).isNotNull();
        files++;
      }
    }
    assertThat(files).isPositive();
  }

  @Test
  void generatedAndMutatedTextsGiveTheMappersTreeOrItsError() {
    Random r = new Random(Long.getLong("policyjson.seed", 20261202L));
    int trees = 0;
    int errors = 0;
    int quick = 0;
    for (int n = 0; n < CASES; n++) {
      StringBuilder b = new StringBuilder();
      value(b, r, 0);
      if (r.nextInt(8) == 0) {
        b.append(r.nextBoolean() ? " {\"trailing\":1}" : " ]x");
      }
      byte[] text = b.toString().getBytes(StandardCharsets.UTF_8);
      if (r.nextInt(3) == 0) {
        text = mutate(text, r);
      }
      if (sameAsMapper(text)) {
        trees++;
      } else {
        errors++;
      }
      if (io.github.mcppolicyproxy.jsonrpc.Utf8.firstInvalid(text, 0, text.length) == -1
          && io.github.mcppolicyproxy.jsonrpc.QuickTree.read(text, 0, text.length) != null) {
        quick++; // read by the fast path (the rest by jackson-core)
      }
    }
    assertThat(trees).as("texts read").isGreaterThan(CASES / 2);
    assertThat(quick).as("texts read by QuickTree").isGreaterThan(CASES / 5);
    assertThat(errors).as("texts refused").isGreaterThan(CASES / 20);
  }

  @Test
  void edgeCases() {
    for (String t : new String[] {"", "   ", "null", "1", "-0", "1.0", "1e400", "-1e-400",
        "2147483648", "-2147483649", "9223372036854775808", "1" + "0".repeat(400), "\"\\ud800\"",
        "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":[1,{\"b\":1,\"b\":2}]}}", "[" .repeat(1001),
        "[".repeat(999) + "]".repeat(999), "{\"a\":1} trailing", "{\"a\":", "[1,2", "[1,]",
        "{,}", "NaN", "'a'", "\u00ef\u00bb\u00bf{}", "{\"a\":1}\u0000"}) {
      sameAsMapper(t.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Both read {@code text} alike; returns whether it was read. */
  private boolean sameAsMapper(byte[] text) {
    String shown = new String(text, StandardCharsets.UTF_8);
    JsonNode expected;
    Exception expectedError = null;
    try {
      expected = mapper.readTree(text);
      if (expected != null && expected.isMissingNode()) {
        expected = null;
      }
    } catch (IOException | RuntimeException e) {
      expected = null;
      expectedError = e;
    }
    JsonNode actual;
    try {
      actual = json.tree(text);
    } catch (IOException | RuntimeException e) {
      assertThat(expectedError).as("the mapper's outcome of %s (ours: %s)", shown, e).isNotNull();
      assertThat(e).as(shown).hasSameClassAs(expectedError);
      assertThat(e.getMessage()).as(shown).isEqualTo(expectedError.getMessage());
      return false;
    }
    assertThat(expectedError).as("the mapper's error for %s", shown).isNull();
    sameNodes(actual, expected, shown);
    return true;
  }

  private static void sameNodes(JsonNode actual, JsonNode expected, String shown) {
    if (expected == null) {
      assertThat(actual).as(shown).isNull();
      return;
    }
    assertThat(actual).as(shown).isNotNull().hasSameClassAs(expected).isEqualTo(expected);
    assertThat(actual.size()).as(shown).isEqualTo(expected.size());
    if (expected.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> a = actual.fields();
      Iterator<Map.Entry<String, JsonNode>> e = expected.fields();
      while (e.hasNext()) {
        Map.Entry<String, JsonNode> x = e.next();
        Map.Entry<String, JsonNode> y = a.next();
        assertThat(y.getKey()).as(shown).isEqualTo(x.getKey());
        sameNodes(y.getValue(), x.getValue(), shown);
      }
    } else if (expected.isArray()) {
      for (int i = 0; i < expected.size(); i++) {
        sameNodes(actual.get(i), expected.get(i), shown);
      }
    }
  }

  private static final String[] NUMBERS = {"0", "-0", "1", "-12", "2147483647", "2147483648",
      "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
      "123456789012345678901234567890", "1.0", "1.50", "-0.0", "1e2", "1E+2", "1e-2", "0.1e1",
      "1e309", "-1.5E-300", "4.9e-325", "3.4028235e38"};
  private static final String[] STRINGS = {"", "tools/call", "é", "\uD83D\uDE00", "a\\nb",
      "\\\"q\\\"", "\\u0041", "\\ud800", "\\/", "a\\\\b", "\u2028", "x".repeat(300)};
  private static final String[] NAMES = {"version", "default", "tools", "allow", "deny", "a",
      "b", "é", "a b", "x\\u0079"};

  private static void value(StringBuilder b, Random r, int depth) {
    int kind = depth > 6 ? 2 + r.nextInt(5) : r.nextInt(7);
    switch (kind) {
      case 0 -> {
        b.append('{');
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            b.append(r.nextInt(50) == 0 ? " , " : ",");
          }
          b.append('"').append(NAMES[r.nextInt(NAMES.length)]).append("\":");
          value(b, r, depth + 1);
        }
        b.append('}');
      }
      case 1 -> {
        b.append(r.nextInt(10) == 0 ? "[ " : "[");
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            b.append(',');
          }
          value(b, r, depth + 1);
        }
        b.append(']');
      }
      case 2, 3 -> b.append('"').append(STRINGS[r.nextInt(STRINGS.length)]).append('"');
      case 4 -> b.append(NUMBERS[r.nextInt(NUMBERS.length)]);
      case 5 -> b.append(r.nextBoolean() ? "true" : "false");
      default -> b.append(r.nextInt(4) == 0 ? "null" : "\n 7 ");
    }
  }

  private static byte[] mutate(byte[] f, Random r) {
    if (f.length == 0) {
      return f;
    }
    int at = r.nextInt(f.length);
    byte[] pool = "\"\\{}[],:0123456789-+.eE tfnu\u0000\n".getBytes(StandardCharsets.ISO_8859_1);
    byte b = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : pool[r.nextInt(pool.length)];
    byte[] o;
    switch (r.nextInt(4)) {
      case 0 -> {
        o = f.clone();
        o[at] = b;
      }
      case 1 -> {
        o = new byte[f.length + 1];
        System.arraycopy(f, 0, o, 0, at);
        o[at] = b;
        System.arraycopy(f, at, o, at + 1, f.length - at);
      }
      case 2 -> {
        o = new byte[f.length - 1];
        System.arraycopy(f, 0, o, 0, at);
        System.arraycopy(f, at + 1, o, at, f.length - at - 1);
      }
      default -> o = java.util.Arrays.copyOf(f, at);
    }
    return o;
  }
}
