package io.github.mcppolicyproxy.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes frames to the stand-in's stdout: one JSON text per line, UTF-8, flushed. All writes are
 * serialised on this object, so frames from several worker threads never interleave.
 */
final class FrameWriter {

  private final OutputStream out;
  private final ObjectMapper json;

  FrameWriter(OutputStream out, ObjectMapper json) {
    this.out = Objects.requireNonNull(out, "out");
    this.json = Objects.requireNonNull(json, "json");
  }

  /** Sends one frame. */
  synchronized void send(JsonNode frame) {
    try {
      out.write(json.writeValueAsBytes(frame));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("stdout: cannot write frame", e);
    }
  }

  /** Sends one line as given (the fault tool {@code standin_garbage} uses it to write non-JSON). */
  synchronized void sendRawLine(String line) {
    try {
      out.write(line.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("stdout: cannot write line", e);
    }
  }

  /**
   * Sends {@code prefix}, then {@code fillBytes} ASCII bytes, then {@code suffix} as one line,
   * without ever holding the whole frame in memory.
   */
  synchronized void sendStreamed(String prefix, long fillBytes, String suffix) {
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'x');
    try {
      out.write(prefix.getBytes(StandardCharsets.UTF_8));
      for (long left = fillBytes; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(left, chunk.length));
      }
      out.write(suffix.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("stdout: cannot write streamed frame", e);
    }
  }
}
