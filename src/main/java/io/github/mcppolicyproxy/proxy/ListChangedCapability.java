package io.github.mcppolicyproxy.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * While the policy can change under a session, the proxy may send the client
 * {@code notifications/tools/list_changed} itself; a client that honours capabilities only listens
 * when the server declared {@code tools.listChanged}. This adds {@code "listChanged":true} to the
 * {@code result.capabilities.tools} object of an {@code initialize} answer that lacks the member,
 * by inserting those bytes: every other byte passes as the upstream wrote it. An answer without a
 * {@code tools} capability (no tools to change), one that says {@code listChanged} either way, or
 * one that cannot be read is returned unchanged (the same array).
 */
public final class ListChangedCapability {
  private static final byte[] MEMBER = "\"listChanged\":true".getBytes(StandardCharsets.US_ASCII);
  private final JsonFactory factory = JsonFactory.builder().streamReadConstraints(
      StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build()).build();

  /** The {@code initialize} answer to send the client in place of {@code frame}. */
  public byte[] declare(byte[] frame) {
    try (JsonParser p = factory.createParser(frame)) {
      if (p.nextToken() != JsonToken.START_OBJECT || !JsonMembers.seek(p, "result")
          || p.currentToken() != JsonToken.START_OBJECT || !JsonMembers.seek(p, "capabilities")
          || p.currentToken() != JsonToken.START_OBJECT || !JsonMembers.seek(p, "tools")
          || p.currentToken() != JsonToken.START_OBJECT) {
        return frame;
      }
      int open = (int) p.currentTokenLocation().getByteOffset();
      boolean members = false;
      String n;
      while ((n = p.nextFieldName()) != null) {
        if (n.equals("listChanged")) {
          return frame;
        }
        members = true;
        p.nextToken();
        p.skipChildren();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length + MEMBER.length + 1);
      out.write(frame, 0, open + 1);
      out.writeBytes(MEMBER);
      if (members) {
        out.write(',');
      }
      out.write(frame, open + 1, frame.length - open - 1);
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      return frame;
    }
  }

}
