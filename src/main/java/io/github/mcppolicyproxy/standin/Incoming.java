package io.github.mcppolicyproxy.standin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.Objects;

/**
 * One frame received from the client, with its id kept as the exact JSON text it arrived in, so
 * that answers echo {@code 7}, {@code 7.0} and {@code "7"} each as sent.
 *
 * @param tree the whole frame
 * @param rawId the id's JSON text, or {@code null} when the frame has no id
 */
record Incoming(JsonNode tree, String rawId) {

  Incoming {
    Objects.requireNonNull(tree, "tree");
  }

  /** Parses a line; throws {@link JsonProcessingException} when it is not one JSON object. */
  static Incoming parse(String line, ObjectMapper json) throws IOException {
    JsonNode tree = json.readTree(line);
    if (tree == null || !tree.isObject()) {
      throw new JsonProcessingException("frame is not a JSON object") {
        private static final long serialVersionUID = 1L;
      };
    }
    return new Incoming(tree, rawId(line, json));
  }

  private static String rawId(String line, ObjectMapper json) throws IOException {
    try (JsonParser parser = json.getFactory().createParser(line)) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("id".equals(name) && value.isScalarValue()) {
          int start = (int) parser.currentTokenLocation().getCharOffset();
          parser.getText(); // completes a lazily read string so that the end offset is known
          int end = (int) parser.currentLocation().getCharOffset();
          return line.substring(start, end).strip();
        }
        parser.skipChildren();
      }
      return null;
    }
  }

  String method() {
    JsonNode method = tree.get("method");
    return method != null && method.isTextual() ? method.asText() : null;
  }

  JsonNode id() {
    JsonNode id = tree.get("id");
    return id == null ? MissingNode.getInstance() : id;
  }

  JsonNode params() {
    JsonNode params = tree.get("params");
    return params == null ? MissingNode.getInstance() : params;
  }

  boolean isRequest() {
    return method() != null && rawId != null;
  }

  boolean isNotification() {
    return method() != null && rawId == null;
  }

  boolean isResponse() {
    return method() == null && rawId != null && (tree.has("result") || tree.has("error"));
  }

  /** The protocol revision named in {@code params._meta}, as 2026-07-28 requests carry it. */
  String metaProtocolVersion() {
    return params().path("_meta").path("io.modelcontextprotocol/protocolVersion").asText(null);
  }
}
