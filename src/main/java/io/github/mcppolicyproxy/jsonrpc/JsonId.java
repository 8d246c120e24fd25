package io.github.mcppolicyproxy.jsonrpc;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A JSON-RPC id as it appeared on the wire ({@code raw}, echoed back unchanged in answers) and a
 * {@code key} under which equal ids compare equal whatever their spelling ({@code 1}, {@code 1.0}
 * and {@code 1e0} are one number; {@code "a"} and {@code "\u0061"} one string).
 *
 * <p>Keys of different kinds never meet: a string's is {@code s:} and its value; a number's is
 * its value as {@code BigDecimal.stripTrailingZeros().toString()} writes it ({@code 1}, {@code -5},
 * {@code 1.2E+2}, {@code 0.5}: never starting with a letter), so the plain integers most clients
 * send are their own key and no key is made for them; the null id's is {@code null}; an id that is
 * neither (only the general scanner reports one) {@code invalid:} and its text.
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
    if (isPlainInteger(raw)) {
      return new JsonId(raw, raw); // what the general case gives it, without a BigDecimal
    }
    String integer = integerKey(raw);
    if (integer != null) {
      return new JsonId(raw, integer);
    }
    String key;
    try {
      key = new BigDecimal(raw).stripTrailingZeros().toString();
    } catch (NumberFormatException e) {
      key = "n:" + raw; // an exponent out of BigDecimal's range: kept apart from every other key
    }
    return new JsonId(raw, key);
  }

  /**
   * The key of an integer with trailing zeros (18 digits at most, no leading zero), as
   * {@code BigDecimal.stripTrailingZeros().toString()} writes it ({@code 120} is {@code 1.2E+2})
   * without making one; null for any other number.
   */
  private static String integerKey(String raw) {
    int start = raw.startsWith("-") ? 1 : 0;
    int len = raw.length() - start;
    if (len < 2 || len > 18 || raw.charAt(start) == '0') {
      return null;
    }
    for (int i = start; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    int last = raw.length() - 1;
    while (raw.charAt(last) == '0') {
      last--;
    }
    int zeros = raw.length() - 1 - last;
    StringBuilder k = new StringBuilder(len + 6).append(raw, 0, start + 1);
    if (last > start) {
      k.append('.').append(raw, start + 1, last + 1);
    }
    return k.append("E+").append(zeros + last - start).toString();
  }

  /**
   * True for an integer written as {@code BigDecimal.stripTrailingZeros().toString()} writes it:
   * an optional minus, no leading zero, no trailing zero (100 is {@code 1E+2} there), 18 digits
   * at most; or {@code 0}.
   */
  private static boolean isPlainInteger(String raw) {
    int start = raw.startsWith("-") ? 1 : 0;
    int len = raw.length() - start;
    if (len < 1 || len > 18) {
      return false;
    }
    if (raw.equals("0")) {
      return true;
    }
    if (raw.charAt(start) == '0' || raw.charAt(raw.length() - 1) == '0') {
      return false;
    }
    for (int i = start; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  public boolean isNull() {
    return "null".equals(key);
  }
}
