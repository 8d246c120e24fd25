package io.github.mcppolicyproxy.aws;

import io.github.mcppolicyproxy.aws.CliModel.Action;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What argparse derives from a table before it reads any word: the option strings (a later
 * action registering the same string takes it over, as in argparse; the order is the first
 * registration's), the same strings sorted for the prefix search, and the positionals. Built once
 * per {@link CliModel.Table} ({@link CliModel.Table#index()}) for {@link ArgParse}; immutable.
 */
final class OptionIndex {
  private final Map<String, Action> options;
  private final String[] order;
  private final String[] sorted;
  /** For each entry of {@code sorted}, its position in {@code order}. */
  private final int[] rank;
  private final Action[] positionals;
  /** The positionals' patterns, joined for argparse's partial match ({@link Nargs#joinAll}). */
  private final Nargs.Joined[][] joined;

  OptionIndex(List<Action> actions) {
    Map<String, Action> byString = new HashMap<>();
    List<String> strings = new ArrayList<>();
    List<Action> positional = new ArrayList<>();
    for (Action a : actions) {
      if (a.positional()) {
        positional.add(a);
      } else {
        for (String o : a.options()) {
          if (byString.put("--" + o, a) == null) {
            strings.add("--" + o);
          }
        }
      }
    }
    this.options = byString;
    this.order = strings.toArray(new String[0]);
    Integer[] byText = new Integer[order.length];
    for (int i = 0; i < byText.length; i++) {
      byText[i] = i;
    }
    Arrays.sort(byText, (x, y) -> order[x].compareTo(order[y]));
    this.sorted = new String[order.length];
    this.rank = new int[order.length];
    for (int i = 0; i < byText.length; i++) {
      sorted[i] = order[byText[i]];
      rank[i] = byText[i];
    }
    this.positionals = positional.toArray(new Action[0]);
    this.joined = Nargs.joinAll(positionals);
  }

  /** The action an exact option string ({@code --name}) belongs to, or null. */
  Action action(String optionString) {
    return options.get(optionString);
  }

  /** The positional actions, in registration order (the array is not copied: do not change it). */
  Action[] positionals() {
    return positionals;
  }

  /** The positionals' joined patterns, {@code [first][count - 1]} (not copied: do not change them). */
  Nargs.Joined[][] joinedPositionals() {
    return joined;
  }

  /** The option strings that start with {@code prefix}, in registration order. */
  List<String> startingWith(String prefix) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid].compareTo(prefix) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    int end = lo;
    while (end < sorted.length && sorted[end].startsWith(prefix)) {
      end++;
    }
    if (end == lo) {
      return List.of();
    }
    if (end == lo + 1) {
      return List.of(sorted[lo]);
    }
    int[] ranks = Arrays.copyOfRange(rank, lo, end);
    Arrays.sort(ranks);
    List<String> out = new ArrayList<>(ranks.length);
    for (int r : ranks) {
      out.add(order[r]);
    }
    return out;
  }
}
