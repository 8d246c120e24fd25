package io.github.mcppolicyproxy.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.audit.Violation;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Follows each {@code tools/call} of a session through the four places the proxy's frames pass
 * (read from the client, written to the upstream, read from the upstream, written to the client)
 * and the violation log, and hands the finished call to a {@link CallSink}. Keyed by the request's
 * id; at most {@link #MAX_OPEN} calls are followed at once (more are not measured).
 */
final class CallTracker {
  static final int MAX_OPEN = 10_000;
  static final String TOOLS_CALL = "tools/call";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String sessionId;
  private final CallSink sink;
  private final Clock clock;
  private final LongSupplier nanos;
  private final Map<String, Open> open = new HashMap<>();
  private volatile String initializeKey; // the client's initialize request, until answered
  private volatile String negotiated; // the revision the initialize answer names

  private static final class Open {
    final FrameFacts request;
    final long startNanos;
    final long startEpochNanos;
    long sentNanos = -1;
    long upstreamAnsweredNanos = -1;
    CallRecord answered; // answered before its write to the upstream was told: waits for it
    String code;
    boolean enforced = true;

    Open(FrameFacts request, long startNanos, long startEpochNanos) {
      this.request = request;
      this.startNanos = startNanos;
      this.startEpochNanos = startEpochNanos;
    }
  }

  CallTracker(String sessionId, CallSink sink, Clock clock, LongSupplier nanos) {
    this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.nanos = Objects.requireNonNull(nanos, "nanos");
  }

  LongSupplier nanos() {
    return nanos;
  }

  /** A frame the proxy read from the client at {@code t}. */
  synchronized void fromClient(List<FrameFacts> frame, long t) {
    for (FrameFacts f : frame) {
      if (f.isRequest() && "initialize".equals(f.method())) {
        initializeKey = f.idKey();
      }
      if (f.isRequest() && TOOLS_CALL.equals(f.method()) && open.size() < MAX_OPEN) {
        Instant now = clock.instant();
        open.put(f.idKey(), new Open(f, t, now.getEpochSecond() * 1_000_000_000L + now.getNano()));
      }
    }
  }

  /**
   * A frame the proxy wrote to the upstream, told at {@code t} after its flush: the upstream may
   * have answered, and the client heard the answer, before this is told.
   */
  void toUpstream(List<FrameFacts> frame, long t) {
    for (FrameFacts f : frame) {
      CallRecord done = null;
      synchronized (this) {
        Open o = f.isRequest() && TOOLS_CALL.equals(f.method()) ? open.get(f.idKey()) : null;
        if (o != null && o.sentNanos < 0) {
          o.sentNanos = o.upstreamAnsweredNanos >= 0 ? Math.min(t, o.upstreamAnsweredNanos) : t;
          if (o.answered != null) {
            open.remove(f.idKey());
            done = finish(o, o.answered.endEpochNanos() - o.startEpochNanos + o.startNanos,
                o.answered.errorType(), o.answered.errorMessage());
          }
        }
      }
      if (done != null) {
        sink.record(done);
      }
    }
  }

  /** A frame the proxy read from the upstream at {@code t}. */
  synchronized void fromUpstream(List<FrameFacts> frame, long t) {
    for (FrameFacts f : frame) {
      Open o = f.answer() && f.idKey() != null ? open.get(f.idKey()) : null;
      if (o != null && o.upstreamAnsweredNanos < 0) {
        o.upstreamAnsweredNanos = t;
      }
    }
  }

  /** A frame the proxy wrote to the client, told at {@code t} after its flush: an answer ends its call. */
  void toClient(List<FrameFacts> frame, long t) {
    for (FrameFacts f : frame) {
      if (f.answer() && f.protocolVersion() != null && f.idKey() != null
          && f.idKey().equals(initializeKey)) {
        negotiated = f.protocolVersion();
      }
      String error = f.errorCode() != null ? f.errorCode() : f.toolError() ? "tool_error" : null;
      CallRecord done = null;
      synchronized (this) {
        Open o = f.answer() && f.idKey() != null ? open.get(f.idKey()) : null;
        if (o != null && o.upstreamAnsweredNanos >= 0 && o.sentNanos < 0) {
          o.answered = finish(o, t, error, f.errorMessage()); // its write is told next
        } else if (o != null) {
          open.remove(f.idKey());
          done = finish(o, t, error, f.errorMessage());
        }
      }
      if (done != null) {
        sink.record(done);
      }
    }
  }

  /** A refusal the violation log recorded: it gives its call's decision. */
  synchronized void refused(Violation v) {
    String key = key(v.requestId());
    Open o = key == null ? null : open.get(key);
    if (o != null) {
      o.code = v.refusal().code().wire();
      o.enforced = v.enforced();
    }
  }

  /** The session ended: calls never answered are recorded as such. */
  void close() {
    List<Open> left;
    synchronized (this) {
      left = List.copyOf(open.values());
      open.clear();
    }
    long t = nanos.getAsLong();
    for (Open o : left) {
      sink.record(o.answered != null ? o.answered : finish(o, t, "no_answer", null));
    }
  }

  private CallRecord finish(Open o, long t, String errorType, String errorMessage) {
    boolean forwarded = o.sentNanos >= 0 || o.upstreamAnsweredNanos >= 0;
    long added = !forwarded ? t - o.startNanos
        : o.sentNanos < 0 ? t - o.upstreamAnsweredNanos // provisional: see toClient
        : (o.sentNanos - o.startNanos) + (o.upstreamAnsweredNanos >= 0
            ? t - o.upstreamAnsweredNanos : 0);
    // a call held for a person and then forwarded was allowed; a monitor-mode refusal keeps its code
    String decision = o.code != null && !(forwarded && o.code.equals("approval_held")) ? o.code
        : forwarded ? "allowed" : "not_forwarded";
    FrameFacts r = o.request;
    return new CallRecord(r.tool(), r.idText(), sessionId, decision, o.enforced, forwarded,
        r.traceparent(), r.tracestate(),
        r.protocolVersion() != null ? r.protocolVersion() : negotiated, o.startEpochNanos,
        o.startEpochNanos + (t - o.startNanos), Math.max(0, added), errorType, errorMessage);
  }

  /** The key of an id as the log writes it (its source text). */
  static String key(String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    if (raw.charAt(0) != '"') {
      return JsonId.ofNumber(raw).key();
    }
    try {
      return "s:" + JSON.readTree(raw).asText();
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
