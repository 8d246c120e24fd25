package io.github.mcppolicyproxy.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What telemetry needs of one JSON-RPC message: its id, method, the tool called and the trace
 * context in {@code params._meta}, or the error of an answer. Read leniently with a streaming
 * parser that skips arguments and results: a frame that is cut short or malformed gives what was
 * read before the problem (telemetry never judges a frame; the policy does).
 *
 * @param idKey the id as {@link JsonId#key()} spells it (equal ids compare equal), or null
 * @param idText the id as a string ({@code jsonrpc.request.id}): a string's value, a number's text
 * @param method the method, or null for an answer
 * @param tool {@code params.name}
 * @param traceparent {@code params._meta.traceparent}
 * @param tracestate {@code params._meta.tracestate}
 * @param protocolVersion {@code params._meta["io.modelcontextprotocol/protocolVersion"]} of a
 *     request, or {@code result.protocolVersion} of an answer (the one to {@code initialize})
 * @param errorCode the code of a JSON-RPC error answer, as written
 * @param errorMessage its message
 * @param toolError true for a result with {@code isError: true}
 * @param answer true for an answer (a {@code result} or {@code error} member and no method)
 */
public record FrameFacts(String idKey, String idText, String method, String tool,
    String traceparent, String tracestate, String protocolVersion, String errorCode,
    String errorMessage, boolean toolError, boolean answer) {
  private static final JsonFactory JSON = new JsonFactory();

  /** True for a request (a method and an id). */
  public boolean isRequest() {
    return method != null && idKey != null;
  }

  /** The messages of a frame (one, or the elements of a batch). */
  public static List<FrameFacts> of(byte[] frame, int length) {
    List<FrameFacts> out = new ArrayList<>(1);
    try (JsonParser p = JSON.createParser(frame, 0, length)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT) {
        out.add(message(p));
      } else if (t == JsonToken.START_ARRAY) {
        while (p.nextToken() == JsonToken.START_OBJECT) {
          out.add(message(p));
        }
      }
    } catch (IOException | RuntimeException e) {
      // cut short or malformed: what was read is kept (see message)
    }
    return out;
  }

  private static FrameFacts message(JsonParser p) throws IOException {
    Builder b = new Builder();
    try {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "id" -> b.id(p, v);
          case "method" -> b.method = v == JsonToken.VALUE_STRING ? p.getText() : null;
          case "params" -> b.params(p, v);
          case "result" -> {
            b.answer = true;
            b.result(p, v);
          }
          case "error" -> {
            b.answer = true;
            b.error(p, v);
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      return b.build(); // what was read before the frame was cut short
    }
    return b.build();
  }

  private static final class Builder {
    String idKey;
    String idText;
    String method;
    String tool;
    String traceparent;
    String tracestate;
    String protocolVersion;
    String errorCode;
    String errorMessage;
    boolean toolError;
    boolean answer;

    void id(JsonParser p, JsonToken v) throws IOException {
      if (v == JsonToken.VALUE_STRING) {
        idText = p.getText();
        idKey = "s:" + idText;
      } else if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
        idText = p.getText();
        idKey = JsonId.ofNumber(idText).key();
      } else {
        p.skipChildren();
      }
    }

    void params(JsonParser p, JsonToken v) throws IOException {
      if (v != JsonToken.START_OBJECT) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals("name") && t == JsonToken.VALUE_STRING) {
          tool = p.getText();
        } else if (name.equals("_meta") && t == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken m = p.nextToken();
            String text = m == JsonToken.VALUE_STRING ? p.getText() : null;
            switch (key) {
              case "traceparent" -> traceparent = text;
              case "tracestate" -> tracestate = text;
              case "io.modelcontextprotocol/protocolVersion" -> protocolVersion = text;
              default -> p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
    }

    void result(JsonParser p, JsonToken v) throws IOException {
      if (v != JsonToken.START_OBJECT) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals("isError")) {
          toolError = t == JsonToken.VALUE_TRUE;
        } else if (name.equals("protocolVersion") && t == JsonToken.VALUE_STRING) {
          protocolVersion = p.getText();
        } else {
          p.skipChildren();
        }
      }
    }

    void error(JsonParser p, JsonToken v) throws IOException {
      if (v != JsonToken.START_OBJECT) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals("code") && t.isNumeric()) {
          errorCode = p.getText();
        } else if (name.equals("message") && t == JsonToken.VALUE_STRING) {
          errorMessage = p.getText();
        } else {
          p.skipChildren();
        }
      }
    }

    FrameFacts build() {
      return new FrameFacts(idKey, idText, answer ? null : method, tool, traceparent, tracestate,
          protocolVersion, errorCode, errorMessage, toolError, answer && method == null);
    }
  }
}
