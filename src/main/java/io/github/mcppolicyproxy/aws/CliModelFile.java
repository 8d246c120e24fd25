package io.github.mcppolicyproxy.aws;

import io.github.mcppolicyproxy.jsonrpc.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Reads {@link CliModel#RESOURCE} into a {@link CliModel}, once per process (its holder). */
final class CliModelFile {
  private CliModelFile() {}

  /**
   * Reads the model's top lines (versions, global options, regions, one per service) and, for each
   * service, where its command lines are: the decompressed bytes are scanned for line ends, and a
   * service's lines are decoded only when it is first used ({@link CliModel.Service#commands}).
   * Decoding all 19,000 lines into strings up front cost each process that judges AWS commands
   * ~30 ms of CPU.
   */
  static CliModel read() {
    byte[] all;
    try (InputStream raw = CliModel.class.getResourceAsStream(CliModel.RESOURCE)) {
      if (raw == null) {
        throw new IllegalStateException(
            "the AWS CLI model " + CliModel.RESOURCE + " is missing from the jar");
      }
      // inflated into one array of the size the gzip trailer gives (ISIZE, the last four bytes,
      // little-endian): readAllBytes would grow and copy its buffers up to the model's 3 MB
      byte[] gz = raw.readAllBytes();
      int n = gz.length;
      int size = n < 4 ? 0 : (gz[n - 4] & 0xFF) | (gz[n - 3] & 0xFF) << 8 | (gz[n - 2] & 0xFF) << 16
          | (gz[n - 1] & 0xFF) << 24;
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
        all = new byte[Math.max(0, size)];
        if (size <= 0 || in.readNBytes(all, 0, size) != size || in.read() != -1) {
          throw new IllegalStateException("the AWS CLI model " + CliModel.RESOURCE + " is not "
              + size + " bytes long as its gzip trailer says");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + CliModel.RESOURCE, e);
    }
    String versions = "";
    CliModel.Table globals = new CliModel.Table(List.of());
    Map<String, CliModel.Service> services = new LinkedHashMap<>();
    List<String> regions = new ArrayList<>();
    Lines commandLines = null;
    for (int i = 0; i < all.length; ) {
      int end = Bytes.indexOf(all, i, all.length, (byte) '\n');
      int next = end < 0 ? all.length : end + 1;
      end = end < 0 ? all.length : end;
      if (end > i && all[end - 1] == '\r') {
        end--; // as BufferedReader.readLine: "\r\n" ends a line too (the model has none)
      }
      byte kind = end > i ? all[i] : (byte) '?';
      if (kind == 'O' || kind == 'C' || kind == 'U') {
        if (commandLines == null) {
          throw new IllegalStateException("a command before any service in " + CliModel.RESOURCE);
        }
        commandLines.add(i, end);
      } else {
        String line = new String(all, i, end - i, StandardCharsets.UTF_8);
        String[] f = line.split("\t", -1);
        switch (f[0]) {
          case "V" -> versions = "awscli " + f[1] + ", botocore " + f[2];
          case "G" -> globals = CliModel.table(f[3]);
          case "R" -> regions.addAll(List.of(f[1].split(" ")));
          case "S" -> {
            commandLines = new Lines(all);
            services.put(f[1], new CliModel.Service(f[1], CliModel.opt(f[2]), CliModel.opt(f[3]),
                CliModel.opt(f[4]), commandLines));
          }
          default -> throw new IllegalStateException("bad line in " + CliModel.RESOURCE + ": " + line);
        }
      }
      i = next;
    }
    return new CliModel(versions, globals, services, regions);
  }

  /** Where one service's command lines are in the model's bytes, decoded on first use. */
  static final class Lines {
    private final byte[] all;
    private int[] bounds = new int[16]; // start and end of each line, in pairs
    private int count; // ints used in bounds

    Lines(byte[] all) {
      this.all = all;
    }

    void add(int start, int end) {
      if (count == bounds.length) {
        bounds = java.util.Arrays.copyOf(bounds, count * 2);
      }
      bounds[count++] = start;
      bounds[count++] = end;
    }

    List<String> decode() {
      List<String> out = new ArrayList<>(count / 2);
      for (int k = 0; k < count; k += 2) {
        out.add(new String(all, bounds[k], bounds[k + 1] - bounds[k], StandardCharsets.UTF_8));
      }
      return out;
    }
  }
}
