package io.github.mcppolicyproxy.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.errors.Failures;
import io.github.mcppolicyproxy.jsonrpc.QuickTree;
import io.github.mcppolicyproxy.jsonrpc.Utf8;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a policy file's bytes as JSON, strictly (a duplicate key is an error), and remembers the
 * line and column of every member and array element by JSON Pointer, so that problems found later
 * can say where they are. Thread-safe.
 *
 * <p>The tree is built from jackson-core's parser with {@link JsonNodeFactory}, the nodes an
 * {@code ObjectMapper}'s {@code readTree} makes (held equal to it by PolicyJsonTreeTest), without
 * an {@code ObjectMapper}: building the first one costs a start ~35 ms of CPU (its date format
 * reads the locale and time-zone data), on the path to the client's first answer. A well-formed
 * file is read by {@link QuickTree} first, the strict reader the proxy judges {@code tools/call}
 * frames by, which makes the same nodes three to four times faster in a start's cold JVM (a
 * 1,000-rule policy of 192 KB: ~20 against ~60-90 ms); whatever it leaves (malformed UTF-8 or
 * JSON, a repeated key, a fraction, deep nesting) is read by jackson-core as before, which words
 * the problem.
 */
final class PolicyJson {
  /**
   * A parsed file: its tree and where each pointer starts ({@code {line, column}}), found on the
   * first look only: a file without problems never needs it (a second pass over the file).
   */
  record Located(JsonNode root, java.util.function.Supplier<Map<String, int[]>> at) {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonFactory strictFactory;

  PolicyJson() {
    this.strictFactory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
  }

  /** The factory whose parser reads policies (a duplicate key is an error). */
  JsonFactory factory() {
    return strictFactory;
  }

  /** The tree of {@code bytes}; a text that is not JSON is a problem with the parser's position. */
  Located read(String source, byte[] bytes) throws PolicyException {
    JsonNode root;
    try {
      root = tree(bytes);
    } catch (StreamReadException e) {
      JsonLocation at = e.getLocation();
      throw new PolicyException(List.of(new PolicyProblem(source, pointerOf(e),
          "is not valid JSON: " + e.getOriginalMessage(),
          at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr())));
    } catch (IOException e) {
      throw new PolicyException(List.of(new PolicyProblem(
          source, "", "is not valid JSON: " + Failures.io(e), 0, 0)));
    }
    if (root == null || root.isMissingNode()) {
      throw new PolicyException(List.of(new PolicyProblem(
          source, "", "is empty: expected a JSON object with version and default", 0, 0)));
    }
    java.util.concurrent.atomic.AtomicReference<Map<String, int[]>> found =
        new java.util.concurrent.atomic.AtomicReference<>();
    return new Located(root, () -> found.updateAndGet(m -> m != null ? m : locations(bytes)));
  }

  /**
   * The first JSON value of {@code bytes} as a tree, or null when there is none: what {@code
   * readTree} of an {@code ObjectMapper} on this factory returns (null for MissingNode), trailing
   * text left unread as it leaves it.
   */
  JsonNode tree(byte[] bytes) throws IOException {
    if (Utf8.firstInvalid(bytes, 0, bytes.length) == -1) { // QuickTree decodes without checking
      JsonNode quick = QuickTree.read(bytes, 0, bytes.length);
      if (quick != null) {
        return quick;
      }
    }
    try (JsonParser p = strictFactory.createParser(bytes)) {
      JsonToken t = p.nextToken();
      return t == null ? null : value(p, t);
    }
  }

  private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
    if (t == null) { // the parser reports an unfinished value itself; this is a second guard
      throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "unexpected end of input");
    }
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          o.set(name, value(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
          a.add(value(p, e));
        }
        return a;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new IllegalStateException("unexpected token " + t); // the parser's own
    }
  }

  /** Where the parser was when it gave up (a duplicate key: the key's pointer), or "" if unknown. */
  private static String pointerOf(StreamReadException e) {
    JsonParser p = e.getProcessor();
    if (p != null && p.getParsingContext() != null) {
      return p.getParsingContext().pathAsPointer().toString();
    }
    return "";
  }

  private Map<String, int[]> locations(byte[] bytes) {
    Map<String, int[]> at = new HashMap<>();
    try (JsonParser p = strictFactory.createParser(bytes)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME || p.getParsingContext().inArray()) {
          JsonLocation l = p.currentTokenLocation();
          at.putIfAbsent(p.getParsingContext().pathAsPointer().toString(),
              new int[] {l.getLineNr(), l.getColumnNr()});
        }
      }
    } catch (IOException e) {
      // already parsed once; locations are a courtesy
    }
    return at;
  }
}
