package io.github.mcppolicyproxy.integrity;

/**
 * The secret-trigger look of {@link Triggers} over a large frame, done while the frame is read:
 * fed its bytes in order, in pieces of any size, it gives the answer {@code Triggers.in} gives for
 * the whole frame, so that a 20 MB result with nothing to redact is passed on without a look after
 * its last byte.
 *
 * <p>A look from a place reads on past it, at most until {@link Triggers#LOOKS_AHEAD} bytes other
 * than {@code _} and {@code -} have followed: places with that many after them in what was fed are
 * decided at once; the last few (and a run of separators) wait in a small buffer for the next
 * piece, or for the frame's end. A run of separators longer than {@link #MAX_PENDING} makes it
 * answer "may hold a secret" (the redactor then reads the frame: slower, never less safe).
 */
public final class TriggerLook {
  /** Undecided places kept at most; beyond this the answer is "may hold a secret". */
  static final int MAX_PENDING = 64 * 1024;
  /** The bytes of a new piece looked at with the undecided places before it. */
  private static final int STITCH = 4096;

  private byte[] pending = new byte[64];
  private int pendingLen;
  private long fed;
  private boolean found;
  private Boolean verdict; // once ended

  /** Takes the frame's next bytes, {@code b[from, to)}. */
  public void feed(byte[] b, int from, int to) {
    fed += to - from;
    if (found || from >= to) {
      return;
    }
    if (pendingLen > 0) {
      int take = Math.min(to - from, STITCH);
      byte[] s = java.util.Arrays.copyOf(pending, pendingLen + take);
      System.arraycopy(b, from, s, pendingLen, take);
      int cut = decidedBefore(s, 0, s.length);
      if (Triggers.startsIn(s, 0, Math.min(cut, pendingLen), s.length)) {
        found = true;
        return;
      }
      if (cut < pendingLen) {
        // not enough after the undecided places yet: a short piece, or a run of separators
        if (take < to - from) {
          found = true; // over STITCH bytes of separators: see MAX_PENDING
          return;
        }
        keep(s, cut, s.length);
        return;
      }
      pendingLen = 0;
    }
    int cut = decidedBefore(b, from, to);
    if (Triggers.startsIn(b, from, cut, to)) {
      found = true;
      return;
    }
    keep(b, cut, to);
  }

  /**
   * Ends the frame, of {@code length} bytes. {@link #known()} is then true when the bytes fed
   * were that many.
   */
  public void ended(long length) {
    if (fed != length) {
      verdict = null;
      return;
    }
    if (!found && pendingLen > 0) {
      found = Triggers.startsIn(pending, 0, pendingLen, pendingLen); // the frame ends there
    }
    verdict = found;
  }

  /** True when the look is complete: {@link #mayHoldSecret()} is then the answer for the frame. */
  public boolean known() {
    return verdict != null;
  }

  /** What {@code Triggers.in} says of the whole frame; true unless {@link #known()}. */
  public boolean mayHoldSecret() {
    return verdict == null || verdict;
  }

  /**
   * The first place of {@code b[from, to)} whose look may read past {@code to}: the places before
   * it have at least {@link Triggers#LOOKS_AHEAD} bytes other than separators after them
   * ({@code from} when none has).
   */
  private static int decidedBefore(byte[] b, int from, int to) {
    int count = 0;
    for (int i = to - 1; i >= from; i--) {
      if (b[i] != '_' && b[i] != '-' && ++count == Triggers.LOOKS_AHEAD) {
        return i;
      }
    }
    return from;
  }

  /** Keeps {@code b[from, to)}, the undecided places, for the next piece. */
  private void keep(byte[] b, int from, int to) {
    int n = to - from;
    if (n > MAX_PENDING) {
      found = true;
      return;
    }
    if (n > pending.length) {
      pending = new byte[Math.max(n, pending.length * 2)];
    }
    System.arraycopy(b, from, pending, 0, n);
    pendingLen = n;
  }
}
