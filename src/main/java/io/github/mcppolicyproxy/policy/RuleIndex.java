package io.github.mcppolicyproxy.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries of {@code tools} or {@code operations}, indexed so that a lookup touches only the
 * keys that can match: exact names through a hash map, operation globs by their literal service
 * ({@code omics:Start*} is only tried for {@code omics:...}), and the remaining globs in a list.
 * Results keep file order. Lookups are remembered per name (up to {@link #MEMO_NAMES} names; the
 * rest are looked up each time), so a policy of a thousand globs costs a hash lookup per call.
 * Thread-safe.
 */
final class RuleIndex {
  private record Rule(int order, Glob glob, Entry entry) {}

  private final boolean operations;
  private final Map<String, List<Rule>> exact = new HashMap<>();
  private final Map<String, List<Rule>> byService = new HashMap<>();
  private final List<Rule> globs = new ArrayList<>();
  /** How many names' lookups are remembered: names come from clients, so the memo is bounded. */
  static final int MEMO_NAMES = 4096;
  private final java.util.concurrent.ConcurrentHashMap<String, Match> memo =
      new java.util.concurrent.ConcurrentHashMap<>();

  RuleIndex(Map<Glob, Entry> entries, boolean operations) {
    this.operations = operations;
    int order = 0;
    for (Map.Entry<Glob, Entry> e : entries.entrySet()) {
      Rule r = new Rule(order++, e.getKey(), e.getValue());
      String text = e.getKey().text();
      if (!e.getKey().glob()) {
        exact.computeIfAbsent(operations ? Glob.lower(text) : text, k -> new ArrayList<>(1)).add(r);
      } else if (operations && text.indexOf(':') > 0
          && !Glob.isGlob(text.substring(0, text.indexOf(':')))) {
        byService.computeIfAbsent(Glob.lower(text.substring(0, text.indexOf(':'))),
            k -> new ArrayList<>()).add(r);
      } else {
        globs.add(r);
      }
    }
  }

  /**
   * What applies to one name.
   *
   * @param entries every entry whose key matches, in file order
   * @param decider the matching entry with the most specific key (an exact name, else the glob
   *     with the most literal characters; the first in file order on a tie), or null
   * @param deny the denying entry with the most specific key (its reason is the one shown), or null
   */
  record Match(List<Entry> entries, Entry decider, Entry deny) {}

  private static final Match NONE = new Match(List.of(), null, null);

  /** Every entry whose key matches {@code name}, and the one that decides allow vs approval. */
  Match lookup(String name) {
    Match m = memo.get(name);
    if (m == null) {
      m = find(name);
      if (memo.size() < MEMO_NAMES) {
        memo.putIfAbsent(name, m);
      }
    }
    return m;
  }

  private Match find(String name) {
    String folded = operations ? Glob.lower(name) : name;
    List<Rule> hits = null;
    hits = collect(exact.get(folded), name, folded, hits);
    if (operations) {
      int colon = name.indexOf(':');
      hits = collect(colon > 0 ? byService.get(folded.substring(0, colon)) : null, name, folded,
          hits);
    }
    hits = collect(globs, name, folded, hits);
    if (hits == null) {
      return NONE;
    }
    if (hits.size() > 1) {
      hits.sort((a, b) -> Integer.compare(a.order(), b.order()));
    }
    List<Entry> entries = new ArrayList<>(hits.size());
    Rule best = null;
    Rule deny = null;
    for (Rule r : hits) {
      entries.add(r.entry());
      if (best == null || r.glob().specificity() > best.glob().specificity()) {
        best = r;
      }
      if (r.entry().action() == Policy.Action.DENY
          && (deny == null || r.glob().specificity() > deny.glob().specificity())) {
        deny = r;
      }
    }
    return new Match(List.copyOf(entries), best.entry(), deny == null ? null : deny.entry());
  }

  private static List<Rule> collect(List<Rule> rules, String name, String folded, List<Rule> hits) {
    if (rules == null) {
      return hits;
    }
    for (Rule r : rules) {
      if (r.glob().matches(name, folded)) {
        if (hits == null) {
          hits = new ArrayList<>(4);
        }
        hits.add(r);
      }
    }
    return hits;
  }
}
