package io.github.mcppolicyproxy.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.audit.LogEvent;
import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.jsonrpc.Envelope;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import io.github.mcppolicyproxy.policy.Code;
import io.github.mcppolicyproxy.policy.Refusal;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Tool integrity on the server → client side of one session: credentials are redacted from
 * {@code tools/call} answers ({@link Redactor}, logged as {@code redacted}), and every listed tool
 * definition is compared with its pin ({@link ToolPins}): a changed tool is logged once per new
 * definition as {@code tool_changed}, cut from the list the client sees, and its calls are refused
 * with code {@code tool_changed}; pins replaced while the session runs ({@link #repin}, a pin file
 * accepted anew) apply to the tools already listed. On the upstream's {@code notifications/tools/list_changed} the
 * proxy lists the tools itself (string ids under a random prefix no upstream or client shares; the
 * answers are consumed here), so a change is caught even when the client never lists again.
 * Whether redaction and pinning are on is asked per use, so a reloaded policy applies. Thread-safe.
 */
public final class ToolIntegrity {
  /** The JSON Pointer named as the rule of a {@code tool_changed} refusal. */
  public static final String PIN_RULE = "/pin_tools";
  private static final String LIST_CHANGED = "notifications/tools/list_changed";

  private final Redactor redactor;
  private final BooleanSupplier redacting;
  private final ToolPins pins;
  private final BooleanSupplier pinning;
  private final ViolationLog log;
  private final Clock clock;
  private final String session;
  private final PrintStream stderr;
  private final ObjectMapper mapper;
  private final String idPrefix = "mcp-policy-proxy/pins/" + UUID.randomUUID() + "/";
  private final AtomicLong nextId = new AtomicLong();
  private volatile Predicate<byte[]> upstream = frame -> false;
  private final java.util.List<java.util.function.Consumer<java.util.Set<String>>> repinned =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public ToolIntegrity(Redactor redactor, BooleanSupplier redacting, ToolPins pins,
      BooleanSupplier pinning, ViolationLog log, Clock clock, String session, PrintStream stderr,
      ObjectMapper mapper) {
    this.redactor = Objects.requireNonNull(redactor, "redactor");
    this.redacting = Objects.requireNonNull(redacting, "redacting");
    this.pins = Objects.requireNonNull(pins, "pins");
    this.pinning = Objects.requireNonNull(pinning, "pinning");
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.session = Objects.requireNonNull(session, "session");
    this.stderr = Objects.requireNonNull(stderr, "stderr");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /** Connects the way to the upstream's stdin: {@code offer} queues a frame or says it cannot. */
  public void upstream(Predicate<byte[]> offer) {
    this.upstream = Objects.requireNonNull(offer, "offer");
  }

  /**
   * The answer to pass on for the answer {@code frame} of {@code tools/call} request {@code id}
   * (of {@code tool}, if known): the same array when nothing was redacted. Each redaction is
   * logged (the path and kind, never the value) before this returns.
   *
   * @throws IllegalArgumentException when the answer cannot be read: it must not be passed on
   */
  public byte[] result(byte[] frame, JsonId id, String tool) {
    return redacting.getAsBoolean() ? logged(redactor.redact(frame), id, tool) : frame;
  }

  /**
   * Starts the secret-trigger look at a large answer {@code frame} before it is known to be a
   * result (see {@link Redactor#lookAhead}); null when results are not redacted or the frame is
   * small. Hand it to {@link #result(byte[], JsonId, String, Future)}, or cancel it.
   */
  public Future<Boolean> lookAhead(byte[] frame) {
    // every upstream frame comes here: its length first, the policy's setting only for a large one
    return frame.length >= Triggers.SPLIT_BYTES && redacting.getAsBoolean()
        ? Redactor.lookAhead(frame) : null;
  }

  /**
   * {@link #result(byte[], JsonId, String)} with the frame's trigger look started ahead (null:
   * none); a look that failed or was interrupted counts as having found a trigger (fail closed:
   * the frame is read for secrets).
   */
  public byte[] result(byte[] frame, JsonId id, String tool, Future<Boolean> look) {
    if (look == null) {
      return result(frame, id, tool);
    }
    if (!redacting.getAsBoolean()) {
      look.cancel(false);
      return frame;
    }
    boolean triggered;
    try {
      triggered = look.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      triggered = true;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
      triggered = true;
    }
    return logged(redactor.redact(frame, triggered), id, tool);
  }

  /**
   * The notification to pass on for a task status notification {@code frame} (2026-07-28
   * {@code notifications/tasks} carries an ended task's result in its {@code params}), redacted
   * and logged like a result.
   *
   * @throws IllegalArgumentException when it cannot be read: it must not be passed on
   */
  public byte[] taskStatus(byte[] frame) {
    return redacting.getAsBoolean() ? logged(redactor.redactParams(frame), null, null) : frame;
  }

  private byte[] logged(Redactor.Outcome o, JsonId id, String tool) {
    // indexed: every result comes here, and on C1 a for-each makes an iterator even for none
    for (int i = 0; i < o.redactions().size(); i++) {
      Redactor.Redaction r = o.redactions().get(i);
      Map<String, String> d = new LinkedHashMap<>();
      d.put("code", Code.REDACTED.wire()); // as the issue names it; "event" stays for old readers
      d.put("path", r.path());
      d.put("kind", r.kind());
      d.put("reason", "a secret in the result was replaced with " + SecretText.MARKER);
      log.appendEvent(LogEvent.about(clock.instant(), session, id == null ? null : id.raw(), tool,
          Code.REDACTED.wire(), d));
    }
    if (o.changed()) {
      diag("redacted " + o.redactions().size() + " secret(s) from the result of request "
          + (id == null ? "?" : id.raw()) + (tool == null ? "" : " (" + tool + ")"));
    }
    return o.frame();
  }

  /**
   * Compares every tool of a {@code tools/list} answer with its pin, before the answer is filtered
   * (changed tools are then cut by {@link #changed}).
   *
   * @throws IllegalArgumentException when the answer cannot be read
   */
  public void observeList(byte[] frame) {
    if (!pinning.getAsBoolean()) {
      return;
    }
    JsonNode tools;
    try {
      tools = mapper.readTree(frame).path("result").path("tools");
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable tools/list answer: " + e.getMessage(), e);
    }
    for (JsonNode t : tools) {
      if (!t.isObject() || !t.path("name").isTextual()) {
        continue;
      }
      if (pins.observe(t) instanceof ToolPins.Seen.Changed c && c.first()) {
        logChange(c.change());
      }
    }
  }

  /** One {@code tool_changed} record and one line on stderr for a definition not reported yet. */
  private void logChange(ToolPins.Change ch) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("pinned_sha256", ch.pinned().sha256());
    d.put("listed_sha256", ch.listed().sha256());
    d.put("reason", "the tool's definition differs from its pin; until `mcp-policy-proxy pin`"
        + " accepts it, it is removed from tools/list and its calls are refused (in monitor mode:"
        + " listed, and its calls forwarded and logged would_refuse)");
    log.appendEvent(LogEvent.about(clock.instant(), session, null, ch.tool(),
        Code.TOOL_CHANGED.wire(), d));
    diag("tool " + ch.tool() + " changed its definition (sha256 "
        + ch.pinned().sha256().substring(0, 12) + " -> " + ch.listed().sha256().substring(0, 12)
        + "): refused as tool_changed and cut from tools/list until pin accepts it (monitor"
        + " mode: logged would_refuse only)");
  }

  /**
   * Puts a pin file's pins in force while the session runs ({@link ToolPins#replace}): a changed
   * tool that matches its new pin is allowed and listed again, and a listed tool that differs from
   * its new pin is logged as {@code tool_changed} and refused from now on. Then tells the
   * listeners of {@link #onRepinned} which tools the client may now see differently.
   */
  public ToolPins.Repinned repin(Map<String, ToolPins.Pin> next) {
    ToolPins.Repinned r = pins.replace(next);
    r.changed().forEach(this::logChange);
    java.util.Set<String> shown = new java.util.TreeSet<>(r.accepted());
    r.changed().forEach(c -> shown.add(c.tool()));
    if (!shown.isEmpty()) {
      for (java.util.function.Consumer<java.util.Set<String>> l : repinned) {
        try {
          l.accept(shown);
        } catch (RuntimeException e) {
          diag("after the pins changed: " + e);
        }
      }
    }
    return r;
  }

  /**
   * Calls {@code listener} with the tools whose pin decision changed after {@link #repin} (to tell
   * a client that listed them {@code notifications/tools/list_changed}).
   */
  public void onRepinned(java.util.function.Consumer<java.util.Set<String>> listener) {
    repinned.add(Objects.requireNonNull(listener, "listener"));
  }

  /** True for a tool the client must not see or call: its definition changed. */
  public boolean changed(String tool) {
    return pinning.getAsBoolean() && pins.changed(tool);
  }

  /** The refusal of a call to {@code tool}, or null when its definition did not change. */
  public Refusal refusal(String tool) {
    ToolPins.Change c = changed(tool) ? pins.change(tool) : null;
    if (c == null) {
      return null;
    }
    return new Refusal(Code.TOOL_CHANGED, PIN_RULE, "the definition of tool " + tool
        + " changed since it was pinned (sha256 " + c.pinned().sha256().substring(0, 12) + " -> "
        + c.listed().sha256().substring(0, 12) + "); it is refused until an operator reviews and"
        + " accepts it with mcp-policy-proxy pin");
  }

  /**
   * Sees a notification from the upstream: on {@code tools/list_changed}, lists the tools itself,
   * once something is pinned to compare with (before that, the client's own first list pins; and an
   * upstream announcing a change right after {@code initialize} sees no extra request).
   */
  public void notification(Envelope e) {
    if (e.hasMethod(LIST_CHANGED) && pinning.getAsBoolean() && !pins.isEmpty()) {
      request(null);
    }
  }

  /**
   * Takes the upstream's answer to one of the proxy's own {@code tools/list} requests. Returns true
   * when {@code frame} (whose envelope is {@code e}) was such an answer: it must not be forwarded.
   */
  public boolean offer(Envelope e, byte[] frame) {
    if (e.kind() != Envelope.Kind.RESPONSE || e.id() == null || !e.id().key().startsWith("s:")
        || !e.id().key().substring(2).startsWith(idPrefix)) {
      return false;
    }
    try {
      observeList(frame);
      JsonNode next = mapper.readTree(frame).path("result").path("nextCursor");
      if (next.isTextual() && !next.asText().isEmpty()) {
        request(next.asText());
      }
    } catch (IOException | RuntimeException ex) {
      diag("could not read the upstream's answer to the proxy's own tools/list: " + ex.getMessage());
    }
    return true;
  }

  private void request(String cursor) {
    ObjectNode f = mapper.createObjectNode().put("jsonrpc", "2.0")
        .put("id", idPrefix + nextId.incrementAndGet()).put("method", "tools/list");
    ObjectNode params = f.putObject("params");
    if (cursor != null) {
      params.put("cursor", cursor);
    }
    try {
      if (!upstream.test(mapper.writeValueAsBytes(f))) {
        diag("could not ask the upstream for its tools after tools/list_changed (queue full)");
      }
    } catch (IOException ex) {
      diag("could not ask the upstream for its tools: " + ex.getMessage());
    }
  }

  private void diag(String message) {
    stderr.println("mcp-policy-proxy: " + message);
  }
}
