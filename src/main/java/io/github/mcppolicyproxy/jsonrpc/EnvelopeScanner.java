package io.github.mcppolicyproxy.jsonrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifies a frame with one streaming pass: no tree is built and the values of {@code params},
 * {@code result} and {@code error} are skipped, so a 60 MB result costs a scan, not a parse.
 * Validates UTF-8 strictly and the whole frame as JSON (a frame that is not one JSON value is
 * {@link Envelope.Kind#INVALID}). Thread-safe.
 */
public final class EnvelopeScanner {
  /** Deepest nesting a frame may have; a deeper one is {@link Envelope.Kind#INVALID}. */
  public static final int MAX_NESTING = 100_000;

  private final JsonFactory factory;

  /** @param maxFrameBytes frames are never larger than this, so no string or number may be either */
  public EnvelopeScanner(int maxFrameBytes) {
    this.factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    // streaming costs no stack, but each level holds a small context object:
                    // bounded, so a frame of millions of '[' cannot exhaust the heap
                    .maxNestingDepth(MAX_NESTING)
                    .maxStringLength(Math.max(maxFrameBytes, 1))
                    .maxNumberLength(Math.max(maxFrameBytes, 1))
                    .maxNameLength(Math.max(maxFrameBytes, 1))
                    .build())
            .build();
  }

  /** Scans a whole frame. Never throws: anything unreadable is {@link Envelope.Kind#INVALID}. */
  public Envelope scan(byte[] frame) {
    return scan(frame, 0, frame.length);
  }

  /**
   * Scans {@code frame[from, to)}: a common frame in one pass of its own ({@link QuickEnvelope}),
   * any other with Jackson's streaming parser.
   */
  public Envelope scan(byte[] frame, int from, int to) {
    Envelope quick = QuickEnvelope.scan(frame, from, to);
    return quick != null ? quick : scanWithJackson(frame, from, to);
  }

  /** The scan by Jackson's streaming parser, which decides every frame the fast path leaves. */
  Envelope scanWithJackson(byte[] frame, int from, int to) {
    // Jackson guesses UTF-16/32 from NUL bytes and skips a UTF-8 BOM; the upstream reads UTF-8
    // text. JSON in UTF-8 holds neither, so refusing both keeps us reading what the upstream reads.
    int bad = Utf8.firstInvalidOrNul(frame, from, to);
    if (bad >= 0) {
      return Envelope.invalid(frame[bad] == 0 ? "NUL byte at byte " + (bad - from)
          : "invalid UTF-8 at byte " + (bad - from));
    }
    if (to - from >= 3 && (frame[from] & 0xFF) == 0xEF && (frame[from + 1] & 0xFF) == 0xBB
        && (frame[from + 2] & 0xFF) == 0xBF) {
      return Envelope.invalid("byte order mark at the start of the frame");
    }
    try (JsonParser p = factory.createParser(frame, from, to - from)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return Envelope.invalid("empty frame");
      }
      Envelope e;
      if (first == JsonToken.START_OBJECT) {
        e = scanObject(p, frame, from);
      } else if (first == JsonToken.START_ARRAY) {
        e = scanArray(p, from);
      } else {
        p.skipChildren();
        e = new Envelope(Envelope.Kind.OTHER, null, null, null, "not a JSON object", List.of());
      }
      if (p.nextToken() != null) {
        return Envelope.invalid("data after the JSON value");
      }
      return e;
    } catch (StreamReadException ex) {
      return Envelope.invalid(ex.getOriginalMessage());
    } catch (IOException | RuntimeException ex) {
      return Envelope.invalid(String.valueOf(ex.getMessage()));
    }
  }

  /**
   * Finds the top-level {@code id} of a frame of which only the first bytes are at hand (an oversize
   * frame), or null when the prefix does not show one before it ends.
   */
  public JsonId sniffId(byte[] prefix) {
    try (JsonParser p = factory.createParser(prefix)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String name;
      while ((name = p.nextFieldName()) != null) {
        JsonToken value = p.nextToken();
        if (name.equals("id")) {
          JsonId id = readId(p, value, prefix, 0);
          if (value.isNumeric() && p.currentLocation().getByteOffset() >= prefix.length) {
            return null; // the prefix may have cut the number short: 12 of 12345 is another id
          }
          return id.key().startsWith("invalid:") ? null : id;
        }
        p.skipChildren();
      }
    } catch (IOException | RuntimeException e) {
      // the prefix ended (or broke) before an id was seen
    }
    return null;
  }

  private Envelope scanArray(JsonParser p, int base) throws IOException {
    List<Envelope.Range> elements = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw new IOException("unexpected end of array");
      }
      int start = (int) p.currentTokenLocation().getByteOffset();
      if (t.isStructStart()) {
        p.skipChildren();
      } else {
        p.finishToken();
      }
      int end = (int) p.currentLocation().getByteOffset();
      elements.add(new Envelope.Range(base + start, base + end));
    }
    return new Envelope(Envelope.Kind.BATCH, null, null, null, null, elements);
  }

  private Envelope scanObject(JsonParser p, byte[] frame, int base) throws IOException {
    String method = null;
    JsonId id = null;
    boolean hasResultOrError = false;
    String duplicate = null;
    String[] seen = new String[8]; // the top-level names so far: a frame has a handful
    int count = 0;
    boolean hasId = false;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken value = p.nextToken();
      if (duplicate == null && contains(seen, count, name)) {
        duplicate = name;
      }
      if (count == seen.length) {
        seen = java.util.Arrays.copyOf(seen, count * 2);
      }
      seen[count++] = name;
      hasId |= name.equals("id");
      switch (name) {
        case "method" -> {
          if (value == JsonToken.VALUE_STRING) {
            method = p.getText();
          } else {
            p.skipChildren(); // a method that is not a string makes no request
            method = null;
          }
        }
        case "id" -> id = readId(p, value, frame, base);
        case "result", "error" -> {
          hasResultOrError = true;
          p.skipChildren();
        }
        default -> p.skipChildren();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw new IOException("unexpected end of object");
    }
    Envelope.Kind kind;
    if (method != null) {
      kind = hasId ? Envelope.Kind.REQUEST : Envelope.Kind.NOTIFICATION;
    } else if (hasResultOrError) {
      kind = Envelope.Kind.RESPONSE;
    } else {
      kind = Envelope.Kind.OTHER;
    }
    if (id == null && hasId) {
      id = JsonId.NULL;
    }
    return new Envelope(kind, method, id, duplicate, null, List.of());
  }

  private static boolean contains(String[] names, int count, String name) {
    for (int i = 0; i < count; i++) {
      if (names[i].equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static JsonId readId(JsonParser p, JsonToken value, byte[] frame, int base)
      throws IOException {
    int start = (int) p.currentTokenLocation().getByteOffset();
    switch (value) {
      case VALUE_STRING -> {
        String text = p.getText(); // completes the token, so currentLocation is after it
        int end = (int) p.currentLocation().getByteOffset();
        return JsonId.ofString(raw(frame, base + start, base + end), text);
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        p.finishToken();
        int end = (int) p.currentLocation().getByteOffset();
        return JsonId.ofNumber(raw(frame, base + start, base + end));
      }
      case VALUE_NULL -> {
        return JsonId.NULL;
      }
      default -> {
        // objects, arrays and booleans are not valid ids; keep the raw text so an error can echo null
        p.skipChildren();
        return new JsonId("null", "invalid:" + value);
      }
    }
  }

  private static String raw(byte[] frame, int start, int end) {
    return new String(frame, start, end - start, StandardCharsets.UTF_8);
  }
}
