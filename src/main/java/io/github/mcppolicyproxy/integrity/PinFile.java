package io.github.mcppolicyproxy.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pin file: the upstream's tool definitions as an operator accepted them with
 * {@code mcp-policy-proxy pin}, read by later sessions. JSON: {@code version} 1, {@code command},
 * {@code pinned_at}, and {@code tools} mapping each name to {@code sha256} and {@code definition}.
 * Written whole to a temporary file and moved into place, so a reader never sees half a file.
 */
public final class PinFile {
  private final ObjectMapper mapper;

  public PinFile(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Where the pins of {@code policy} live by default: {@code <policy>.pins.json} beside it. */
  public static Path defaultFor(Path policy) {
    if (policy == null) {
      return Path.of(System.getProperty("user.home"), ".mcp-policy-proxy", "pins.json");
    }
    return policy.resolveSibling(policy.getFileName() + ".pins.json");
  }

  /**
   * The pins in {@code file}.
   *
   * @throws IOException when it cannot be read, is not a pin file, or a digest does not match its
   *     definition (edited by hand: run {@code pin} again)
   */
  public Map<String, ToolPins.Pin> read(Path file) throws IOException {
    JsonNode root = mapper.readTree(Files.readAllBytes(file));
    if (root == null || root.path("version").asInt() != 1 || !root.path("tools").isObject()) {
      throw new IOException(file + ": not a pin file (version 1 with a tools object)");
    }
    Map<String, ToolPins.Pin> pins = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.get("tools").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      ToolPins.Pin pin = ToolPins.pinOf(e.getValue().path("definition"));
      if (!pin.sha256().equals(e.getValue().path("sha256").asText())) {
        throw new IOException(file + ": /tools/" + e.getKey() + ": sha256 does not match the"
            + " definition (was the file edited? run mcp-policy-proxy pin again)");
      }
      pins.put(e.getKey(), pin);
    }
    return pins;
  }

  /** Writes the definitions of {@code tools} (elements of {@code tools/list}) to {@code file}. */
  public void write(Path file, List<String> command, Instant now, List<JsonNode> tools)
      throws IOException {
    ObjectNode root = mapper.createObjectNode();
    root.put("version", 1);
    command.forEach(root.putArray("command")::add);
    root.put("pinned_at", now.toString());
    ObjectNode out = root.putObject("tools");
    Map<String, ToolPins.Pin> sorted = new TreeMap<>();
    tools.forEach(t -> sorted.put(t.path("name").asText(), ToolPins.pinOf(t)));
    sorted.forEach((name, pin) -> out.putObject(name).put("sha256", pin.sha256())
        .set("definition", pin.definition()));
    Path abs = file.toAbsolutePath();
    if (abs.getParent() != null) {
      Files.createDirectories(abs.getParent());
    }
    Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
