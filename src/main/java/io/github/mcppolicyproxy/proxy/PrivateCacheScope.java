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
 * {@code "private"} (this client only), by replacing those bytes alone. {@code ttlMs} is left as
 * the server gave it: the filtered list changes only with the policy, and a policy change is
 * announced with {@code notifications/tools/list_changed}, which ends any cached list.
 */
final class PrivateCacheScope {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE)
          .maxStringLength(Integer.MAX_VALUE).maxNumberLength(Integer.MAX_VALUE).build())
      .build();
  private static final byte[] PRIVATE = "\"private\"".getBytes(StandardCharsets.US_ASCII);

  private PrivateCacheScope() {}

  /** {@code frame} with a public {@code result.cacheScope} made private; the same array if none. */
  static byte[] apply(byte[] frame) throws IOException {
    try (JsonParser p = FACTORY.createParser(frame)) {
      if (p.nextToken() != JsonToken.START_OBJECT || !JsonMembers.seek(p, "result")
          || p.currentToken() != JsonToken.START_OBJECT) {
        return frame;
      }
      String n;
      int start = -1;
      int end = -1;
      while ((n = p.nextFieldName()) != null) {
        JsonToken v = p.nextToken();
        if (n.equals("cacheScope") && v == JsonToken.VALUE_STRING) {
          if ("public".equals(p.getText())) {
            start = (int) p.currentTokenLocation().getByteOffset();
            end = (int) p.currentLocation().getByteOffset();
          } else {
            start = -1; // a repeated member: the last one counts, as for most readers
          }
        } else {
          p.skipChildren();
        }
      }
      if (start < 0) {
        return frame;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length + 1);
      out.write(frame, 0, start);
      out.write(PRIVATE);
      out.write(frame, end, frame.length - end);
      return out.toByteArray();
    }
  }

}
