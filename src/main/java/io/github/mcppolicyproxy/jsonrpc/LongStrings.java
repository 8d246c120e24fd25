package io.github.mcppolicyproxy.jsonrpc;

import java.util.Arrays;

/**
 * Validates the long strings of a large frame while it is still being read, so that the envelope
 * scan at its end can step over them (see {@link Hints}): a 20 MB tool result is mostly one string,
 * and its UTF-8 and escapes then cost nothing after the frame's last byte, the time the client
 * waits for it.
 *
 * <p>Fed the frame's bytes in order, in pieces of any size (each read of the pipe), it follows
 * JSON's strings: outside a string a quote opens one, inside it an unescaped quote closes it. For
 * each string of at least {@link #MIN_BYTES} whose content is valid (the steps of
 * {@link JsonTokens#string()}: escapes, no control character, strict UTF-8), it notes where its
 * content starts and where its closing quote is. Whether a string's content is valid, and where
 * it closes, depends only on the bytes from its first content byte on, not on what comes before:
 * so a note is true of the frame even when the frame is not valid JSON and the quote that opened
 * it for this class opens nothing for a parser; a scan that starts a string at a noted place may
 * take the note instead of reading the string, and reaches the same verdict. On the first invalid
 * string it stops noting (the scan at the end reads the rest, and words the problem).
 *
 * <p>An escape or a UTF-8 sequence cut by the end of a piece is kept (at most five bytes) and
 * completed with the next piece's first bytes. Not thread-safe: one per frame being read.
 */
public final class LongStrings implements LineLook {
  /** Shorter strings are left to the scan at the end: noting them would cost more than it saves. */
  public static final int MIN_BYTES = 1024;

  /** What the scan at the end may take as read: ordered by start. */
  public static final class Hints {
    final int[] starts; // content starts, increasing
    final int[] closes; // the closing quote of each
    final int count;

    private Hints(int[] starts, int[] closes, int count) {
      this.starts = starts;
      this.closes = closes;
      this.count = count;
    }

    /** How many long strings are noted. */
    public int count() {
      return count;
    }
  }

  private final int minBytes;
  private long at; // the frame offset of the next byte fed
  private boolean inString;
  private long contentStart; // of the string being read
  private final byte[] carry = new byte[6];
  private int carryLen;
  private boolean stopped;
  private int[] starts = new int[8];
  private int[] closes = new int[8];
  private int count;

  public LongStrings() {
    this(MIN_BYTES);
  }

  /** Notes the strings of at least {@code minBytes} (the tests note every string). */
  LongStrings(int minBytes) {
    this.minBytes = minBytes;
  }

  private Hints hints; // once ended

  /** Takes the frame's next bytes, {@code b[from, to)}. */
  @Override
  public void feed(byte[] b, int from, int to) {
    int j = from;
    long base = at - from; // frame offset of b[0], for this piece
    at += to - from;
    if (stopped) {
      return;
    }
    if (carryLen > 0) {
      j = completeCarry(b, from, to);
      if (j < 0 || stopped) {
        return; // still incomplete (all of the piece carried), or invalid
      }
    }
    Steps steps = null; // one per piece
    while (j < to) {
      if (!inString) {
        int q = Bytes.indexOf(b, j, to, (byte) '"');
        if (q < 0) {
          return;
        }
        inString = true;
        contentStart = base + q + 1;
        j = q + 1;
        continue;
      }
      if (steps == null) {
        steps = new Steps(b, to);
      }
      j = content(steps, j, base);
      if (stopped) {
        return;
      }
    }
  }

  @Override
  public void ended(int length) {
    hints = done(length);
  }

  /** What was noted, once the line {@linkplain #ended ended}; null: nothing (or not ended). */
  public Hints hints() {
    return hints;
  }

  /**
   * What was noted, for a frame of {@code length} bytes; null when the bytes fed were not that
   * many (then nothing can be trusted) or nothing was noted.
   */
  public Hints done(int length) {
    if (at != length || count == 0) {
      return null;
    }
    return new Hints(starts, closes, count);
  }

  /**
   * Reads string content from {@code j}: returns where reading goes on (after the closing quote,
   * with {@code inString} false; or {@code to}, a cut escape or sequence then carried).
   */
  private int content(Steps steps, int j, long base) {
    byte[] b = steps.b;
    int to = steps.end;
    steps.i = j;
    while (true) {
      int q = steps.plainString();
      if (q >= 0) {
        closed(base + q);
        return q + 1;
      }
      int k = steps.i;
      if (k >= to) {
        return to;
      }
      int need = tokenLength(b[k], k + 1 < to ? b[k + 1] : -1);
      if (need <= 0) {
        stopped = true; // a control character or a byte no UTF-8 sequence starts with
        return to;
      }
      if (k + need > to) {
        carryLen = to - k;
        System.arraycopy(b, k, carry, 0, carryLen);
        return to;
      }
      steps.i = k;
      if (b[k] == '\\' ? !steps.escape() : (steps.i = Utf8.afterSequence(b, k, to)) < 0) {
        stopped = true;
        return to;
      }
    }
  }

  /**
   * Completes the carried escape or sequence with the piece's first bytes and goes on in string
   * content after it; the index in the piece where reading goes on, or -1 when the piece was too
   * short to complete it (then all of it is carried).
   */
  private int completeCarry(byte[] b, int from, int to) {
    int need = tokenLength(carry[0], carryLen > 1 ? carry[1] : from < to ? b[from] : -1);
    if (need <= 0) {
      stopped = true;
      return -1;
    }
    int take = need - carryLen;
    if (take > to - from) {
      System.arraycopy(b, from, carry, carryLen, to - from);
      carryLen += to - from;
      return -1;
    }
    byte[] token = Arrays.copyOf(carry, need);
    System.arraycopy(b, from, token, carryLen, take);
    carryLen = 0;
    if (!tokenValid(token, 0, need)) {
      stopped = true;
      return -1;
    }
    return from + take;
  }

  /**
   * The length of the escape or UTF-8 sequence that starts with {@code first} (followed by
   * {@code second}, -1 when not yet known); 0 for a byte that starts neither (a control character,
   * a byte no sequence starts with).
   */
  private static int tokenLength(int first, int second) {
    int c = first & 0xFF;
    if (c == '\\') {
      return second == 'u' ? 6 : 2;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
      return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
      return 4;
    }
    return 0;
  }

  /** True when {@code b[k, k + need)} is a valid escape or UTF-8 sequence, by the scan's steps. */
  private static boolean tokenValid(byte[] b, int k, int need) {
    if (b[k] == '\\') {
      Steps t = new Steps(b, k + need);
      t.i = k;
      return t.escape() && t.i == k + need;
    }
    return Utf8.afterSequence(b, k, k + need) == k + need;
  }

  private void closed(long close) {
    inString = false;
    if (close - contentStart < minBytes) {
      return;
    }
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      closes = Arrays.copyOf(closes, count * 2);
    }
    starts[count] = (int) contentStart;
    closes[count] = (int) close;
    count++;
  }

  /** The scan's own steps over string content, on the piece at hand. */
  private static final class Steps extends JsonTokens {
    Steps(byte[] piece, int to) {
      super(piece, 0, to);
    }
  }
}
