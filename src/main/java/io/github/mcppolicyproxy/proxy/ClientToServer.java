package io.github.mcppolicyproxy.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.approval.ApprovalChannel;
import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.integrity.ToolIntegrity;
import io.github.mcppolicyproxy.jsonrpc.Envelope;
import io.github.mcppolicyproxy.jsonrpc.EnvelopeScanner;
import io.github.mcppolicyproxy.jsonrpc.FrameReader;
import io.github.mcppolicyproxy.jsonrpc.FrameWriter;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import io.github.mcppolicyproxy.jsonrpc.Replies;
import io.github.mcppolicyproxy.proxy.Outbox.Outgoing;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The client → server direction: reads the client's frames, judges every {@code tools/call} before
 * it is forwarded, answers refusals itself, and passes everything else on byte for byte, in order.
 *
 * <p>What reaches the upstream is exactly what was judged: a frame with a repeated top-level member,
 * a {@code tools/call} with a repeated member anywhere, a {@code tools/call} notification, or one
 * whose params are malformed is answered with a JSON-RPC error and never forwarded. A batch is
 * judged element by element.
 */
public final class ClientToServer implements Runnable {
  static final String TOOLS_CALL = "tools/call";
  static final String TOOLS_LIST = "tools/list";
  private static final Set<String> ENVELOPE_MEMBERS = Set.of("jsonrpc", "method", "id", "params");
  /** How long a write to the upstream may block the reading thread before another reads on. */
  static final java.time.Duration STUCK_AFTER = java.time.Duration.ofMillis(50);

  private final FrameReader in;
  private final FrameWriter toClient;
  private final EnvelopeScanner scanner;
  private final InFlight inFlight;
  private final Replies replies;
  private final ProxyConfig config;
  private final ToolsCallGate gate;
  private final ApprovalChannel approvals;
  private final ObjectMapper lenient = new ObjectMapper();
  private final ReadingBaton baton;
  private final Outbox.Exits exits;

  public ClientToServer(FrameReader in, UpstreamQueue toServer, FrameWriter toClient,
      EnvelopeScanner scanner, CallJudge judge, ViolationLog log, InFlight inFlight,
      Answers answers, ProxyConfig config) {
    this(in, toServer, toClient, scanner, judge, log, inFlight, answers, config,
        ApprovalChannel.NONE);
  }

  /** @param approvals how a person is asked about calls that need approval */
  public ClientToServer(FrameReader in, UpstreamQueue toServer, FrameWriter toClient,
      EnvelopeScanner scanner, CallJudge judge, ViolationLog log, InFlight inFlight,
      Answers answers, ProxyConfig config, ApprovalChannel approvals) {
    this(in, toServer, toClient, scanner, () -> judge, log, inFlight, answers, config, approvals,
        new SessionStats(config.clock().instant()));
  }

  /**
   * @param judges the policy version in force, read once per call (it may change while running)
   * @param stats counts what this session did, for its summary
   */
  public ClientToServer(FrameReader in, UpstreamQueue toServer, FrameWriter toClient,
      EnvelopeScanner scanner, java.util.function.Supplier<CallJudge> judges, ViolationLog log,
      InFlight inFlight, Answers answers, ProxyConfig config, ApprovalChannel approvals,
      SessionStats stats) {
    this(in, toServer, toClient, scanner, judges, log, inFlight, answers, config, approvals, stats,
        null);
  }

  /** @param integrity refuses calls to tools whose definition changed (null: none) */
  public ClientToServer(FrameReader in, UpstreamQueue toServer, FrameWriter toClient,
      EnvelopeScanner scanner, java.util.function.Supplier<CallJudge> judges, ViolationLog log,
      InFlight inFlight, Answers answers, ProxyConfig config, ApprovalChannel approvals,
      SessionStats stats, ToolIntegrity integrity) {
    this.in = Objects.requireNonNull(in, "in");
    this.baton = new ReadingBaton(Objects.requireNonNull(toServer, "toServer"), STUCK_AFTER);
    this.toClient = Objects.requireNonNull(toClient, "toClient");
    this.scanner = Objects.requireNonNull(scanner, "scanner");
    this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
    this.replies = answers.replies();
    this.config = Objects.requireNonNull(config, "config");
    this.approvals = Objects.requireNonNull(approvals, "approvals");
    this.gate = new ToolsCallGate(judges, log, inFlight.continuations(), answers, config, approvals,
        stats, integrity);
    this.exits = new Outbox.Exits(toServer, toClient, inFlight, replies, config, baton);
  }

  /** Pumps until the client closes its side (or our output to it fails). */
  @Override
  public void run() {
    try {
      baton.run(this::readOne);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // shutting down
    }
  }

  /** Reads and handles one frame; false when the client's side ended. */
  private boolean readOne() {
    try {
      FrameReader.Read r = in.next();
      if (r instanceof FrameReader.Read.Oversized o) {
        oversized(o);
      } else if (r instanceof FrameReader.Read.Frame f) {
        try {
          frame(f.bytes());
        } catch (RuntimeException e) {
          failClosed(f.bytes(), e);
        }
      } else {
        return false;
      }
      return true;
    } catch (InterruptedException | java.io.InterruptedIOException e) {
      Thread.currentThread().interrupt(); // shutting down
    } catch (IOException e) {
      diag("client connection failed: " + e.getMessage());
    }
    return false;
  }

  /** A defect while handling a frame: the frame is not forwarded, the client is told, we go on. */
  private void failClosed(byte[] frame, RuntimeException e) throws IOException {
    diag("internal error while handling a client frame; it was not forwarded: " + e);
    e.printStackTrace(config.stderr());
    Envelope env = scanner.scan(frame);
    JsonId id = env.kind() == Envelope.Kind.REQUEST ? env.id() : null;
    if (id != null) {
      toClient.write(replies.error(id, Replies.INTERNAL_ERROR, "Internal error in the policy proxy;"
          + " the request was not forwarded (the proxy's stderr has the details)"));
    }
  }

  private void oversized(FrameReader.Read.Oversized o) throws IOException {
    JsonId id = scanner.sniffId(o.prefix());
    diag("refused a frame of more than " + config.maxFrameBytes() + " bytes from the client:"
        + " over the limit (--max-frame-bytes); the rest of its line is skipped");
    toClient.write(replies.error(id == null ? JsonId.NULL : id, Replies.FRAME_TOO_LARGE, "Frame of"
        + " more than " + config.maxFrameBytes() + " bytes exceeds the proxy's limit of "
        + config.maxFrameBytes() + " bytes"));
  }

  /** Handles one frame from the client. Package-private for tests. */
  void frame(byte[] frame) throws IOException, InterruptedException {
    if (FrameReader.isBlank(frame)) {
      diag("ignored an empty line from the client");
      return;
    }
    Envelope e = scanner.scan(frame);
    if (e.kind() == Envelope.Kind.BATCH) {
      batch(frame, e);
      return;
    }
    Outbox out = new Outbox(exits, false);
    message(frame, 0, frame.length, e, out);
    out.send();
  }

  private void batch(byte[] frame, Envelope e) throws IOException, InterruptedException {
    if (e.elements().isEmpty()) {
      diag("answered an empty batch with Invalid Request");
      toClient.write(replies.error(JsonId.NULL, Replies.INVALID_REQUEST,
          "Invalid Request: empty batch"));
      return;
    }
    Outbox out = new Outbox(exits, true);
    boolean judged = false;
    for (Envelope.Range r : e.elements()) {
      Envelope el = scanner.scan(frame, r.start(), r.end());
      judged |= el.hasMethod(TOOLS_CALL) || el.kind() == Envelope.Kind.INVALID
          || el.kind() == Envelope.Kind.OTHER || el.duplicateKey() != null
          || el.kind() == Envelope.Kind.BATCH;
    }
    if (!judged) {
      List<Outgoing> passed = new ArrayList<>();
      for (Envelope.Range r : e.elements()) {
        Envelope el = scanner.scan(frame, r.start(), r.end());
        if (out.track(el)) {
          passed.add(Outgoing.of(java.util.Arrays.copyOfRange(frame, r.start(), r.end()), el));
        }
      }
      if (out.answers.isEmpty()) {
        // nothing to judge: the batch passes as it came
        out.forward.add(new Outgoing(frame,
            passed.stream().flatMap(o -> o.requests().stream()).toList()));
      } else {
        out.forward.addAll(passed); // some were refused for want of room: send the rest
      }
    } else {
      for (Envelope.Range r : e.elements()) {
        byte[] el = java.util.Arrays.copyOfRange(frame, r.start(), r.end());
        message(el, 0, el.length, scanner.scan(el), out);
      }
    }
    out.sendBatch(frame);
  }

  private void message(byte[] frame, int from, int to, Envelope e, Outbox out) {
    switch (e.kind()) {
      case INVALID -> {
        diag("answered an unreadable frame from the client with Parse error: " + e.problem());
        out.answers.add(replies.error(JsonId.NULL, Replies.PARSE_ERROR,
            "Parse error: " + e.problem()));
        return;
      }
      case BATCH -> {
        out.answers.add(replies.error(JsonId.NULL, Replies.INVALID_REQUEST,
            "Invalid Request: a batch inside a batch"));
        return;
      }
      case OTHER -> {
        // valid JSON but no request, notification or response: the spec's Invalid Request
        JsonId id = e.id() == null || e.id().key().startsWith("invalid:") ? JsonId.NULL : e.id();
        diag("answered a frame from the client that is not a JSON-RPC message with Invalid Request");
        out.answers.add(replies.error(id, Replies.INVALID_REQUEST,
            "Invalid Request: not a JSON-RPC request, notification or response"));
        return;
      }
      default -> { }
    }
    if (e.duplicateKey() != null && ENVELOPE_MEMBERS.contains(e.duplicateKey())) {
      diag("refused a frame with a repeated \"" + e.duplicateKey() + "\" member");
      out.answers.add(replies.error(e.id() == null || "id".equals(e.duplicateKey())
          ? JsonId.NULL : e.id(), Replies.INVALID_REQUEST,
          "Invalid Request: member \"" + e.duplicateKey() + "\" appears more than once"));
      return;
    }
    if (e.kind() == Envelope.Kind.RESPONSE && approvals.offer(e, slice(frame, from, to))) {
      return; // the person's answer to the proxy's own question: not the upstream's business
    }
    if (e.isRequest() && e.hasMethod("initialize")) {
      noteCapabilities(frame, from, to);
    }
    if (e.hasMethod(TOOLS_CALL)) {
      ToolsCallGate.Outcome o = gate.decide(frame, from, to, e, !out.batch);
      if (o instanceof ToolsCallGate.Outcome.Hold h) {
        byte[] held = slice(frame, from, to);
        h.result().whenComplete((done, ex) -> release(held, e, done, ex));
      } else if (o instanceof ToolsCallGate.Outcome.Answer a) {
        out.answers.add(a.frame());
      } else if (o instanceof ToolsCallGate.Outcome.Forward f
          && out.track(e, f.continuationKey(), f.reservation(), f.tool())) {
        out.forward.add(Outgoing.of(f.replacement() != null ? f.replacement()
            : slice(frame, from, to), e));
      }
      return;
    }
    if (!out.track(e)) {
      return;
    }
    if (e.isRequest() && e.method() != null && e.method().startsWith("tasks/")) {
      inFlight.tasks().asked(e.id(), frame, from, to); // its answer may end a task (TaskTracker)
    }
    out.forward.add(Outgoing.of(slice(frame, from, to), e));
  }

  /** Tells the approval channel what the client can do (elicitation, say). */
  private void noteCapabilities(byte[] frame, int from, int to) {
    try {
      approvals.clientCapabilities(lenient.readTree(frame, from, to - from)
          .path("params").path("capabilities"));
    } catch (IOException | RuntimeException ex) {
      approvals.clientCapabilities(null);
    }
  }

  /**
   * A held call was decided (on whichever thread the person's answer or the timeout arrived):
   * forward exactly the held bytes, or answer the client.
   */
  private void release(byte[] held, Envelope e, ToolsCallGate.Outcome done, Throwable ex) {
    Outbox out = new Outbox(exits, false);
    try {
      if (ex != null) {
        diag("internal error while a call waited for approval; it was not forwarded: " + ex);
        out.answers.add(replies.error(e.id(), Replies.INTERNAL_ERROR, "Internal error in the"
            + " policy proxy while the call waited for approval; it was not forwarded"));
      } else if (done instanceof ToolsCallGate.Outcome.Answer a) {
        out.answers.add(a.frame());
      } else if (done instanceof ToolsCallGate.Outcome.Forward f
          && out.track(e, f.continuationKey(), f.reservation(), f.tool())) {
        out.forward.add(Outgoing.of(held, e));
      }
      out.sendQueued(); // not the reading thread: never written inline
    } catch (IOException io) {
      diag("cannot answer the client (" + io.getMessage() + ")");
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] slice(byte[] frame, int from, int to) {
    return from == 0 && to == frame.length ? frame : java.util.Arrays.copyOfRange(frame, from, to);
  }

  private void diag(String message) {
    config.stderr().println("mcp-policy-proxy: " + message);
  }
}
