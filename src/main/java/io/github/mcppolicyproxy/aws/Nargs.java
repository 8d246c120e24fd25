package io.github.mcppolicyproxy.aws;

import io.github.mcppolicyproxy.aws.CliModel.Action;

/**
 * argparse's nargs patterns, matched without building or compiling a regex. argparse writes the
 * words as a string of {@code O} (an option), {@code A} (a value) and {@code -} (the word
 * {@code --}), and takes an action's values with a regex per nargs: {@code (-*A-*)} for one value,
 * {@code (-*A?-*)}, {@code (-*[A-]*)}, {@code (-*A[A-]*)}, {@code ([-AO]*)} for the remainder,
 * {@code (-*A-*A-*)} for two; an option's pattern has every {@code -} removed. Positionals are
 * matched together ({@code match_partial}: as many as fit, the longest list first).
 *
 * <p>Each pattern is a sequence of atoms, a set of letters repeated between a minimum and a
 * maximum, all greedy. This class tries the same paths in the same order as a regex engine's
 * backtracking (the most repetitions first, then one fewer), so it finds the same match and the
 * same group lengths: {@code NargsTest} checks it against the regexes on every pattern string up to
 * a length.
 */
final class Nargs {
  private Nargs() {}

  private static final int VALUE = 1;
  private static final int OPTION = 2;
  private static final int DASHES = 4;
  private static final int UNBOUNDED = Integer.MAX_VALUE;
  private static final int[] NONE = new int[0];

  private static int letter(char c) {
    return switch (c) {
      case 'A' -> VALUE;
      case 'O' -> OPTION;
      case '-' -> DASHES;
      default -> 0;
    };
  }

  /**
   * How many words from {@code from} an option of this nargs {@code kind} takes (its pattern
   * without {@code -}), or -1 when its pattern does not match.
   */
  static int optional(String kind, char[] p, int from) {
    return switch (kind) {
      case "T", "F", "K", "V" -> 0;
      case "1" -> from < p.length && p[from] == 'A' ? 1 : -1;
      case "?" -> from < p.length && p[from] == 'A' ? 1 : 0;
      case "*" -> run(p, from, VALUE);
      case "+" -> from < p.length && p[from] == 'A' ? run(p, from, VALUE) : -1;
      case "R" -> run(p, from, VALUE | OPTION);
      default -> {
        int n = number(kind);
        yield run(p, from, VALUE) >= n ? n : -1;
      }
    };
  }

  private static int run(char[] p, int from, int set) {
    int i = from;
    while (i < p.length && (letter(p[i]) & set) != 0) {
      i++;
    }
    return i - from;
  }

  /**
   * The joined patterns of positionals {@code actions[first..first+count)} as atoms: constants of
   * a table, so {@link OptionIndex} makes them once ({@link #joinAll}).
   */
  record Joined(int[] set, int[] min, int[] max, int[] group) {}

  /**
   * argparse's {@code _match_arguments_partial}: the word counts of the longest prefix of
   * {@code actions[first..]} whose joined patterns match at {@code start}; empty when none does.
   * (The parser passes its table's patterns, joined once by {@link OptionIndex}; this form joins
   * them on each call, for {@code NargsTest}.)
   */
  static int[] matchPartial(Action[] actions, int first, char[] p, int start) {
    return matchPartial(joinAll(actions), first, p, start);
  }

  /** As above, with the patterns joined beforehand: {@code joined[first][count - 1]}. */
  static int[] matchPartial(Joined[][] joined, int first, char[] p, int start) {
    if (first >= joined.length) {
      return NONE;
    }
    Joined[] fromFirst = joined[first];
    for (int count = fromFirst.length; count > 0; count--) {
      Joined j = fromFirst[count - 1];
      int[] len = new int[j.set().length];
      if (match(0, start, j.set(), j.min(), j.max(), p, len)) {
        int[] counts = new int[count];
        for (int a = 0; a < len.length; a++) {
          counts[j.group()[a]] += len[a];
        }
        return counts;
      }
    }
    return NONE;
  }

  /** Every joined pattern of {@code actions}: {@code [first][count - 1]}. */
  static Joined[][] joinAll(Action[] actions) {
    Joined[][] all = new Joined[actions.length][];
    for (int first = 0; first < actions.length; first++) {
      all[first] = new Joined[actions.length - first];
      for (int count = 1; count <= actions.length - first; count++) {
        all[first][count - 1] = join(actions, first, count);
      }
    }
    return all;
  }

  private static Joined join(Action[] actions, int first, int count) {
    int atoms = 0;
    for (int i = first; i < first + count; i++) {
      atoms += atomCount(actions[i].kind());
    }
    int[] set = new int[atoms];
    int[] min = new int[atoms];
    int[] max = new int[atoms];
    int[] group = new int[atoms];
    int k = 0;
    for (int i = 0; i < count; i++) {
      k = atoms(actions[first + i].kind(), i, k, set, min, max, group);
    }
    return new Joined(set, min, max, group);
  }

  private static int atomCount(String kind) {
    return switch (kind) {
      case "T", "F", "K", "V", "*" -> 2;
      case "1", "?", "+" -> 3;
      case "R" -> 1;
      default -> {
        int n = number(kind);
        yield n == 0 ? 2 : 1 + 2 * n;
      }
    };
  }

  /** A nargs count; fails as the regex version did ({@code Collections.nCopies}) for a bad one. */
  private static int number(String kind) {
    int n = Integer.parseInt(kind);
    if (n < 0) {
      throw new IllegalArgumentException("List length = " + n);
    }
    return n;
  }

  /** Writes the atoms of one positional's pattern from index {@code k}; returns the next index. */
  private static int atoms(String kind, int g, int k, int[] set, int[] min, int[] max, int[] group) {
    switch (kind) {
      case "T", "F", "K", "V" -> {
        k = atom(k, g, DASHES, 0, UNBOUNDED, set, min, max, group);
        k = atom(k, g, DASHES, 0, UNBOUNDED, set, min, max, group);
      }
      case "1" -> {
        k = atom(k, g, DASHES, 0, UNBOUNDED, set, min, max, group);
        k = atom(k, g, VALUE, 1, 1, set, min, max, group);
        k = atom(k, g, DASHES, 0, UNBOUNDED, set, min, max, group);
      }
      case "?" -> {
        k = atom(k, g, DASHES, 0, UNBOUNDED, set, min, max, group);
        k = atom(k, g, VALUE, 0, 1, set, min, max, group);
        k = atom(k, g, DASHES, 0, UNBOUNDED, set, min, max, group);
      }
      case "*" -> {
        k = atom(k, g, DASHES, 0, UNBOUNDED, set, min, max, group);
        k = atom(k, g, VALUE | DASHES, 0, UNBOUNDED, set, min, max, group);
      }
      case "+" -> {
        k = atom(k, g, DASHES, 0, UNBOUNDED, set, min, max, group);
        k = atom(k, g, VALUE, 1, 1, set, min, max, group);
        k = atom(k, g, VALUE | DASHES, 0, UNBOUNDED, set, min, max, group);
      }
      case "R" -> k = atom(k, g, VALUE | OPTION | DASHES, 0, UNBOUNDED, set, min, max, group);
      default -> {
        int n = number(kind);
        k = atom(k, g, DASHES, 0, UNBOUNDED, set, min, max, group);
        if (n == 0) {
          k = atom(k, g, DASHES, 0, UNBOUNDED, set, min, max, group);
        }
        for (int i = 0; i < n; i++) {
          k = atom(k, g, VALUE, 1, 1, set, min, max, group);
          k = atom(k, g, DASHES, 0, UNBOUNDED, set, min, max, group);
        }
      }
    }
    return k;
  }

  private static int atom(int k, int g, int letters, int least, int most, int[] set, int[] min, int[] max,
      int[] group) {
    set[k] = letters;
    min[k] = least;
    max[k] = most;
    group[k] = g;
    return k + 1;
  }

  /** Greedy backtracking from atom {@code k} at {@code pos}: the most repetitions first. */
  private static boolean match(int k, int pos, int[] set, int[] min, int[] max, char[] p, int[] len) {
    if (k == set.length) {
      return true;
    }
    int most = 0;
    while (most < max[k] && pos + most < p.length && (letter(p[pos + most]) & set[k]) != 0) {
      most++;
    }
    for (int l = most; l >= min[k]; l--) {
      len[k] = l;
      if (match(k + 1, pos + l, set, min, max, p, len)) {
        return true;
      }
    }
    return false;
  }
}
