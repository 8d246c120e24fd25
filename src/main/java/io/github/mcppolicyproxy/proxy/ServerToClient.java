package io.github.mcppolicyproxy.proxy;

import io.github.mcppolicyproxy.integrity.ToolIntegrity;
import io.github.mcppolicyproxy.jsonrpc.Bytes;
import io.github.mcppolicyproxy.jsonrpc.Envelope;
import io.github.mcppolicyproxy.jsonrpc.EnvelopeScanner;
import io.github.mcppolicyproxy.jsonrpc.FrameReader;
import io.github.mcppolicyproxy.jsonrpc.FrameWriter;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import io.github.mcppolicyproxy.jsonrpc.Replies;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Future;

/**
 * The server → client direction: passes the upstream's frames on byte for byte and in order,
 * settles the client's in-flight requests as their answers pass, filters {@code tools/list}
 * answers, and keeps anything that is not a JSON-RPC frame away from the client (reported on
 * stderr instead). With a {@link ToolIntegrity}, {@code tools/call} answers pass through its
 * redaction, {@code tools/list} answers through its pins, and its own requests' answers stop here.
 */
public final class ServerToClient implements Runnable {
  private final FrameReader in;
  private final FrameWriter toClient;
  private final EnvelopeScanner scanner;
  private final InFlight inFlight;
  private final ToolsListFilter filter;
  private final Replies replies;
  private final int maxFrameBytes;
  private final PrintStream stderr;
  private final ToolIntegrity integrity; // null: none
  private final java.util.function.UnaryOperator<byte[]> initializeAnswer;
  private volatile boolean clientGone;

  public ServerToClient(FrameReader in, FrameWriter toClient, EnvelopeScanner scanner,
      InFlight inFlight, ToolsListFilter filter, Replies replies, int maxFrameBytes,
      PrintStream stderr) {
    this(in, toClient, scanner, inFlight, filter, replies, maxFrameBytes, stderr,
        java.util.function.UnaryOperator.identity(), null);
  }

  /**
   * @param initializeAnswer what becomes of the upstream's {@code initialize} answer
   * @param integrity redacts results and checks listed tools against their pins (null: none)
   */
  public ServerToClient(FrameReader in, FrameWriter toClient, EnvelopeScanner scanner,
      InFlight inFlight, ToolsListFilter filter, Replies replies, int maxFrameBytes,
      PrintStream stderr, java.util.function.UnaryOperator<byte[]> initializeAnswer,
      ToolIntegrity integrity) {
    this.initializeAnswer = Objects.requireNonNull(initializeAnswer, "initializeAnswer");
    this.integrity = integrity;
    this.in = Objects.requireNonNull(in, "in");
    this.toClient = Objects.requireNonNull(toClient, "toClient");
    this.scanner = Objects.requireNonNull(scanner, "scanner");
    this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
    this.filter = Objects.requireNonNull(filter, "filter");
    this.replies = Objects.requireNonNull(replies, "replies");
    this.maxFrameBytes = maxFrameBytes;
    this.stderr = Objects.requireNonNull(stderr, "stderr");
  }

  /** Pumps until the upstream closes its stdout. */
  @Override
  public void run() {
    try {
      in.forEach(new FrameReader.Handler() {
        @Override
        public void frame(byte[] frame) {
          ServerToClient.this.frame(frame);
        }

        @Override
        public void oversized(FrameReader.Read.Oversized o) {
          ServerToClient.this.oversized(o);
        }
      });
    } catch (IOException e) {
      diag("upstream output failed: " + e.getMessage());
    }
  }

  /** True once a write to the client failed: the client has gone. */
  public boolean clientGone() {
    return clientGone;
  }

  private void oversized(FrameReader.Read.Oversized o) {
    JsonId id = scanner.sniffId(o.prefix());
    InFlight.Pending p = inFlight.answered(id);
    diag("dropped a frame of more than " + maxFrameBytes + " bytes from the upstream: over the"
        + " limit (--max-frame-bytes)"
        + (p == null ? "" : "; answered request " + p.id().raw() + " with an error instead"));
    if (p != null) {
      send(replies.error(p.id(), Replies.FRAME_TOO_LARGE, "The upstream's answer of more than "
          + maxFrameBytes + " bytes exceeds the proxy's limit (--max-frame-bytes)"));
    }
  }

  void frame(byte[] frame) {
    // A large frame's secret-trigger look starts now, beside the envelope scan: if the frame is a
    // result, its answer is at hand when the result is guarded (see ToolIntegrity.lookAhead).
    Future<Boolean> look = integrity == null ? null : integrity.lookAhead(frame);
    try {
      frame(frame, look);
    } finally {
      if (look != null) {
        look.cancel(false); // not a result after all (or already used: then a no-op)
      }
    }
  }

  private void frame(byte[] frame, Future<Boolean> look) {
    Envelope e = scanner.scan(frame);
    switch (e.kind()) {
      case INVALID, OTHER -> {
        if (FrameReader.isBlank(frame)) {
          return;
        }
        diag("dropped a line from the upstream that is not a JSON-RPC frame (" + (e.problem() == null
            ? "not a JSON-RPC message" : e.problem()) + "): " + preview(frame));
        return;
      }
      case RESPONSE -> {
        if (integrity != null && integrity.offer(e, frame)
            || inFlight.tasks().offer(e.id(), frame)) {
          return; // the answer to the proxy's own tools/list or tasks/get
        }
        InFlight.Pending p = inFlight.answered(e.id());
        if (p != null && ClientToServer.TOOLS_LIST.equals(p.method())) {
          send(filtered(frame, p));
          return;
        }
        if (p != null && "initialize".equals(p.method())) {
          send(initializeAnswer.apply(frame));
          return;
        }
        frame = settled(p, frame, look);
        if (p != null && p.continuationKey() != null && asksForInput(frame)) {
          inFlight.continuations().open(p.continuationKey());
        }
      }
      case BATCH -> {
        batch(frame, e);
        return;
      }
      case NOTIFICATION -> {
        frame = taskStatus(e, frame);
        if (frame == null) {
          return;
        }
        if (integrity != null) {
          send(frame); // the client hears of the change first; the proxy then lists for itself
          integrity.notification(e);
          return;
        }
      }
      default -> { }
    }
    send(frame);
  }

  /**
   * A batch passes unchanged when every element is a JSON-RPC message and none answers a
   * {@code tools/list}; otherwise it is rebuilt without the elements that are not messages (reported
   * on stderr) and with filtered lists. Nothing is sent when nothing is left.
   */
  private void batch(byte[] frame, Envelope e) {
    java.util.List<byte[]> kept = new java.util.ArrayList<>();
    boolean changed = false;
    for (Envelope.Range r : e.elements()) {
      byte[] el = java.util.Arrays.copyOfRange(frame, r.start(), r.end());
      Envelope m = scanner.scan(el);
      switch (m.kind()) {
        case REQUEST, NOTIFICATION -> {
          byte[] t = taskStatus(m, el);
          changed |= t != el;
          if (t != null) {
            kept.add(t);
          }
        }
        case RESPONSE -> {
          InFlight.Pending p = inFlight.answered(m.id());
          if (p != null && ClientToServer.TOOLS_LIST.equals(p.method())) {
            kept.add(filtered(el, p));
            changed = true;
          } else {
            byte[] g = settled(p, el, null);
            changed |= g != el;
            kept.add(g);
          }
        }
        default -> {
          changed = true;
          diag("dropped an element of a batch from the upstream that is not a JSON-RPC message: "
              + preview(el));
        }
      }
    }
    if (kept.isEmpty()) {
      diag("dropped a batch from the upstream with no JSON-RPC message in it: " + preview(frame));
      return;
    }
    if (!changed) {
      send(frame);
      return;
    }
    send(Replies.batch(kept));
  }

  /** A tools/list answer without the hidden tools; an error in its place if it cannot be read. */
  private byte[] filtered(byte[] frame, InFlight.Pending p) {
    try {
      if (integrity != null) {
        integrity.observeList(frame);
      }
      return filter.filter(frame);
    } catch (RuntimeException ex) {
      diag("could not filter the upstream's tools/list answer (" + ex.getMessage()
          + "); answered request " + p.id().raw() + " with an error instead");
      return replies.error(p.id(), Replies.INTERNAL_ERROR, "The upstream's tools/list answer"
          + " could not be filtered by the policy proxy, so it was not passed on");
    }
  }

  /**
   * The answer to a forwarded request, settled: a call's quota follows its fate (an error gives it
   * back, a task keeps it until the task ends, see {@link TaskTracker}), and a tool result, also
   * one delivered by {@code tasks/get} or {@code tasks/result}, has its secrets redacted.
   */
  private byte[] settled(InFlight.Pending p, byte[] frame, Future<Boolean> look) {
    if (!inFlight.tasks().answered(p, frame)) {
      refundIfError(p, frame);
    }
    return p != null && (ClientToServer.TOOLS_CALL.equals(p.method())
        || p.method() != null && p.method().startsWith("tasks/")) ? guarded(frame, p, look) : frame;
  }

  /**
   * A task status notification (either revision) may end a task the proxy follows, and the
   * result it may carry is redacted; null (dropped, reported) when it cannot be read for that.
   */
  private byte[] taskStatus(Envelope e, byte[] frame) {
    if (!e.hasMethod("notifications/tasks/status") && !e.hasMethod("notifications/tasks")) {
      return frame;
    }
    inFlight.tasks().notified(frame);
    try {
      return integrity == null ? frame : integrity.taskStatus(frame);
    } catch (RuntimeException ex) {
      diag("dropped a task status notification that could not be checked for secrets ("
          + ex.getMessage() + ")");
      return null;
    }
  }

  /**
   * A tools/call answer with its secrets redacted (its trigger look started ahead, or null); an
   * error in its place if it cannot be read.
   */
  private byte[] guarded(byte[] frame, InFlight.Pending p, Future<Boolean> look) {
    if (integrity == null) {
      return frame;
    }
    try {
      return integrity.result(frame, p.id(), p.tool(), look);
    } catch (RuntimeException ex) {
      diag("could not check the upstream's answer to request " + p.id().raw() + " for secrets ("
          + ex.getMessage() + "); answered it with an error instead");
      return replies.error(p.id(), Replies.INTERNAL_ERROR, "The upstream's answer could not be"
          + " checked for secrets by the policy proxy, so it was not passed on");
    }
  }

  private void send(byte[] frame) {
    try {
      toClient.write(frame);
    } catch (IOException ex) {
      if (!clientGone) {
        clientGone = true;
        diag("cannot write to the client (" + ex.getMessage() + "); dropping upstream output");
      }
    }
  }

  /** A call the upstream answered with a JSON-RPC error took nothing: its quota goes back. */
  private void refundIfError(InFlight.Pending p, byte[] frame) {
    if (p == null || p.reservation().isEmpty()) {
      return;
    }
    try (com.fasterxml.jackson.core.JsonParser parser = JSON.getFactory().createParser(frame)) {
      if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        return;
      }
      while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        if ("error".equals(name)) {
          inFlight.upstreamFailed(p);
          return;
        }
        parser.skipChildren();
      }
    } catch (IOException e) {
      // not an error answer the proxy can read: the permits stay taken (fail closed)
    }
  }

  private static final byte[] INPUT_REQUIRED =
      "\"input_required\"".getBytes(StandardCharsets.US_ASCII);

  /** True for a result whose {@code resultType} is {@code input_required} (2026-07-28). */
  private boolean asksForInput(byte[] frame) {
    if (Bytes.indexOf(frame, INPUT_REQUIRED) < 0) {
      return false; // the common case costs one pass over the bytes, no parse
    }
    try {
      com.fasterxml.jackson.databind.JsonNode root = JSON.readTree(frame);
      return "input_required".equals(root.path("result").path("resultType").asText(null));
    } catch (IOException e) {
      return false;
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static String preview(byte[] frame) {
    String s = new String(frame, 0, Math.min(frame.length, 200), StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> {
      if (c < 0x20 || c == 0x7f || c == 0xFFFD) {
        b.append(String.format("\\x%02x", c & 0xFF));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b + (frame.length > 200 ? "... (" + frame.length + " bytes)" : "");
  }

  private void diag(String message) {
    stderr.println("mcp-policy-proxy: " + message);
  }
}
