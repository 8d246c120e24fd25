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
 *
 * <p>The fast path: the thread that reads the client may write a frame itself when nothing is
 * queued or being written ({@link Admission#WRITE_NOW}, then {@link #writeNow}), which saves a
 * thread hand-off (a wake-up and two context switches) per frame. Such a write can block on a full
 * pipe; {@link #inlineWriteStuck} tells the {@link ReadingBaton} when to let another thread read the
 * client meanwhile. Frames admitted while it blocks are queued and written after it, in order.
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
  private Thread inlineWriter; // the thread writing inline, while it does
  private long inlineSince;
  private long inlineWrites;
  private int waiters; // threads in put, await or drain

  /** What {@link #admit} decided for a frame. */
  public enum Admission {
    /** Queued: the writer thread sends it. */
    QUEUED,
    /** Not queued: the queue is full. */
    FULL,
    /** Nothing is ahead of it: the caller writes it now with {@link #writeNow}. */
    WRITE_NOW
  }

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
      waitCounted(0);
    }
    if (!failed && !closed) {
      enqueue(frame);
    }
  }

  /**
   * Like {@link #offer}, but when nothing is queued or being written the caller is told to write
   * the frame itself ({@link Admission#WRITE_NOW}); until it calls {@link #writeNow} later frames
   * queue behind it.
   */
  public synchronized Admission admit(byte[] frame) {
    if (failed || closed) {
      return Admission.QUEUED; // the upstream is gone: the session answers what waited for it
    }
    if (queue.isEmpty() && !writing) {
      startInline();
      return Admission.WRITE_NOW;
    }
    if (!hasRoomFor(frame)) {
      return Admission.FULL;
    }
    enqueue(frame);
    return Admission.QUEUED;
  }

  /** Like {@link #put}, or {@link Admission#WRITE_NOW} as {@link #admit} gives it. */
  public synchronized Admission await(byte[] frame) throws InterruptedException {
    while (!failed && !closed && !hasRoomFor(frame)) {
      waitCounted(0);
    }
    if (failed || closed) {
      return Admission.QUEUED;
    }
    if (queue.isEmpty() && !writing) {
      startInline();
      return Admission.WRITE_NOW;
    }
    enqueue(frame);
    return Admission.QUEUED;
  }

  private void waitCounted(long millis) throws InterruptedException {
    waiters++;
    try {
      wait(millis);
    } finally {
      waiters--;
    }
  }

  private void startInline() {
    writing = true;
    inlineWriter = Thread.currentThread();
    inlineSince = System.nanoTime();
    inlineWrites++;
  }

  /** Writes a frame admitted with {@link Admission#WRITE_NOW}, on the calling thread. */
  public void writeNow(byte[] frame) {
    IOException failure = null;
    try {
      out.write(frame);
    } catch (IOException e) {
      failure = e;
    }
    synchronized (this) {
      writing = false;
      inlineWriter = null;
      if (failure != null) {
        fail(failure);
      }
      if (!queue.isEmpty() || waiters > 0 || failed) {
        notifyAll(); // the writer thread, for what queued meanwhile; drain and put
      } // else nobody waits for this: no wake-up (the point of writing inline)
    }
  }

  /**
   * True when {@code reader} has been writing inline for longer than {@code nanos}: the pipe to the
   * upstream is full, and someone else should read the client meanwhile.
   */
  public synchronized boolean inlineWriteStuck(Thread reader, long nanos) {
    return inlineWriter == reader && System.nanoTime() - inlineSince > nanos;
  }

  /** How many inline writes were started (the standby sleeps while this does not move). */
  public synchronized long inlineWrites() {
    return inlineWrites;
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
      waitCounted(Math.max(1, left / 1_000_000));
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
        while ((queue.isEmpty() || writing) && !closed && !failed) {
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
        if (failure != null) {
          fail(failure);
        }
        notifyAll();
      }
    }
  }

  private void fail(IOException failure) {
    if (closed || failed) {
      return;
    }
    failed = true;
    stderr.println("mcp-policy-proxy: cannot write to the upstream (" + failure.getMessage()
        + "); " + queue.size() + " queued frame(s) dropped");
    queue.clear();
    queuedBytes = 0;
  }
}
