package io.github.mcppolicyproxy.proxy;

import io.github.mcppolicyproxy.jsonrpc.Envelope;
import io.github.mcppolicyproxy.jsonrpc.FrameWriter;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import io.github.mcppolicyproxy.jsonrpc.Replies;
import io.github.mcppolicyproxy.limits.Quota;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the handling of one client frame puts its results, and how they leave: answers for the
 * client, and frames for the upstream whose requests are recorded in {@link InFlight} first.
 *
 * <p>On the reading thread a frame for the upstream is written by that thread itself when nothing
 * is queued ({@link UpstreamQueue.Admission#WRITE_NOW}): after the answers, as the last thing the
 * frame's handling does, since that write may block (then the {@link ReadingBaton}'s standby reads
 * on). A frame that carries requests is never waited for: when the queue is full its requests are
 * answered with -32004 instead. Other frames (notifications, responses) wait for room. From other
 * threads (a held call released) frames are only queued. Not thread-safe: one per frame.
 */
final class Outbox {
  /** A frame for the upstream and the ids of the requests in it. */
  record Outgoing(byte[] bytes, List<JsonId> requests) {
    static Outgoing of(byte[] bytes, Envelope e) {
      return new Outgoing(bytes, e.kind() == Envelope.Kind.REQUEST ? List.of(e.id()) : List.of());
    }
  }

  /** What every outbox of a session sends through. */
  record Exits(UpstreamQueue toServer, FrameWriter toClient, InFlight inFlight, Replies replies,
      ProxyConfig config, ReadingBaton baton) {}

  final List<Outgoing> forward = new ArrayList<>(1);
  /** Usually empty: no array is made for it until an answer is added. */
  final List<byte[]> answers = new ArrayList<>();
  /** True inside a batch, where a call cannot wait for a person. */
  final boolean batch;
  private final Exits exits;

  Outbox(Exits exits, boolean batch) {
    this.exits = exits;
    this.batch = batch;
  }

  /** Records a request about to be forwarded; false (and an answer) when it cannot wait. */
  boolean track(Envelope e) {
    return track(e, null, Quota.Reservation.NONE, null);
  }

  /** {@link #track(Envelope)} for a judged call: its continuation, reservation and tool. */
  boolean track(Envelope e, String continuationKey, Quota.Reservation reservation, String tool) {
    InFlight inFlight = exits.inFlight();
    if (e.kind() == Envelope.Kind.REQUEST
        && !inFlight.add(e.id(), e.method(), continuationKey, tool, reservation)) {
      inFlight.notForwarded(reservation); // refused by the proxy: it takes nothing
      InFlight.Closed gone = inFlight.closed();
      answers.add(gone != null
          ? exits.replies().error(e.id(), Replies.UPSTREAM_UNAVAILABLE, gone.message(), gone.data())
          : exits.replies().error(e.id(), Replies.TOO_MANY_PENDING, "Too many requests ("
              + exits.config().maxPending() + ") are waiting for the upstream server; retry later"));
      return false;
    }
    return true;
  }

  /** Sends the results of one message, on the reading thread: answers, then the upstream's. */
  void send() throws IOException, InterruptedException {
    // indexed loops: on C1 (the launcher's compiler) a for-each makes an iterator per frame
    byte[] now = null;
    for (int i = 0; i < forward.size(); i++) {
      Outgoing f = forward.get(i);
      now = forward(f, true) ? f.bytes() : now;
    }
    try {
      for (int i = 0; i < answers.size(); i++) {
        exits.toClient().write(answers.get(i));
      }
    } finally {
      writeNow(now); // admitted: it must be written (or the queue behind it would wait forever)
    }
  }

  /**
   * Sends the results of a batch, on the reading thread: what passes goes to the upstream as one
   * batch ({@code frame} itself when it passes whole), the answers as one batch frame.
   */
  void sendBatch(byte[] frame) throws IOException, InterruptedException {
    Outgoing whole = null;
    if (forward.size() == 1 && forward.get(0).bytes() == frame) {
      whole = forward.get(0);
    } else if (!forward.isEmpty()) {
      whole = new Outgoing(Replies.batch(forward.stream().map(Outgoing::bytes).toList()),
          forward.stream().flatMap(o -> o.requests().stream()).toList());
    }
    boolean now = whole != null && forward(whole, true);
    try {
      if (!answers.isEmpty()) {
        exits.toClient().write(Replies.batch(answers));
      }
    } finally {
      writeNow(now ? whole.bytes() : null);
    }
  }

  /** Sends from a thread other than the reading one: frames are queued, never written here. */
  void sendQueued() throws IOException, InterruptedException {
    for (Outgoing f : forward) {
      forward(f, false);
    }
    for (byte[] a : answers) {
      exits.toClient().write(a);
    }
  }

  /**
   * Queues {@code f} for the upstream, or (with {@code mayWriteNow}) admits it for writing at
   * once: true when the caller must then {@link #writeNow} it.
   */
  private boolean forward(Outgoing f, boolean mayWriteNow) throws InterruptedException {
    UpstreamQueue toServer = exits.toServer();
    if (f.requests().isEmpty()) {
      if (!mayWriteNow) {
        toServer.put(f.bytes());
        return false;
      }
      return toServer.await(f.bytes()) == UpstreamQueue.Admission.WRITE_NOW;
    }
    UpstreamQueue.Admission a = mayWriteNow ? toServer.admit(f.bytes())
        : toServer.offer(f.bytes()) ? UpstreamQueue.Admission.QUEUED
        : UpstreamQueue.Admission.FULL;
    if (a != UpstreamQueue.Admission.FULL) {
      return a == UpstreamQueue.Admission.WRITE_NOW;
    }
    exits.config().stderr().println("mcp-policy-proxy: the upstream is not reading its input ("
        + toServer.queuedBytes() + " bytes queued); answered " + f.requests().size()
        + " request(s) with an error instead of forwarding");
    for (JsonId id : f.requests()) {
      InFlight.Pending p = exits.inFlight().answered(id);
      if (p != null) {
        exits.inFlight().notForwarded(p.reservation()); // refused by the proxy: it takes nothing
      }
      answers.add(exits.replies().error(id, Replies.TOO_MANY_PENDING, "The upstream server is not"
          + " reading its input (" + toServer.queuedBytes() + " bytes are waiting for it);"
          + " the request was not forwarded; retry later"));
    }
    return false;
  }

  /** Writes a frame admitted for writing now; the reading thread may block here. */
  private void writeNow(byte[] frame) {
    if (frame != null) {
      exits.baton().beforeInlineWrite();
      exits.toServer().writeNow(frame);
    }
  }
}
