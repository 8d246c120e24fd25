package io.github.mcppolicyproxy.integrity;

import io.github.mcppolicyproxy.audit.LogEvent;
import io.github.mcppolicyproxy.audit.ViolationLog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads the pin file again while the proxy runs (after {@code mcp-policy-proxy pin} accepted a
 * change) and puts its pins in force for the session ({@link ToolIntegrity#repin}), as the policy
 * is on reload: a tool whose listed definition now matches its pin is allowed again without a
 * restart. A pin file that does not load (missing, not JSON, a digest that does not match its
 * definition) changes nothing: stderr says why, the log records {@code pins_reload_failed}, and the
 * pins in force stay. An applied reload is logged as {@code pins_reloaded} with the tools accepted
 * and the tools found changed. Reloads run one at a time, on the watcher's thread, never on a pump.
 */
public final class PinReloader {
  /** What one reload did. */
  public sealed interface Result {
    /** The file's pins are in force. */
    record Applied(int tools, List<String> accepted, List<String> changed) implements Result {}

    /** The file holds the pins already read: nothing to do. */
    record Unchanged() implements Result {}

    /** The file did not load; the pins in force stay. */
    record Failed(String why) implements Result {}
  }

  private final Path file;
  private final PinFile reader;
  private final ToolIntegrity integrity;
  private final ViolationLog log;
  private final Clock clock;
  private final String session;
  private final PrintStream stderr;
  private Map<String, String> last; // tool -> sha256 of the pins last put in force from the file

  /** @param loaded the pins already read from {@code file} at start (empty when none) */
  public PinReloader(Path file, Map<String, ToolPins.Pin> loaded, PinFile reader,
      ToolIntegrity integrity, ViolationLog log, Clock clock, String session, PrintStream stderr) {
    this.file = Objects.requireNonNull(file, "file");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.integrity = Objects.requireNonNull(integrity, "integrity");
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.session = Objects.requireNonNull(session, "session");
    this.stderr = Objects.requireNonNull(stderr, "stderr");
    this.last = digests(loaded);
  }

  /** Reloads now; {@code trigger} ("file changed") is named in the messages. */
  public synchronized Result reload(String trigger) {
    Map<String, ToolPins.Pin> next;
    try {
      next = reader.read(file);
    } catch (NoSuchFileException e) {
      return failed(trigger, "the file is gone");
    } catch (IOException | RuntimeException e) {
      return failed(trigger, e.getMessage() == null ? e.toString() : e.getMessage());
    }
    Map<String, String> digests = digests(next);
    if (digests.equals(last)) {
      return new Result.Unchanged();
    }
    ToolPins.Repinned r = integrity.repin(next);
    last = digests;
    List<String> changed = r.changed().stream().map(ToolPins.Change::tool).toList();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("trigger", trigger);
    d.put("file", file.toString());
    d.put("tools", next.size());
    d.put("accepted", r.accepted());
    d.put("changed", changed);
    // the record first: whoever reads the stderr line finds the record in the log
    log.appendEvent(new LogEvent(clock.instant(), session, "pins_reloaded", d, null, null));
    stderr.println("mcp-policy-proxy: pins reloaded (" + trigger + "): " + next.size()
        + " tool definitions from " + file
        + (r.accepted().isEmpty() ? "" : "; accepted again: " + String.join(", ", r.accepted()))
        + (changed.isEmpty() ? "" : "; now differ from their pin: " + String.join(", ", changed)));
    return new Result.Applied(next.size(), r.accepted(), changed);
  }

  private Result failed(String trigger, String why) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("trigger", trigger);
    d.put("file", file.toString());
    d.put("reason", why);
    log.appendEvent(new LogEvent(clock.instant(), session, "pins_reload_failed", d, null, null));
    stderr.println("mcp-policy-proxy: the pin file " + file + " did not load (" + trigger + "): "
        + why + "; the pins in force stay");
    return new Result.Failed(why);
  }

  private static Map<String, String> digests(Map<String, ToolPins.Pin> pins) {
    Map<String, String> d = new TreeMap<>();
    pins.forEach((name, pin) -> d.put(name, pin.sha256()));
    return d;
  }
}
