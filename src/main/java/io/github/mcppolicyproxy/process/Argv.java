package io.github.mcppolicyproxy.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line arguments that survive a non-UTF-8 locale.
 *
 * <p>A JVM started without a UTF-8 locale (MCP clients often start servers with a minimal
 * environment: the TypeScript SDK passes only HOME, PATH, SHELL, TERM, USER) decodes its arguments
 * as ASCII and encodes a child's arguments the same way, so {@code /data/ü} arrives as
 * {@code /data/??} in both places. On Linux the original bytes are still in
 * {@code /proc/self/cmdline}; {@link #recover} reads them back, and {@link #forChild} passes
 * arguments the platform charset cannot encode through {@code /bin/sh} as ASCII octal escapes, which
 * {@code printf} turns back into the exact bytes (the shell then {@code exec}s, so the pid and exit
 * code are the command's own).
 */
public final class Argv {
  private Argv() {}

  private static Charset platform() {
    String jnu = System.getProperty("sun.jnu.encoding");
    try {
      return jnu == null ? Charset.defaultCharset() : Charset.forName(jnu);
    } catch (RuntimeException e) {
      return Charset.defaultCharset();
    }
  }

  /** {@code args} as the process was really given them, where the platform charset lost them. */
  public static String[] recover(String[] args) {
    Charset cs = platform();
    if (cs.equals(StandardCharsets.UTF_8) || args.length == 0) {
      return args;
    }
    byte[] raw;
    try {
      raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
    } catch (IOException | RuntimeException e) {
      return args;
    }
    List<byte[]> words = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == 0) {
        words.add(java.util.Arrays.copyOfRange(raw, start, i));
        start = i + 1;
      }
    }
    if (words.size() < args.length) {
      return args;
    }
    String[] out = new String[args.length];
    int offset = words.size() - args.length;
    for (int i = 0; i < args.length; i++) {
      byte[] w = words.get(offset + i);
      String utf8;
      try {
        utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(w)).toString();
      } catch (CharacterCodingException e) {
        return args;
      }
      // Only take it when it is the same word the JVM saw, decoded better.
      if (!new String(w, cs).equals(args[i]) && !utf8.equals(args[i])) {
        return args;
      }
      out[i] = utf8;
    }
    return out;
  }

  /** {@code command} as a child's argv that the platform charset can carry unchanged. */
  public static List<String> forChild(List<String> command) {
    return forChild(command, platform());
  }

  /** {@code command} as a child's argv that {@code cs} can carry unchanged. */
  static List<String> forChild(List<String> command, Charset cs) {
    boolean lossy = command.stream().anyMatch(a -> !cs.newEncoder().canEncode(a));
    if (!lossy) {
      return command;
    }
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < command.size(); i++) {
      script.append("a").append(i).append("=$(printf '%b' '").append(octal(command.get(i)))
          .append("'; echo .); a").append(i).append("=${a").append(i).append("%.}; ");
    }
    script.append("exec");
    for (int i = 0; i < command.size(); i++) {
      script.append(" \"$a").append(i).append('"');
    }
    return List.of("/bin/sh", "-c", script.toString());
  }

  private static String octal(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '/' || c == '.' || c == '_' || c == '-' || c == ',' || c == ':' || c == '@'
          || c == '=' || c == '+') {
        b.append((char) c);
      } else {
        b.append("\\0").append(String.format("%03o", c)); // printf %b: \0ooo is one byte
      }
    }
    return b.toString();
  }
}
