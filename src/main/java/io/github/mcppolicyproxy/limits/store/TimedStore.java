package io.github.mcppolicyproxy.limits.store;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds every call to a store by a timeout: the calls run one at a time on a thread of their own,
 * and a caller waits at most {@code timeout} (a timeout is an outage). A call abandoned before it
 * ran never runs; a take that completes after its caller gave up is given back. The store is
 * opened on that thread on first use (and again after it failed to open), so a slow open never
 * blocks a caller beyond {@code timeout} plus {@code openGrace}.
 */
public final class TimedStore implements CounterStore {
  /** Opens the underlying store. */
  public interface Opener {
    CounterStore open() throws StoreException;
  }

  private final Opener opener;
  private final String description;
  private final Duration timeout;
  private final Duration openGrace;
  private final ExecutorService thread;
  private volatile CounterStore store;
  private volatile boolean opened;

  /** @param openGrace how much longer than {@code timeout} a caller waits for the first open */
  public TimedStore(Opener opener, String description, Duration timeout, Duration openGrace) {
    this.opener = Objects.requireNonNull(opener, "opener");
    this.description = Objects.requireNonNull(description, "description");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.openGrace = Objects.requireNonNull(openGrace, "openGrace");
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "counter-store");
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens the store now, in the background (so that the first call need not wait for it). */
  public void warmUp() {
    thread.execute(() -> {
      try {
        store();
      } catch (StoreException e) {
        // reported by the first call that needs it
      }
    });
  }

  private CounterStore store() throws StoreException {
    if (store == null) {
      store = opener.open();
      opened = true;
    }
    return store;
  }

  private interface Op<T> {
    T run(CounterStore s) throws StoreException;
  }

  private <T> T call(Op<T> op, Op<Void> undo) throws StoreException {
    AtomicBoolean abandoned = new AtomicBoolean();
    CompletableFuture<T> f = new CompletableFuture<>();
    thread.execute(() -> {
      if (abandoned.get()) {
        f.cancel(false);
        return;
      }
      try {
        CounterStore s = store();
        T result = op.run(s);
        if (abandoned.get() && undo != null) {
          undo.run(s);
        }
        f.complete(result);
      } catch (StoreException | RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    Duration wait = opened ? timeout : timeout.plus(openGrace);
    try {
      return f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      abandoned.set(true);
      throw new StoreException(description + " did not answer within " + wait.toMillis() + " ms");
    } catch (InterruptedException e) {
      abandoned.set(true);
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for " + description);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StoreException se) {
        throw se;
      }
      throw new StoreException(description + ": " + e.getCause(), e.getCause());
    } catch (java.util.concurrent.CancellationException e) {
      throw new StoreException(description + ": call abandoned");
    }
  }

  @Override
  public int take(List<Take> takes) throws StoreException {
    return call(s -> s.take(takes), s -> {
      s.give(takes);
      return null;
    });
  }

  @Override
  public int peek(List<Take> takes) throws StoreException {
    return call(s -> s.peek(takes), null);
  }

  @Override
  public void give(List<Take> takes) throws StoreException {
    call(s -> {
      s.give(takes);
      return null;
    }, null);
  }

  /** Gives back in the background: never waits, reports a failure to {@code onFailure}. */
  public void giveLater(List<Take> takes, java.util.function.Consumer<StoreException> onFailure) {
    thread.execute(() -> {
      try {
        store().give(takes);
      } catch (StoreException e) {
        onFailure.accept(e);
      } catch (RuntimeException e) {
        onFailure.accept(new StoreException(description + ": " + e, e));
      }
    });
  }

  @Override
  public List<CounterState> list(long nowMillis) throws StoreException {
    return call(s -> s.list(nowMillis), null);
  }

  @Override
  public int reset(String scope, String counter) throws StoreException {
    return call(s -> s.reset(scope, counter), null);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    thread.execute(() -> {
      if (store != null) {
        store.close();
      }
    });
    thread.shutdown();
    try {
      thread.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
