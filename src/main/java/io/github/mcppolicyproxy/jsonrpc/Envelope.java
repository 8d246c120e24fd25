package io.github.mcppolicyproxy.jsonrpc;

import java.util.List;
import java.util.Objects;

/**
 * What a streaming scan learned about one frame without building it: its kind, method and id, and
 * where its parts lie in the frame's bytes.
 *
 * @param kind what the frame is
 * @param method the method of a request or notification, else null
 * @param id the id of a request or response (may be {@link JsonId#NULL}), null when absent
 * @param duplicateKey a top-level member name that appears twice, else null
 * @param problem why the frame is {@link Kind#INVALID}, else null
 * @param elements for a batch, the byte range of each element, else empty
 */
public record Envelope(
    Kind kind, String method, JsonId id, String duplicateKey, String problem, List<Range> elements) {

  /** The kinds of frame. */
  public enum Kind {
    /** An object with a method and an id. */
    REQUEST,
    /** An object with a method and no id. */
    NOTIFICATION,
    /** An object with {@code result} or {@code error} and no method. */
    RESPONSE,
    /** A JSON array (a JSON-RPC batch). */
    BATCH,
    /** Valid JSON that is not a JSON-RPC message (no method, no result, no error; or not an object). */
    OTHER,
    /** Not valid JSON (or not valid UTF-8). */
    INVALID
  }

  /** A half-open byte range {@code [start, end)}. */
  public record Range(int start, int end) {
    public Range {
      if (start < 0 || end < start) {
        throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
      }
    }
  }

  public Envelope {
    Objects.requireNonNull(kind, "kind");
    elements = List.copyOf(elements);
  }

  static Envelope invalid(String problem) {
    return new Envelope(Kind.INVALID, null, null, null, problem, List.of());
  }

  public boolean isRequest() {
    return kind == Kind.REQUEST;
  }

  public boolean hasMethod(String m) {
    return m.equals(method);
  }
}
