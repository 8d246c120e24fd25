package io.github.mcppolicyproxy.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Removes from a {@code tools/list} answer the tools the policy always refuses, by cutting their
 * bytes out of {@code result.tools}: every other byte of the frame (ids, number spellings, vendor
 * members, {@code nextCursor}, the kept tools themselves) is passed on exactly as the upstream
 * wrote it. A frame from which nothing is removed is returned as the same array.
 */
public final class ToolsListFilter {
  private final JsonFactory factory;
  private final Predicate<String> refused;
  private final boolean livePolicy;

  /** @param refused true for a tool name that must not be shown (by a policy that never changes) */
  public ToolsListFilter(Predicate<String> refused) {
    this(refused, false);
  }

  /**
   * @param refused true for a tool name that must not be shown
   * @param livePolicy true when the policy deciding {@code refused} may be reloaded at any time:
   *     a filtered list is then marked immediately stale (see {@link PrivateCacheScope})
   */
  public ToolsListFilter(Predicate<String> refused, boolean livePolicy) {
    this.refused = Objects.requireNonNull(refused, "refused");
    this.livePolicy = livePolicy;
    this.factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(Integer.MAX_VALUE).maxStringLength(Integer.MAX_VALUE)
        .maxNumberLength(Integer.MAX_VALUE).build()).build();
  }

  /**
   * The frame to send the client in place of {@code frame}.
   *
   * @throws IllegalArgumentException when no tree can be built from the frame (nested too deep, say):
   *     it cannot be shown that it lists no hidden tool, so it must not be passed on
   */
  public byte[] filter(byte[] frame) {
    try {
      return cut(frame);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("unreadable tools/list answer: "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
    }
  }

  private byte[] cut(byte[] frame) throws IOException {
    try (JsonParser p = factory.createParser(frame)) {
      if (p.nextToken() != JsonToken.START_OBJECT || !JsonMembers.seek(p, "result")
          || p.currentToken() != JsonToken.START_OBJECT || !JsonMembers.seek(p, "tools")
          || p.currentToken() != JsonToken.START_ARRAY) {
        return frame;
      }
      int open = (int) p.currentTokenLocation().getByteOffset();
      List<int[]> kept = new ArrayList<>();
      boolean removed = false;
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        int start = (int) p.currentTokenLocation().getByteOffset();
        boolean refuse = t == JsonToken.START_OBJECT ? refusedTool(p) : skip(p, t);
        int end = (int) p.currentLocation().getByteOffset();
        if (refuse) {
          removed = true;
        } else {
          kept.add(new int[] {start, end});
        }
      }
      int close = (int) p.currentTokenLocation().getByteOffset();
      if (!removed) {
        return frame;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length);
      out.write(frame, 0, open + 1);
      for (int i = 0; i < kept.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        out.write(frame, kept.get(i)[0], kept.get(i)[1] - kept.get(i)[0]);
      }
      out.write(frame, close, frame.length - close);
      return PrivateCacheScope.apply(out.toByteArray(), livePolicy);
    }
  }


  /** Reads one tool object to its end: the refused state of its {@code name} (any, if repeated). */
  private boolean refusedTool(JsonParser p) throws IOException {
    boolean refuse = false;
    String n;
    while ((n = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      if (n.equals("name") && v == JsonToken.VALUE_STRING) {
        refuse |= refused.test(p.getText()); // a repeated name cannot smuggle a refused tool
      } else {
        p.skipChildren();
      }
    }
    return refuse;
  }

  private static boolean skip(JsonParser p, JsonToken t) throws IOException {
    if (t.isStructStart()) {
      p.skipChildren();
    } else {
      p.finishToken();
    }
    return false;
  }
}
