package io.github.mcppolicyproxy.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.mcppolicyproxy.errors.Failures;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a policy file's bytes as JSON, strictly (a duplicate key is an error), and remembers the
 * line and column of every member and array element by JSON Pointer, so that problems found later
 * can say where they are. Thread-safe.
 */
final class PolicyJson {
  /**
   * A parsed file: its tree and where each pointer starts ({@code {line, column}}), found on the
   * first look only: a file without problems never needs it (a second pass over the file).
   */
  record Located(JsonNode root, java.util.function.Supplier<Map<String, int[]>> at) {}

  private final JsonFactory strictFactory;
  private final ObjectMapper mapper;

  PolicyJson() {
    this.strictFactory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
    this.mapper = JsonMapper.builder(strictFactory).build();
  }

  /** The tree of {@code bytes}; a text that is not JSON is a problem with the parser's position. */
  Located read(String source, byte[] bytes) throws PolicyException {
    JsonNode root;
    try {
      root = mapper.readTree(bytes);
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
