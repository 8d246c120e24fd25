package io.github.mcppolicyproxy.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A list answer the proxy filtered is no longer the server's public list: under 2026-07-28 its
 * {@code result.cacheScope} of {@code "public"} (shareable between clients) becomes
 * {@code "private"} (this client only), by replacing those bytes alone. Its {@code ttlMs} says how
 * long the list stays fresh, but the proxy's part of it (which tools are removed) changes whenever
 * a live policy is reloaded (a file change or SIGHUP, at any moment): with a live policy a positive
 * {@code ttlMs} becomes {@code 0} ("immediately stale; the client may fetch it again whenever it
 * needs it"). With a fixed policy the filtered list changes only with the server's, and the
 * server's {@code ttlMs} stays.
 */
final class PrivateCacheScope {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE)
          .maxStringLength(Integer.MAX_VALUE).maxNumberLength(Integer.MAX_VALUE).build())
      .build();
  private static final byte[] PRIVATE = "\"private\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ZERO = "0".getBytes(StandardCharsets.US_ASCII);

  private PrivateCacheScope() {}

  /**
   * {@code frame} with a public {@code result.cacheScope} made private and, when
   * {@code livePolicy}, a positive {@code result.ttlMs} made 0; the same array if neither is there.
   */
  static byte[] apply(byte[] frame, boolean livePolicy) throws IOException {
    int[] scope = {-1, -1};
    int[] ttl = {-1, -1};
    try (JsonParser p = FACTORY.createParser(frame)) {
      if (p.nextToken() != JsonToken.START_OBJECT || !JsonMembers.seek(p, "result")
          || p.currentToken() != JsonToken.START_OBJECT) {
        return frame;
      }
      String n;
      while ((n = p.nextFieldName()) != null) {
        JsonToken v = p.nextToken();
        if (n.equals("cacheScope") && v == JsonToken.VALUE_STRING) {
          // a repeated member: the last one counts, as for most readers
          mark(scope, p, "public".equals(p.getText()));
        } else if (n.equals("ttlMs") && v.isNumeric()) {
          mark(ttl, p, livePolicy && p.getDecimalValue().signum() > 0);
        } else {
          p.skipChildren();
        }
      }
    }
    if (scope[0] < 0 && ttl[0] < 0) {
      return frame;
    }
    boolean scopeFirst = ttl[0] < 0 || scope[0] >= 0 && scope[0] < ttl[0];
    ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length + 1);
    int at = 0;
    at = cut(out, frame, at, scopeFirst ? scope : ttl, scopeFirst ? PRIVATE : ZERO);
    at = cut(out, frame, at, scopeFirst ? ttl : scope, scopeFirst ? ZERO : PRIVATE);
    out.write(frame, at, frame.length - at);
    return out.toByteArray();
  }

  /** Records the byte range of the current value when {@code replace}, else forgets any earlier one. */
  private static void mark(int[] range, JsonParser p, boolean replace) {
    range[0] = replace ? (int) p.currentTokenLocation().getByteOffset() : -1;
    range[1] = replace ? (int) p.currentLocation().getByteOffset() : -1;
  }

  private static int cut(ByteArrayOutputStream out, byte[] frame, int at, int[] range,
      byte[] with) {
    if (range[0] < 0) {
      return at;
    }
    out.write(frame, at, range[0] - at);
    out.write(with, 0, with.length);
    return range[1];
  }
}
