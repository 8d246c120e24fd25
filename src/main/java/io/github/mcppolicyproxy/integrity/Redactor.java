package io.github.mcppolicyproxy.integrity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces credentials in the {@code result} (or {@code error}) of a JSON-RPC answer with {@link SecretText#MARKER},
 * cutting only the bytes of the values it replaces: every other byte stays as the upstream wrote
 * it, and an answer with nothing to redact is returned as the same array after one byte pass
 * ({@link Triggers}) and, only when that pass sees a trigger, one streaming parse.
 *
 * <p>Replaced: the string or number value of a member with a secret name
 * ({@link SecretText#isSecretName}, compared after JSON escapes are decoded), and secrets inside
 * any string ({@link SecretText#find}). A string that is itself JSON (a text content holding the
 * result as JSON, the AWS server's {@code as_json}) is redacted as JSON, to a depth of
 * {@value #MAX_DEPTH} layers. Thread-safe.
 */
public final class Redactor {
  /** How many layers of JSON inside strings are opened. */
  static final int MAX_DEPTH = 4;

  /** One replaced value: where it was and what it was taken for. */
  public record Redaction(String path, String kind) {}

  /** The answer to send and what was replaced in it; the same array when nothing was. */
  public record Outcome(byte[] frame, List<Redaction> redactions) {
    public boolean changed() {
      return !redactions.isEmpty();
    }
  }

  private static final byte[] MARKER_JSON = quote(SecretText.MARKER);
  private final JsonFactory factory = JsonFactory.builder().streamReadConstraints(
      StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE)
          .maxStringLength(Integer.MAX_VALUE).maxNumberLength(Integer.MAX_VALUE).build()).build();

  /**
   * The answer {@code frame} with the secrets in its {@code result} replaced.
   *
   * @throws IllegalArgumentException when the frame cannot be read as JSON: it cannot be shown
   *     to hold no secret, so it must not be passed on
   */
  public Outcome redact(byte[] frame) {
    return redact(frame, RESULT);
  }

  /**
   * {@link #redact(byte[])} for a frame that {@link Triggers} already looked at: {@code triggered}
   * false means nothing in it can be redacted, and the frame is passed as it is without a look of
   * its own; true, that it is read as {@code redact} would after its look.
   */
  public Outcome redact(byte[] frame, boolean triggered) {
    return triggered ? read(frame, RESULT) : new Outcome(frame, List.of());
  }

  /**
   * Starts the look of {@link Triggers} at a large {@code frame} on a thread of its own, so that it
   * runs while the caller reads the frame's envelope: its answer is then at hand when the frame
   * turns out to be a result (see {@link #redact(byte[], boolean)}); cancel it when it is not.
   * Null for a frame under {@link Triggers#SPLIT_BYTES} (looked at when needed, faster than a hand-off).
   */
  public static java.util.concurrent.Future<Boolean> lookAhead(byte[] frame) {
    if (frame.length < Triggers.SPLIT_BYTES) {
      return null;
    }
    java.util.concurrent.FutureTask<Boolean> look =
        new java.util.concurrent.FutureTask<>(() -> Triggers.in(frame, 0, frame.length));
    return Triggers.lookAhead(look) ? look : null;
  }

  /**
   * The notification {@code frame} with the secrets in its {@code params} replaced: a task status
   * notification of 2026-07-28 ({@code notifications/tasks}) carries the task's result there.
   *
   * @throws IllegalArgumentException when the frame cannot be read as JSON
   */
  public Outcome redactParams(byte[] frame) {
    return redact(frame, PARAMS);
  }

  private static final java.util.Set<String> RESULT = java.util.Set.of("result", "error");
  private static final java.util.Set<String> PARAMS = java.util.Set.of("params");

  private Outcome redact(byte[] frame, java.util.Set<String> members) {
    if (!Triggers.in(frame, 0, frame.length)) {
      return new Outcome(frame, List.of());
    }
    return read(frame, members);
  }

  /** The frame read for secrets in {@code members}, redacted (its trigger look said it may hold one). */
  private Outcome read(byte[] frame, java.util.Set<String> members) {
    List<Redaction> found = new ArrayList<>();
    try {
      byte[] out = layer(frame, "", 0, members, found);
      return new Outcome(out == null ? frame : out, List.copyOf(found));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("unreadable answer: "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
    }
  }

  /** A stretch of bytes to replace. */
  private record Cut(int start, int end, byte[] with) {}

  /** One open object or array on the way down: the path segment that leads into it. */
  private static final class Level {
    final String key; // the member name that leads into it, or null for an array element
    final int keyIndex; // the array index that leads into it
    final boolean array;
    int index; // of the next element, in an array
    String name; // of the current member, in an object

    Level(Level parent, boolean array) {
      this.key = parent == null || parent.array ? null : parent.name;
      this.keyIndex = parent == null ? -1 : parent.index - 1;
      this.array = array;
    }

    String segment() {
      return key != null ? escape(key) : Integer.toString(keyIndex);
    }
  }

  /**
   * Redacts one JSON text; null when nothing in it changed. With {@code envelope}, only the
   * top-level {@code result} and {@code error} members are looked into.
   */
  private byte[] layer(byte[] json, String prefix, int depth, java.util.Set<String> envelope,
      List<Redaction> found) throws IOException {
    List<Cut> cuts = new ArrayList<>();
    try (JsonParser p = factory.createParser(json)) {
      JsonToken t = p.nextToken();
      if (envelope != null) {
        if (t != JsonToken.START_OBJECT) {
          return null;
        }
        String n;
        while ((n = p.nextFieldName()) != null) {
          JsonToken v = p.nextToken();
          if (envelope.contains(n)) {
            walk(p, v, prefix + "/" + n, depth, cuts, found);
          } else {
            p.skipChildren();
          }
        }
      } else {
        walk(p, t, prefix, depth, cuts, found);
        if (p.nextToken() != null) {
          throw new IOException("trailing content after the JSON value");
        }
      }
    }
    if (cuts.isEmpty()) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length);
    int at = 0;
    for (Cut c : cuts) {
      out.write(json, at, c.start() - at);
      out.write(c.with(), 0, c.with().length);
      at = c.end();
    }
    out.write(json, at, json.length - at);
    return out.toByteArray();
  }

  /** Walks the value starting at token {@code first}, without recursion (any depth). */
  private void walk(JsonParser p, JsonToken first, String root, int depth, List<Cut> cuts,
      List<Redaction> found) throws IOException {
    List<Level> stack = new ArrayList<>();
    JsonToken t = first;
    while (true) {
      if (t == null) {
        throw new IOException("unexpected end of input");
      }
      Level parent = stack.isEmpty() ? null : stack.get(stack.size() - 1);
      if (t == JsonToken.FIELD_NAME) {
        parent.name = p.currentName();
        t = p.nextToken();
        continue;
      }
      if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
        stack.remove(stack.size() - 1);
        if (stack.isEmpty()) {
          return;
        }
        t = p.nextToken();
        continue;
      }
      if (parent != null && parent.array) {
        parent.index++;
      }
      if (t.isStructStart()) {
        stack.add(new Level(parent, t == JsonToken.START_ARRAY));
      } else {
        boolean secretName = parent != null && !parent.array && SecretText.isSecretName(parent.name);
        if (t == JsonToken.VALUE_STRING) {
          int start = (int) p.currentTokenLocation().getByteOffset();
          // most strings hold no trigger: look at the parser's buffer before making a String
          boolean triggered = secretName
              || Triggers.in(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
          String s = triggered ? p.getText() : null;
          int end = (int) p.currentLocation().getByteOffset();
          if (!triggered) {
            // nothing here
          } else if (secretName && !s.isEmpty() && !s.equals(SecretText.MARKER)) {
            cuts.add(new Cut(start, end, MARKER_JSON));
            found.add(new Redaction(path(root, stack), "secret_field"));
          } else if (!secretName) {
            String r = string(s, path(root, stack), depth, found);
            if (r != null) {
              cuts.add(new Cut(start, end, quote(r)));
            }
          }
        } else if (secretName && t.isNumeric()) {
          int start = (int) p.currentTokenLocation().getByteOffset();
          p.finishToken();
          p.getText();
          int end = (int) p.currentLocation().getByteOffset();
          cuts.add(new Cut(start, end, MARKER_JSON));
          found.add(new Redaction(path(root, stack), "secret_field"));
        }
        if (stack.isEmpty()) {
          return;
        }
      }
      t = p.nextToken();
    }
  }

  /** {@code s} with its secrets replaced, or null when it holds none. */
  private String string(String s, String path, int depth, List<Redaction> found)
      throws IOException {
    if (!Triggers.in(s)) {
      return null;
    }
    if (depth + 1 < MAX_DEPTH && looksLikeJson(s)) {
      List<Redaction> inner = new ArrayList<>();
      byte[] out;
      try {
        out = layer(s.getBytes(StandardCharsets.UTF_8), path + "!", depth + 1, null, inner);
      } catch (IOException | RuntimeException notJson) {
        out = null;
        inner = null; // not JSON after all: read as text below
      }
      if (inner != null) {
        found.addAll(inner);
        return out == null ? null : new String(out, StandardCharsets.UTF_8);
      }
    }
    List<SecretText.Span> spans = SecretText.find(s);
    if (spans.isEmpty()) {
      return null;
    }
    for (SecretText.Span sp : spans) {
      found.add(new Redaction(path, sp.kind()));
    }
    return SecretText.replace(s, spans);
  }

  private static boolean looksLikeJson(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '{' || c == '[') {
        return true;
      }
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return false;
      }
    }
    return false;
  }

  /** The path of the scalar just read, inside the innermost level of {@code stack}. */
  private static String path(String root, List<Level> stack) {
    StringBuilder b = new StringBuilder(root);
    for (int i = 1; i < stack.size(); i++) {
      b.append('/').append(stack.get(i).segment());
    }
    if (!stack.isEmpty()) {
      Level in = stack.get(stack.size() - 1);
      b.append('/').append(in.array ? Integer.toString(in.index - 1) : escape(in.name));
    }
    return b.toString();
  }

  /** JSON Pointer escaping of one member name. */
  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  private static byte[] quote(String s) {
    byte[] body = JsonStringEncoder.getInstance().quoteAsUTF8(s);
    byte[] q = new byte[body.length + 2];
    q[0] = '"';
    System.arraycopy(body, 0, q, 1, body.length);
    q[q.length - 1] = '"';
    return q;
  }
}
