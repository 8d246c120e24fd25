package io.github.mcppolicyproxy.integrity;

import static io.github.mcppolicyproxy.jsonrpc.Bytes.LONGS;

/**
 * The cheap first look at a frame or a string: true when it holds anything a secret could be made
 * of (a secret field name, an AWS access key id, a session-token or ECR-token prefix, a PEM private
 * key, or a JSON {@code \\u} escape that could spell one). False means nothing in it can be redacted,
 * so it passes untouched without being parsed. Every detection of {@link SecretText} and every
 * name of {@link SecretText#isSecretName} implies a trigger here (the tests hold it to that).
 */
final class Triggers {
  /** Lower-case words matched case-insensitively, with {@code _} and {@code -} between letters skipped. */
  private static final String[] WORDS = {"secret", "sessiontoken", "securitytoken",
      "authorizationtoken", "passw", "private", "iqojb3jpz2lu", "fwogzxivyxdz", "fqogzxivyxdz",
      "aqodyxdz", "eyjwyxlsb2fkijoi", "qvdtomv5sndzwgxz"};

  /** The words by their first (lower-case ASCII) letter; null for a letter no word starts with. */
  private static final String[][] BY_FIRST = new String[128][];

  static {
    for (String w : WORDS) {
      String[] old = BY_FIRST[w.charAt(0)];
      String[] grown = old == null ? new String[1] : java.util.Arrays.copyOf(old, old.length + 1);
      grown[grown.length - 1] = w;
      BY_FIRST[w.charAt(0)] = grown;
    }
  }

  private Triggers() {}

  /** Per byte: 1 where a word or an access key id may start, 2 for a backslash, else 0. */
  private static final byte[] START = new byte[256];
  /**
   * Per lower-case first letter, the lower-case letters that follow it in some word (bit
   * {@code letter - 'a'}): most letters of ordinary text start no word, so they cost one look.
   */
  private static final int[] SECOND = new int[128];

  static {
    for (String w : WORDS) {
      START[w.charAt(0)] = 1;
      START[Character.toUpperCase(w.charAt(0))] = 1;
      SECOND[w.charAt(0)] |= 1 << (w.charAt(1) - 'a');
    }
    START['A'] = 1;
    START['\\'] = 2;
  }

  /**
   * Per pair of bytes (the first in the low byte, the second in the high one), 1 where a trigger
   * may start at the first: a backslash and {@code u}, {@code A} and {@code K} or {@code S}, or a
   * letter that starts a word and a byte that may follow it in one ({@code _} and {@code -} as
   * well, since they are skipped). Most pairs of ordinary text start nothing; looking them up eight
   * at a time, without a branch per byte, is about twice as fast on C1 as a test per byte.
   */
  private static final byte[] PAIRS = new byte[1 << 16];

  static {
    // Only the pairs that may start something are set (the rest stay 0), a few hundred in all: a
    // static initializer runs once, in the interpreter, where a pass over all 65,536 pairs took
    // ~60 ms, paid by the first tool result of every session. TriggersTest holds the table to
    // mayStart on every pair.
    for (int x = 0; x < 256; x++) {
      if (START[x] == 2) {
        PAIRS[x | 'u' << 8] = 1;
      } else if (START[x] == 1) {
        PAIRS[x | '_' << 8] = 1;
        PAIRS[x | '-' << 8] = 1;
        if (x == 'A') {
          PAIRS[x | 'K' << 8] = 1;
          PAIRS[x | 'S' << 8] = 1;
        }
        int seconds = SECOND[x | 0x20];
        for (int letter = 0; letter < 26; letter++) {
          if ((seconds & 1 << letter) != 0) {
            PAIRS[x | ('a' + letter) << 8] = 1;
            PAIRS[x | ('A' + letter) << 8] = 1;
          }
        }
      }
    }
  }

  /** What {@link #PAIRS} holds for the bytes {@code x} then {@code y}, by its definition. */
  static boolean mayStart(int x, int y) {
    if (START[x] == 2) {
      return y == 'u';
    }
    if (START[x] == 1) {
      int second = (y | 0x20) - 'a';
      return y == '_' || y == '-' || (x == 'A' && (y == 'K' || y == 'S'))
          || (y < 0x80 && second >= 0 && second < 26 && (SECOND[x | 0x20] & (1 << second)) != 0);
    }
    return false;
  }

  /** The table's entry for {@code x} then {@code y}; for tests. */
  static boolean pair(int x, int y) {
    return PAIRS[x | y << 8] != 0;
  }

  /**
   * Ranges of at least this many bytes are looked at by two threads, half each: a large tool
   * result is held until it has been looked at, so the look is on every caller's path.
   */
  static final int SPLIT_BYTES = 1 << 20;

  /** True when {@code b[from, to)} may hold something to redact. */
  static boolean in(byte[] b, int from, int to) {
    if (to - from < SPLIT_BYTES) {
      return startsIn(b, from, to, to);
    }
    int mid = from + (to - from) / 2;
    java.util.concurrent.FutureTask<Boolean> upper =
        new java.util.concurrent.FutureTask<>(() -> startsIn(b, mid, to, to));
    if (!SECOND_HALF.offer(upper)) {
      return startsIn(b, from, to, to);
    }
    if (startsIn(b, from, mid, to)) {
      upper.cancel(false);
      return true;
    }
    upper.run(); // not started yet (the other thread is busy): this thread looks itself
    try {
      return upper.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true; // fail closed: the frame is then read whole for secrets
    } catch (java.util.concurrent.ExecutionException e) {
      return startsIn(b, mid, to, to);
    }
  }

  /**
   * True when something to redact may start at a position of {@code b[from, end)}, reading no
   * further than {@code to}: a trigger that starts before {@code end} may run on past it.
   */
  private static boolean startsIn(byte[] b, int from, int end, int to) {
    int i = from;
    // eight positions a step: the pairs they start are in the word at i and the byte after it
    for (; i + 8 <= end && i + 9 <= to; i += 8) {
      long w = (long) LONGS.get(b, i);
      int next = b[i + 8] & 0xFF;
      int hits = PAIRS[(int) w & 0xFFFF] | PAIRS[(int) (w >>> 8) & 0xFFFF]
          | PAIRS[(int) (w >>> 16) & 0xFFFF] | PAIRS[(int) (w >>> 24) & 0xFFFF]
          | PAIRS[(int) (w >>> 32) & 0xFFFF] | PAIRS[(int) (w >>> 40) & 0xFFFF]
          | PAIRS[(int) (w >>> 48) & 0xFFFF] | PAIRS[(int) (w >>> 56) | next << 8];
      if (hits != 0) {
        for (int k = i; k < i + 8; k++) {
          if (startsAt(b, k, to)) {
            return true;
          }
        }
      }
    }
    for (; i < end; i++) {
      if (startsAt(b, i, to)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs {@code look} (a look at a whole large frame) on a thread of its own; false when it cannot
   * be started (then the caller looks when it needs to).
   */
  static boolean lookAhead(Runnable look) {
    return AHEAD.offer(look);
  }

  /** The thread that looks at a whole large frame ahead of its need (it splits it with SECOND_HALF). */
  private static final Worker AHEAD = new Worker("secret-look-ahead");
  /** The thread that looks at the upper halves of large ranges. */
  private static final Worker SECOND_HALF = new Worker("secret-scan");

  /** One daemon thread, started with its first task. */
  private static final class Worker {
    private final java.util.concurrent.ExecutorService thread;

    Worker(String name) {
      thread = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      });
    }

    /** Runs {@code task} on the thread; false when it cannot take it. */
    boolean offer(Runnable task) {
      try {
        thread.execute(task);
        return true;
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return false;
      }
    }
  }

  /** True when something to redact may start at {@code b[i]}, in {@code b[i, to)}. */
  static boolean startsAt(byte[] b, int i, int to) {
    int c = b[i] & 0xFF;
    int start = START[c];
    if (start == 0) {
      return false;
    }
    if (start == 2) {
      return i + 1 < to && b[i + 1] == 'u';
    }
    if (c == 'A' && i + 4 < to && b[i + 2] == 'I' && b[i + 3] == 'A'
        && (b[i + 1] == 'K' || b[i + 1] == 'S') && upperOrDigit(b[i + 4])) {
      return true;
    }
    int j = i + 1;
    while (j < to && (b[j] == '_' || b[j] == '-')) {
      j++;
    }
    int second = j < to ? (b[j] | 0x20) - 'a' : -1;
    if (second < 0 || second >= 26 || (SECOND[c | 0x20] & (1 << second)) == 0) {
      return false; // no word starts with these two letters
    }
    for (String w : BY_FIRST[c | 0x20]) {
      if (word(b, i, to, w)) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code c[off, off + len)} may hold something to redact. */
  static boolean in(char[] c, int off, int len) {
    return in(java.nio.CharBuffer.wrap(c, off, len));
  }

  /** True when {@code s} may hold something to redact. */
  static boolean in(CharSequence s) {
    int to = s.length();
    for (int i = 0; i < to; i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (i + 1 < to && s.charAt(i + 1) == 'u') {
          return true;
        }
        continue;
      }
      if (c < 'A') {
        continue;
      }
      if (c == 'A' && i + 4 < to && s.charAt(i + 2) == 'I' && s.charAt(i + 3) == 'A'
          && (s.charAt(i + 1) == 'K' || s.charAt(i + 1) == 'S') && upperOrDigit(s.charAt(i + 4))) {
        return true;
      }
      String[] words = c < 0x80 ? BY_FIRST[(c | 0x20) & 0x7f] : null;
      if (words != null) {
        for (String w : words) {
          if (word(s, i, to, w)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean upperOrDigit(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean word(byte[] b, int at, int to, String w) {
    int i = at + 1;
    for (int k = 1; k < w.length(); k++) {
      while (i < to && (b[i] == '_' || b[i] == '-')) {
        i++;
      }
      if (i >= to || (b[i] | 0x20) != w.charAt(k)) {
        return false;
      }
      i++;
    }
    return true;
  }

  private static boolean word(CharSequence s, int at, int to, String w) {
    int i = at + 1;
    for (int k = 1; k < w.length(); k++) {
      while (i < to && (s.charAt(i) == '_' || s.charAt(i) == '-')) {
        i++;
      }
      if (i >= to || s.charAt(i) >= 0x80 || (s.charAt(i) | 0x20) != w.charAt(k)) {
        return false;
      }
      i++;
    }
    return true;
  }
}
