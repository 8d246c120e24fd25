package io.github.mcppolicyproxy.jsonrpc;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A JSON-RPC id as it appeared on the wire ({@code raw}, echoed back unchanged in answers) and a
 * {@code key} under which equal ids compare equal whatever their spelling ({@code 1}, {@code 1.0}
 * and {@code 1e0} are one number; {@code "a"} and {@code "\u0061"} one string).
 */
public record JsonId(String raw, String key) {
  /** The JSON {@code null} id. */
  public static final JsonId NULL = new JsonId("null", "null");

  public JsonId {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(key, "key");
  }

  /** An id that was a JSON string; {@code raw} is its exact source text including quotes. */
  public static JsonId ofString(String raw, String value) {
    return new JsonId(raw, "s:" + value);
  }

  /** An id that was a JSON number; {@code raw} is its exact source text. */
  public static JsonId ofNumber(String raw) {
    String key;
    try {
      key = "n:" + new BigDecimal(raw).stripTrailingZeros().toString();
    } catch (NumberFormatException e) {
      key = "n:" + raw;
    }
    return new JsonId(raw, key);
  }

  public boolean isNull() {
    return "null".equals(key);
  }
}
