package io.github.mcppolicyproxy.proxy;

import java.util.Objects;

/**
 * Who reads the client. The reading thread writes frames to the upstream itself when nothing is
 * queued (no hand-off per frame, see {@link UpstreamQueue#admit}); such a write blocks when the
 * upstream stops reading and its pipe is full. So two threads share the job: while the reader has
 * been stuck in such a write for longer than {@code stuckAfter}, the standby takes the baton and
 * reads on (refusals are answered, later frames queue); the thread that was stuck becomes the
 * standby once its write ends. The client side never stops for longer than about
 * {@code stuckAfter} behind a stuck upstream.
 *
 * <p>The standby looks every {@code stuckAfter / 2} while frames flow and sleeps when no frame was
 * written inline for {@value #QUIET_LOOKS} looks (half a second with the proxy's 50 ms);
 * {@link #beforeInlineWrite} wakes it, which costs a wake-up only for the first frame after a quiet
 * spell.
 */
final class ReadingBaton {
  /** One step of reading: reads and handles one frame; false when the client's stream ended. */
  interface Step {
    boolean next();
  }

  private static final int QUIET_LOOKS = 20;

  private final UpstreamQueue queue;
  private final long stuckNanos;
  private final long lookMillis;
  private final Object lock = new Object();
  private Thread holder;
  private boolean ended;
  private Throwable defect;
  private volatile boolean standbyAsleep;

  ReadingBaton(UpstreamQueue queue, java.time.Duration stuckAfter) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.stuckNanos = stuckAfter.toNanos();
    this.lookMillis = Math.max(1, stuckAfter.toMillis() / 2);
  }

  /**
   * Reads with {@code step} until the client's stream ends, on two threads started here, and
   * returns then: at once, even when the thread that read last is still stuck writing to the
   * upstream. A defect thrown by {@code step} ends reading and is thrown here.
   */
  void run(Step step) throws InterruptedException {
    Thread reader = new Thread(() -> take(step), Thread.currentThread().getName() + "-reader");
    Thread standby = new Thread(() -> take(step), Thread.currentThread().getName() + "-standby");
    synchronized (lock) {
      holder = reader;
    }
    for (Thread t : new Thread[] {reader, standby}) {
      t.setDaemon(true);
      t.start();
    }
    synchronized (lock) {
      while (!ended) {
        lock.wait();
      }
      if (defect instanceof RuntimeException e) {
        throw e;
      }
      if (defect instanceof Error e) {
        throw e;
      }
    }
  }

  /** Called by the reader before it writes a frame inline: wakes a sleeping standby. */
  void beforeInlineWrite() {
    if (standbyAsleep) {
      synchronized (lock) {
        standbyAsleep = false;
        lock.notifyAll();
      }
    }
  }

  private void take(Step step) {
    Thread me = Thread.currentThread();
    // The loop only calls: a method that runs once is compiled only after ~60,000 turns of its
    // loop (C1's back-edge threshold), so its body would be interpreted for that many frames.
    while (turn(me, step)) {
      // the turn did the work
    }
  }

  /** One frame's turn of {@code me}: false when reading has ended (for {@code me} too). */
  private boolean turn(Thread me, Step step) {
    if (!standBy(me)) {
      return false;
    }
    boolean more;
    try {
      more = step.next();
    } catch (RuntimeException | Error e) {
      end(e);
      return false;
    }
    if (!more) {
      end(null);
      return false;
    }
    return true;
  }

  private void end(Throwable e) {
    synchronized (lock) {
      ended = true;
      defect = e;
      lock.notifyAll();
    }
  }

  /** Waits until {@code me} holds the baton (true) or reading has ended (false). */
  private boolean standBy(Thread me) {
    synchronized (lock) {
      long seen = -1;
      int quiet = 0;
      while (holder != me && !ended) {
        if (queue.inlineWriteStuck(holder, stuckNanos)) {
          holder = me; // the reader is stuck writing to the upstream: read on in its place
          break;
        }
        long writes = queue.inlineWrites();
        quiet = writes == seen ? quiet + 1 : 0;
        seen = writes;
        try {
          if (quiet >= QUIET_LOOKS) {
            standbyAsleep = true;
            if (queue.inlineWrites() == seen) { // else a write began before it saw the flag
              lock.wait();
            }
            standbyAsleep = false;
            quiet = 0;
          } else {
            lock.wait(lookMillis);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return !ended;
    }
  }
}
