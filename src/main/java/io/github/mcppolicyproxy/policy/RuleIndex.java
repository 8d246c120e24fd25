package io.github.mcppolicyproxy.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The entries of {@code tools} or {@code operations}, indexed so that a lookup touches only the
 * keys that can match: exact names through a hash map, operation globs by their literal service
 * ({@code omics:Start*} is only tried for {@code omics:...}), and the remaining globs in a list.
 * Results keep file order. Immutable and thread-safe.
 */
final class RuleIndex {
  private record Rule(int order, Glob glob, Entry entry) {}

  private final boolean operations;
  private final Map<String, List<Rule>> exact = new HashMap<>();
  private final Map<String, List<Rule>> byService = new HashMap<>();
  private final List<Rule> globs = new ArrayList<>();

  RuleIndex(Map<Glob, Entry> entries, boolean operations) {
    this.operations = operations;
    int order = 0;
    for (Map.Entry<Glob, Entry> e : entries.entrySet()) {
      Rule r = new Rule(order++, e.getKey(), e.getValue());
      String text = e.getKey().text();
      if (!e.getKey().glob()) {
        exact.computeIfAbsent(operations ? lower(text) : text, k -> new ArrayList<>(1)).add(r);
      } else if (operations && text.indexOf(':') > 0
          && !Glob.isGlob(text.substring(0, text.indexOf(':')))) {
        byService.computeIfAbsent(lower(text.substring(0, text.indexOf(':'))),
            k -> new ArrayList<>()).add(r);
      } else {
        globs.add(r);
      }
    }
  }

  /** Every entry whose key matches {@code name}, in file order. */
  List<Entry> matching(String name) {
    List<Rule> hits = hits(name);
    List<Entry> out = new ArrayList<>(hits.size());
    for (Rule r : hits) {
      out.add(r.entry());
    }
    return out;
  }

  /**
   * The matching entry with the most specific key (an exact name, else the glob with the most
   * literal characters; the first in file order on a tie), or null.
   */
  Entry mostSpecific(String name) {
    Rule best = null;
    for (Rule r : hits(name)) {
      if (best == null || r.glob().specificity() > best.glob().specificity()) {
        best = r;
      }
    }
    return best == null ? null : best.entry();
  }

  private List<Rule> hits(String name) {
    List<Rule> hits = new ArrayList<>(4);
    List<Rule> ex = exact.get(operations ? lower(name) : name);
    if (ex != null) {
      for (Rule r : ex) {
        if (r.glob().matches(name)) {
          hits.add(r);
        }
      }
    }
    if (operations) {
      int colon = name.indexOf(':');
      List<Rule> svc = colon > 0 ? byService.get(lower(name.substring(0, colon))) : null;
      if (svc != null) {
        for (Rule r : svc) {
          if (r.glob().matches(name)) {
            hits.add(r);
          }
        }
      }
    }
    for (Rule r : globs) {
      if (r.glob().matches(name)) {
        hits.add(r);
      }
    }
    if (hits.size() > 1) {
      hits.sort((a, b) -> Integer.compare(a.order(), b.order()));
    }
    return hits;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
