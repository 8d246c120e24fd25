package io.github.mcppolicyproxy.jsonrpc;

/**
 * Whether a line holds a byte string, found while the line is read ({@link LineLook}): the same
 * answer as {@link Bytes#indexOf(byte[], byte[])} over the whole line, also for a needle cut
 * between two pieces (the last bytes of each piece are kept for the next).
 */
public final class NeedleLook implements LineLook {
  private final byte[] needle;
  private final int anchor;
  private final byte[] tail;
  private int tailLen;
  private long fed;
  private boolean found;
  private Boolean verdict; // once ended

  /**
   * @param needle what to look for (not empty)
   * @param anchor the index of its rarest byte, looked for first
   */
  public NeedleLook(byte[] needle, int anchor) {
    if (needle.length == 0 || anchor < 0 || anchor >= needle.length) {
      throw new IllegalArgumentException("needle of " + needle.length + " bytes, anchor " + anchor);
    }
    this.needle = needle.clone();
    this.anchor = anchor;
    this.tail = new byte[needle.length - 1];
  }

  @Override
  public void feed(byte[] b, int from, int to) {
    fed += to - from;
    if (found || from >= to) {
      return;
    }
    int keep = tail.length;
    if (tailLen > 0) {
      int take = Math.min(to - from, keep);
      byte[] seam = java.util.Arrays.copyOf(tail, tailLen + take);
      System.arraycopy(b, from, seam, tailLen, take);
      if (indexOf(seam, 0, seam.length) >= 0) {
        found = true;
        return;
      }
    }
    if (indexOf(b, from, to) >= 0) {
      found = true;
      return;
    }
    int n = to - from;
    if (n >= keep) {
      System.arraycopy(b, to - keep, tail, 0, keep);
      tailLen = keep;
    } else {
      int fromTail = Math.min(tailLen, keep - n);
      System.arraycopy(tail, tailLen - fromTail, tail, 0, fromTail);
      System.arraycopy(b, from, tail, fromTail, n);
      tailLen = fromTail + n;
    }
  }

  @Override
  public void ended(int length) {
    verdict = fed == length ? found : null;
  }

  /** True when the look is complete: {@link #found()} is then the answer for the line. */
  public boolean known() {
    return verdict != null;
  }

  /** Whether the line holds the needle; true unless {@link #known()} (then look for yourself). */
  public boolean found() {
    return verdict == null || verdict;
  }

  private int indexOf(byte[] hay, int from, int to) {
    int n = needle.length;
    byte a = needle[anchor];
    int i = from + anchor;
    int last = to - (n - 1 - anchor);
    while (i < last) {
      i = Bytes.indexOf(hay, i, last, a);
      if (i < 0) {
        return -1;
      }
      int start = i - anchor;
      boolean match = true;
      for (int k = 0; k < n && match; k++) {
        match = hay[start + k] == needle[k];
      }
      if (match) {
        return start;
      }
      i++;
    }
    return -1;
  }
}
