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
  private final UpstreamQueue toServer;
  private final FrameWriter toClient;
  private final EnvelopeScanner scanner;
  private final InFlight inFlight;
  private final Replies replies;
  private final ProxyConfig config;
  private final ToolsCallGate gate;
  private final ApprovalChannel approvals;
  private final ObjectMapper lenient = new ObjectMapper();
  private final ReadingBaton baton;

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
    this.toServer = Objects.requireNonNull(toServer, "toServer");
    this.baton = new ReadingBaton(toServer, STUCK_AFTER);
    this.toClient = Objects.requireNonNull(toClient, "toClient");
    this.scanner = Objects.requireNonNull(scanner, "scanner");
    this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
    this.replies = answers.replies();
    this.config = Objects.requireNonNull(config, "config");
    this.approvals = Objects.requireNonNull(approvals, "approvals");
    this.gate = new ToolsCallGate(judges, log, inFlight.continuations(), answers, config, approvals,
        stats, integrity);
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
    Out out = new Out();
    message(frame, 0, frame.length, e, out);
    byte[] now = null;
    for (Outgoing f : out.forward) {
      now = forward(f, out, true) ? f.bytes() : now;
    }
    try {
      for (byte[] a : out.answers) {
        toClient.write(a);
      }
    } finally {
      writeNow(now); // admitted: it must be written (or the queue behind it would wait forever)
    }
  }

  /** Writes a frame admitted for writing now, last: the reading thread may block in it. */
  private void writeNow(byte[] frame) {
    if (frame != null) {
      baton.beforeInlineWrite();
      toServer.writeNow(frame);
    }
  }

  /**
   * Queues a frame for the upstream, or (with {@code mayWriteNow}, on the reading thread) admits it
   * for writing at once: true when the caller must then {@link #writeNow} it. A frame that carries
   * requests is not waited for: when the queue is full they are answered with an error instead.
   * Other frames wait for room.
   */
  private boolean forward(Outgoing f, Out out, boolean mayWriteNow) throws InterruptedException {
    if (f.requests().isEmpty()) {
      if (!mayWriteNow) {
        toServer.put(f.bytes());
        return false;
      }
      return toServer.await(f.bytes()) == UpstreamQueue.Admission.WRITE_NOW;
    }
    UpstreamQueue.Admission a;
    if (mayWriteNow) {
      a = toServer.admit(f.bytes());
    } else {
      a = toServer.offer(f.bytes()) ? UpstreamQueue.Admission.QUEUED : UpstreamQueue.Admission.FULL;
    }
    if (a != UpstreamQueue.Admission.FULL) {
      return a == UpstreamQueue.Admission.WRITE_NOW;
    }
    diag("the upstream is not reading its input (" + toServer.queuedBytes() + " bytes queued);"
        + " answered " + f.requests().size() + " request(s) with an error instead of forwarding");
    for (JsonId id : f.requests()) {
      InFlight.Pending p = inFlight.answered(id);
      if (p != null) {
        inFlight.notForwarded(p.reservation()); // refused by the proxy: it takes nothing
      }
      out.answers.add(replies.error(id, Replies.TOO_MANY_PENDING, "The upstream server is not"
          + " reading its input (" + toServer.queuedBytes() + " bytes are waiting for it);"
          + " the request was not forwarded; retry later"));
    }
    return false;
  }

  private void batch(byte[] frame, Envelope e) throws IOException, InterruptedException {
    if (e.elements().isEmpty()) {
      diag("answered an empty batch with Invalid Request");
      toClient.write(replies.error(JsonId.NULL, Replies.INVALID_REQUEST,
          "Invalid Request: empty batch"));
      return;
    }
    Out out = new Out();
    out.batch = true;
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
        if (track(el, out)) {
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
    Outgoing whole = null;
    if (out.forward.size() == 1 && out.forward.get(0).bytes() == frame) {
      whole = out.forward.get(0);
    } else if (!out.forward.isEmpty()) {
      whole = new Outgoing(Replies.batch(out.forward.stream().map(Outgoing::bytes).toList()),
          out.forward.stream().flatMap(o -> o.requests().stream()).toList());
    }
    boolean now = whole != null && forward(whole, out, true);
    try {
      if (!out.answers.isEmpty()) {
        toClient.write(Replies.batch(out.answers));
      }
    } finally {
      writeNow(now ? whole.bytes() : null);
    }
  }

  /** Where the handling of one message puts its results. */
  private static final class Out {
    final List<Outgoing> forward = new ArrayList<>(1);
    final List<byte[]> answers = new ArrayList<>(1);
    boolean batch;
  }

  /** A frame for the upstream and the ids of the requests in it (tracked in {@link InFlight}). */
  private record Outgoing(byte[] bytes, List<JsonId> requests) {
    static Outgoing of(byte[] bytes, Envelope e) {
      return new Outgoing(bytes, e.kind() == Envelope.Kind.REQUEST ? List.of(e.id()) : List.of());
    }
  }

  private void message(byte[] frame, int from, int to, Envelope e, Out out) {
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
          && track(e, out, f.continuationKey(), f.reservation(), f.tool())) {
        out.forward.add(Outgoing.of(f.replacement() != null ? f.replacement()
            : slice(frame, from, to), e));
      }
      return;
    }
    if (!track(e, out)) {
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
    Out out = new Out();
    try {
      if (ex != null) {
        diag("internal error while a call waited for approval; it was not forwarded: " + ex);
        out.answers.add(replies.error(e.id(), Replies.INTERNAL_ERROR, "Internal error in the"
            + " policy proxy while the call waited for approval; it was not forwarded"));
      } else if (done instanceof ToolsCallGate.Outcome.Answer a) {
        out.answers.add(a.frame());
      } else if (done instanceof ToolsCallGate.Outcome.Forward f
          && track(e, out, f.continuationKey(), f.reservation(), f.tool())) {
        forward(Outgoing.of(held, e), out, false); // not the reading thread: queued
      }
      for (byte[] a : out.answers) {
        toClient.write(a);
      }
    } catch (IOException io) {
      diag("cannot answer the client (" + io.getMessage() + ")");
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  /** Records a forwarded request; false (and an answer) when too many are waiting. */
  private boolean track(Envelope e, Out out) {
    return track(e, out, null, io.github.mcppolicyproxy.limits.Quota.Reservation.NONE, null);
  }

  private boolean track(Envelope e, Out out, String continuationKey,
      io.github.mcppolicyproxy.limits.Quota.Reservation reservation, String tool) {
    if (e.kind() == Envelope.Kind.REQUEST
        && !inFlight.add(e.id(), e.method(), continuationKey, tool, reservation)) {
      inFlight.notForwarded(reservation); // refused by the proxy: it takes nothing
      InFlight.Closed gone = inFlight.closed();
      out.answers.add(gone != null
          ? replies.error(e.id(), Replies.UPSTREAM_UNAVAILABLE, gone.message(), gone.data())
          : replies.error(e.id(), Replies.TOO_MANY_PENDING, "Too many requests ("
              + config.maxPending() + ") are waiting for the upstream server; retry later"));
      return false;
    }
    return true;
  }

  private static byte[] slice(byte[] frame, int from, int to) {
    return from == 0 && to == frame.length ? frame : java.util.Arrays.copyOfRange(frame, from, to);
  }

  private void diag(String message) {
    config.stderr().println("mcp-policy-proxy: " + message);
  }
}
