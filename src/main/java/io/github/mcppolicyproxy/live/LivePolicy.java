package io.github.mcppolicyproxy.live;

import io.github.mcppolicyproxy.proxy.CallJudge;
import java.io.PrintStream;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The one holder of the policy version in force: an immutable {@link CallJudge} (the compiled
 * policy, its engine and the shared quota). A decision reads it once with {@link #get()} and uses
 * that version throughout, so every call is judged by exactly one whole version. Thread-safe.
 */
public final class LivePolicy implements Supplier<CallJudge> {
  private final AtomicReference<CallJudge> current;
  private final List<BiConsumer<CallJudge, CallJudge>> listeners = new CopyOnWriteArrayList<>();
  private final PrintStream stderr;

  public LivePolicy(CallJudge first, PrintStream stderr) {
    this.current = new AtomicReference<>(Objects.requireNonNull(first, "first"));
    this.stderr = Objects.requireNonNull(stderr, "stderr");
  }

  /** The version in force now. */
  @Override
  public CallJudge get() {
    return current.get();
  }

  /** Calls {@code listener(old, new)} after every swap, on the thread that swapped. */
  public void onSwap(BiConsumer<CallJudge, CallJudge> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Puts {@code next} in force for every decision that starts from now on; returns the old one. */
  CallJudge swap(CallJudge next) {
    CallJudge old = current.getAndSet(Objects.requireNonNull(next, "next"));
    for (BiConsumer<CallJudge, CallJudge> l : listeners) {
      try {
        l.accept(old, next);
      } catch (RuntimeException e) {
        stderr.println("mcp-policy-proxy: after a policy reload: " + e);
      }
    }
    return old;
  }
}
