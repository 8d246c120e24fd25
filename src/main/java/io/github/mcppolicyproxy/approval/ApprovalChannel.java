package io.github.mcppolicyproxy.approval;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A way to ask a person whether one call may run. Asking never blocks the caller: the answer comes
 * as a future, so a call that waits for a person holds up no other call.
 */
public interface ApprovalChannel {
  /** A channel that can ask nobody: every call that needs approval is refused. */
  ApprovalChannel NONE = new ApprovalChannel() {
    @Override
    public boolean available() {
      return false;
    }

    @Override
    public CompletableFuture<Answer> ask(String question, Duration timeout) {
      return CompletableFuture.completedFuture(Answer.UNAVAILABLE);
    }
  };

  /** What the person said (or did not say). */
  enum Answer {
    APPROVED,
    DECLINED,
    TIMED_OUT,
    /** The question could not be put (the client went away, or cannot show it). */
    UNAVAILABLE
  }

  /** Notes the capabilities the client declared in {@code initialize}. */
  default void clientCapabilities(com.fasterxml.jackson.databind.JsonNode capabilities) {}

  /**
   * Offers a frame from the client that may answer one of this channel's questions; true when it
   * did (it must then not be forwarded).
   */
  default boolean offer(io.github.mcppolicyproxy.jsonrpc.Envelope e, byte[] frame) {
    return false;
  }

  /**
   * Where a call goes that the client cannot be asked about ({@code --approval-fallback
   * out-of-band}), or every call with {@link #outOfBandFirst}; null when there is no such channel.
   */
  default OutOfBandApprovals outOfBand() {
    return null;
  }

  /** True when the operator sends every approval out of band ({@code --approval-via out-of-band}). */
  default boolean outOfBandFirst() {
    return false;
  }

  /** Whether a person can be asked now. */
  boolean available();

  /** Puts {@code question} to a person; completes when they answer or {@code timeout} passes. */
  CompletableFuture<Answer> ask(String question, Duration timeout);
}
