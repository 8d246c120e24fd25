package io.github.mcppolicyproxy.jsonrpc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Builds the frames the proxy writes itself: JSON-RPC results and errors answering a given id.
 * The id is written back exactly as it was received. Thread-safe.
 */
public final class Replies {
  /** JSON-RPC 2.0: invalid JSON was received. */
  public static final int PARSE_ERROR = -32700;
  /** JSON-RPC 2.0: the JSON sent is not a valid request object. */
  public static final int INVALID_REQUEST = -32600;
  /** JSON-RPC 2.0: invalid method parameters. */
  public static final int INVALID_PARAMS = -32602;
  /** JSON-RPC 2.0: internal error. */
  public static final int INTERNAL_ERROR = -32603;
  /** The policy refused the call (only with the error refusal style). */
  public static final int POLICY_REFUSED = -32001;
  /** The upstream server is not running (could not start, or exited before answering). */
  public static final int UPSTREAM_UNAVAILABLE = -32002;
  /** A frame exceeded the configured maximum size. */
  public static final int FRAME_TOO_LARGE = -32003;
  /** Too many requests are waiting for the upstream. */
  public static final int TOO_MANY_PENDING = -32004;

  private final ObjectMapper mapper;

  public Replies(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /** {@code {"jsonrpc":"2.0","id":ID,"result":RESULT}}. */
  public byte[] result(JsonId id, JsonNode result) {
    return write(id, g -> {
      g.writeFieldName("result");
      mapper.writeTree(g, result);
    });
  }

  /** {@code {"jsonrpc":"2.0","id":ID,"error":{"code":C,"message":M[,"data":D]}}}. */
  public byte[] error(JsonId id, int code, String message, JsonNode data) {
    return write(id, g -> {
      g.writeObjectFieldStart("error");
      g.writeNumberField("code", code);
      g.writeStringField("message", message);
      if (data != null) {
        g.writeFieldName("data");
        mapper.writeTree(g, data);
      }
      g.writeEndObject();
    });
  }

  /** An error without data. */
  public byte[] error(JsonId id, int code, String message) {
    return error(id, code, message, null);
  }

  /** Serializes a node as one compact frame. */
  public byte[] frame(JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private byte[] write(JsonId id, Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("jsonrpc", "2.0");
      g.writeFieldName("id");
      g.writeRawValue(id == null ? "null" : id.raw());
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A JSON-RPC batch: the frames {@code parts}, each already whole JSON, as one array frame. */
  public static byte[] batch(java.util.List<byte[]> parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write('[');
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        b.write(',');
      }
      b.writeBytes(parts.get(i));
    }
    b.write(']');
    return b.toByteArray();
  }
}
