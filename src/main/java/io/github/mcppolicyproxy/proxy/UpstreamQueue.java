package io.github.mcppolicyproxy.proxy;

import io.github.mcppolicyproxy.jsonrpc.FrameWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The frames on their way to the upstream's stdin, written in order by a thread of their own, so
 * that an upstream that stops reading (its pipe full) never stops the client pump: refusals are
 * still answered and the client's frames still read while forwarded ones wait here.
 *
 * <p>Bounded by bytes and by frames. {@link #offer} never waits and says when the queue is full
 * (the caller answers the request with an error); {@link #put} waits for room (backpressure, for
 * frames that cannot be answered: notifications and responses). One frame larger than the byte
 * bound is still accepted when the queue is empty, so any frame within the frame limit can pass.
 * When the upstream's stdin fails (it exited), later frames are discarded: the requests among them
 * are answered when the session sees the upstream's exit. Thread-safe.
 */
public final class UpstreamQueue {
  /** Default bound on the bytes waiting for the upstream. */
  public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;
  /** Default bound on the frames waiting for the upstream. */
  public static final int DEFAULT_MAX_FRAMES = 10_000;

  private final FrameWriter out;
  private final long maxBytes;
  private final int maxFrames;
  private final PrintStream stderr;
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private long queuedBytes;
  private boolean writing;
  private boolean closed;
  private boolean failed;

  public UpstreamQueue(FrameWriter out, long maxBytes, int maxFrames, PrintStream stderr) {
    this.out = Objects.requireNonNull(out, "out");
    if (maxBytes < 1 || maxFrames < 1) {
      throw new IllegalArgumentException("queue bounds must be positive: " + maxBytes + " bytes, "
          + maxFrames + " frames");
    }
    this.maxBytes = maxBytes;
    this.maxFrames = maxFrames;
    this.stderr = Objects.requireNonNull(stderr, "stderr");
    Thread t = new Thread(this::run, "to-upstream");
    t.setDaemon(true);
    t.start();
  }

  /** Queues {@code frame} unless the queue is full; false (nothing queued) when it is. */
  public synchronized boolean offer(byte[] frame) {
    if (failed || closed) {
      return true; // the upstream is gone: the session answers what waited for it
    }
    if (!hasRoomFor(frame)) {
      return false;
    }
    enqueue(frame);
    return true;
  }

  /** Queues {@code frame}, waiting while the queue is full. */
  public synchronized void put(byte[] frame) throws InterruptedException {
    while (!failed && !closed && !hasRoomFor(frame)) {
      wait();
    }
    if (!failed && !closed) {
      enqueue(frame);
    }
  }

  /** Bytes waiting (for diagnostics and messages). */
  public synchronized long queuedBytes() {
    return queuedBytes;
  }

  /** Waits until every queued frame was written (or the upstream failed); false on timeout. */
  public synchronized boolean drain(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!failed && (writing || !queue.isEmpty())) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  /** Stops writing; what is still queued is dropped. Does not wait for a write in progress. */
  public synchronized void close() {
    closed = true;
    queue.clear();
    queuedBytes = 0;
    notifyAll();
  }

  private boolean hasRoomFor(byte[] frame) {
    if (queue.isEmpty() && !writing) {
      return true;
    }
    return queue.size() < maxFrames && queuedBytes + frame.length <= maxBytes;
  }

  private void enqueue(byte[] frame) {
    queue.addLast(frame);
    queuedBytes += frame.length;
    notifyAll();
  }

  private void run() {
    while (true) {
      byte[] next;
      synchronized (this) {
        while (queue.isEmpty() && !closed && !failed) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed || failed) {
          return;
        }
        next = queue.peekFirst();
        writing = true;
      }
      IOException failure = null;
      try {
        out.write(next);
      } catch (IOException e) {
        failure = e;
      }
      synchronized (this) {
        writing = false;
        if (!queue.isEmpty() && queue.peekFirst() == next) {
          queue.removeFirst();
          queuedBytes -= next.length;
        }
        if (failure != null && !closed) {
          failed = true;
          stderr.println("mcp-policy-proxy: cannot write to the upstream (" + failure.getMessage()
              + "); " + queue.size() + " queued frame(s) dropped");
          queue.clear();
          queuedBytes = 0;
        }
        notifyAll();
      }
    }
  }
}
