package io.github.mcppolicyproxy.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * SHA-256 of a JSON value in canonical form (object members sorted by name, no whitespace, numbers
 * as parsed), so that the same arguments hash the same however they were spelled.
 */
public final class Canonical {
  private static final JsonFactory FACTORY = new ObjectMapper().getFactory();

  private Canonical() {}

  /** Hex SHA-256 of {@code node}'s canonical form. */
  public static String sha256(JsonNode node) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
    try (JsonGenerator g = FACTORY.createGenerator(
        new DigestOutputStream(OutputStream.nullOutputStream(), md))) {
      write(g, node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** The top-level member names of an object, sorted. */
  public static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    Collections.sort(keys);
    return keys;
  }

  private static boolean isNonFinite(JsonNode n) {
    return (n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue());
  }

  private static void write(JsonGenerator g, JsonNode n) throws IOException {
    if (n.isObject()) {
      List<String> names = keys(n);
      g.writeStartObject();
      for (String name : names) {
        g.writeFieldName(name);
        write(g, n.get(name));
      }
      g.writeEndObject();
    } else if (n.isArray()) {
      g.writeStartArray();
      for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
        write(g, it.next());
      }
      g.writeEndArray();
    } else if (n.isNumber() && !isNonFinite(n)) {
      // every number by value, whatever node type the parser chose: 1, 1.0 and 1e0 are one
      g.writeNumber(n.decimalValue().stripTrailingZeros().toString());
    } else {
      g.writeTree(n);
    }
  }
}
