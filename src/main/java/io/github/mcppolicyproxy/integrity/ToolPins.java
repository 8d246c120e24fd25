package io.github.mcppolicyproxy.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.audit.Canonical;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The definitions of the upstream's tools as first seen (or as read from a pin file), and the
 * tools whose listed definition now differs. A definition is a tool's {@code name}, {@code title},
 * {@code description}, {@code inputSchema}, {@code outputSchema} and {@code annotations}; it is
 * compared by the SHA-256 of its canonical JSON, so member order and number spelling do not count.
 * New tools are remembered, never taken for changes; a tool listed again with its pinned definition
 * is no longer changed. The pins can be replaced while the session runs ({@link #replace}, a pin
 * file accepted anew): every tool listed so far is then compared with its new pin. Thread-safe.
 */
public final class ToolPins {
  /** The members of a tool that make its definition. */
  public static final List<String> MEMBERS =
      List.of("name", "title", "description", "inputSchema", "outputSchema", "annotations");

  /** A pinned definition and its digest. */
  public record Pin(String sha256, JsonNode definition) {
    public Pin {
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(definition, "definition");
    }
  }

  /** A tool listed with a definition other than its pin. */
  public record Change(String tool, Pin pinned, Pin listed) {}

  /** What observing one listed tool found. */
  public sealed interface Seen {
    /** Unknown until now: pinned from here on. */
    record New(Pin pin) implements Seen {}

    /** As pinned. */
    record Same() implements Seen {}

    /** Differs from its pin; {@code first} when this very definition was not reported before. */
    record Changed(Change change, boolean first) implements Seen {}
  }

  /**
   * What replacing the pins did to the tools listed so far.
   *
   * @param accepted tools that were changed and now match their new pin
   * @param changed tools whose listed definition now differs from their pin in a way not reported
   *     before (a new pin that the listed definition does not match)
   */
  public record Repinned(List<String> accepted, List<Change> changed) {
    public Repinned {
      accepted = List.copyOf(accepted);
      changed = List.copyOf(changed);
    }
  }

  private final Map<String, Pin> pins = new ConcurrentHashMap<>();
  private final Map<String, Change> changed = new ConcurrentHashMap<>();
  /** The definition each tool was last listed with. */
  private final Map<String, Pin> listed = new ConcurrentHashMap<>();

  /** @param initial pins to start from (a pin file's), by tool name */
  public ToolPins(Map<String, Pin> initial) {
    pins.putAll(initial);
  }

  /** The definition of {@code tool} (a {@code tools/list} element) as it is pinned and compared. */
  public static Pin pinOf(JsonNode tool) {
    ObjectNode d = JsonNodeFactory.instance.objectNode();
    for (String m : MEMBERS) {
      if (tool.has(m)) {
        d.set(m, tool.get(m));
      }
    }
    return new Pin(Canonical.sha256(d), d);
  }

  /** Compares one listed tool with its pin (pinning it when new). */
  public synchronized Seen observe(JsonNode tool) {
    String name = tool.path("name").asText();
    Pin listed = pinOf(tool);
    this.listed.put(name, listed);
    Pin pinned = pins.putIfAbsent(name, listed);
    if (pinned == null) {
      return new Seen.New(listed);
    }
    if (pinned.sha256().equals(listed.sha256())) {
      changed.remove(name);
      return new Seen.Same();
    }
    Change c = new Change(name, pinned, listed);
    Change before = changed.put(name, c);
    return new Seen.Changed(c, before == null || !before.listed().sha256().equals(listed.sha256()));
  }

  /**
   * Puts {@code next} (a pin file's pins, by tool name) in force: they replace the pins of the same
   * names; a tool they do not name keeps its pin (as a new tool would). Every tool listed so far is
   * compared again with its pin, as if it had just been listed.
   */
  public synchronized Repinned replace(Map<String, Pin> next) {
    pins.putAll(next);
    List<String> accepted = new java.util.ArrayList<>();
    List<Change> nowChanged = new java.util.ArrayList<>();
    for (Map.Entry<String, Pin> e : new java.util.TreeMap<>(listed).entrySet()) {
      String name = e.getKey();
      Pin pinned = pins.get(name);
      if (pinned.sha256().equals(e.getValue().sha256())) {
        if (changed.remove(name) != null) {
          accepted.add(name);
        }
        continue;
      }
      Change c = new Change(name, pinned, e.getValue());
      Change before = changed.put(name, c);
      if (before == null || !before.pinned().sha256().equals(pinned.sha256())) {
        nowChanged.add(c);
      }
    }
    return new Repinned(accepted, nowChanged);
  }

  /** True while {@code tool} was last listed with a definition other than its pin. */
  public boolean changed(String tool) {
    return changed.containsKey(tool);
  }

  /** The change of {@code tool}, or null. */
  public Change change(String tool) {
    return changed.get(tool);
  }

  /** True while nothing is pinned (no list seen, no pin file). */
  public boolean isEmpty() {
    return pins.isEmpty();
  }

  /** The pins now held, by tool name. */
  public Map<String, Pin> pins() {
    return Map.copyOf(pins);
  }
}
