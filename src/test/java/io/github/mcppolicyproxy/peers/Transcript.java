package io.github.mcppolicyproxy.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The frames a {@code wiretap.mjs} log recorded, per direction and in order, as the exact bytes
 * that were on the wire. Frames are held as ISO-8859-1 strings (one char per byte) so that
 * comparing them compares bytes, and so that a normalisation can rewrite ASCII patterns without
 * touching any other byte.
 */
public final class Transcript {

  /** Which way a frame went. */
  public enum Direction { C2S, S2C }

  /**
   * One value the server itself varies between runs, rewritten to a placeholder before comparing.
   * Every rule is listed here with its reason; a rule that is not needed must go.
   */
  public record Normalisation(String name, String why, Pattern pattern, String replacement)
      implements UnaryOperator<String> {
    @Override
    public String apply(String frame) {
      return pattern.matcher(frame).replaceAll(replacement);
    }
  }

  /**
   * server-everything 2026.8.31 stamps its dynamic text resources with
   * {@code new Date().toLocaleTimeString()} ("created at 8:45:09 PM", the space before PM may be
   * U+202F): found by diffing two direct runs, the only difference between them.
   */
  public static final Normalisation DYNAMIC_RESOURCE_TIME = new Normalisation(
      "dynamic resource time",
      "server-everything stamps demo://resource/dynamic/text/N with the wall-clock time",
      Pattern.compile("(This is a plaintext resource created at )[^\"\\\\]*"),
      "$1<time>");

  /** All normalisations the transparency tests apply. */
  public static final List<Normalisation> NORMALISATIONS = List.of(DYNAMIC_RESOURCE_TIME);

  private static final byte[] C2S = "{\"dir\":\"c2s\",\"frame\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] S2C = "{\"dir\":\"s2c\",\"frame\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] C2S_TEXT = "{\"dir\":\"c2s\",".getBytes(StandardCharsets.US_ASCII);

  private final Path source;
  private final List<String> c2s;
  private final List<String> s2c;

  private Transcript(Path source, List<String> c2s, List<String> s2c) {
    this.source = source;
    this.c2s = List.copyOf(c2s);
    this.s2c = List.copyOf(s2c);
  }

  /** Reads a wiretap log. Lines that were not JSON are kept whole, so they still compare. */
  public static Transcript read(Path log) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read transcript " + log, e);
    }
    List<String> c2s = new ArrayList<>();
    List<String> s2c = new ArrayList<>();
    int start = 0;
    while (start < bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') end++;
      byte[] line = Arrays.copyOfRange(bytes, start, end);
      start = end + 1;
      if (startsWith(line, C2S)) {
        c2s.add(latin1(line, C2S.length, line.length - 1));
      } else if (startsWith(line, S2C)) {
        s2c.add(latin1(line, S2C.length, line.length - 1));
      } else {
        (startsWith(line, C2S_TEXT) ? c2s : s2c).add(latin1(line, 0, line.length));
      }
    }
    return new Transcript(log, c2s, s2c);
  }

  private static boolean startsWith(byte[] line, byte[] prefix) {
    return line.length > prefix.length && Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static String latin1(byte[] line, int from, int to) {
    return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
  }

  /** The frames sent one way, in order, with every normalisation applied. */
  public List<String> frames(Direction direction) {
    List<String> frames = direction == Direction.C2S ? c2s : s2c;
    return frames.stream().map(f -> {
      String out = f;
      for (Normalisation n : NORMALISATIONS) out = n.apply(out);
      return out;
    }).toList();
  }

  /** This transcript with the server-to-client frames after the last response dropped. */
  public Transcript upToLastServerResponse() {
    int last = -1;
    for (int i = 0; i < s2c.size(); i++) {
      if (s2c.get(i).contains("\"result\":") || s2c.get(i).contains("\"error\":")) last = i;
    }
    return new Transcript(source, c2s, s2c.subList(0, last + 1));
  }

  /** Where the frames came from. */
  public Path source() {
    return source;
  }

  /** A frame's bytes shown as UTF-8, shortened for a failure message. */
  public static String show(String frame) {
    String text = new String(frame.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    return text.length() > 600 ? text.substring(0, 600) + "…(" + text.length() + " chars)" : text;
  }
}
