package io.github.mcppolicyproxy.aws;

import io.github.mcppolicyproxy.aws.CliModel.Action;
import io.github.mcppolicyproxy.aws.CliModel.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code argparse.ArgumentParser.parse_known_args} (CPython 3.11, the version of the
 * differential oracle) over one of the AWS CLI's argument tables, for the options the CLI has
 * (long options only, {@code allow_abbrev} on). It follows argparse step by step: every word is
 * classified as an option ({@code --name}, {@code --name=value}, a unique prefix of a name, also
 * with {@code =value}, also with spaces after the {@code =}) or a value (a negative number, a word
 * with a space and no option before its {@code =}, anything not starting with {@code -}); option
 * values are taken by the nargs patterns; {@code --} ends the options. Where argparse would report
 * an error (an ambiguous prefix, a value given to a flag, too few values) the command is refused:
 * the server swallows some of these errors and runs something else than either reading.
 */
final class ArgParse {

  /** One occurrence of an action and the words it took (a flag takes none). */
  record Occurrence(Action action, String optionString, List<String> values) {}

  /** The occurrences in order, and the words no action took. */
  record Result(List<Occurrence> occurrences, List<String> extras) {

    /** Per dest, the occurrences that decide its value: the last one, or all of an appending action. */
    Map<String, List<Occurrence>> byDest() {
      Map<String, List<Occurrence>> out = new LinkedHashMap<>();
      for (Occurrence o : occurrences) {
        List<Occurrence> list = out.computeIfAbsent(o.action().dest(), k -> new ArrayList<>());
        if (!o.action().appends()) {
          list.clear();
        }
        list.add(o);
      }
      return out;
    }
  }

  private record Tuple(Action action, String optionString, String explicit) {}

  private static final Pattern NEGATIVE_NUMBER = Pattern.compile("-\\p{Nd}+|-\\p{Nd}*\\.\\p{Nd}+");

  private final Map<String, Action> options = new HashMap<>();
  private final List<String> optionOrder = new ArrayList<>();
  private final List<Action> positionals = new ArrayList<>();
  private final String where;
  private final boolean lenient;

  private ArgParse(Table table, String where, boolean lenient) {
    this.lenient = lenient;
    for (Action a : table.actions()) {
      if (a.positional()) {
        positionals.add(a);
      } else {
        for (String o : a.options()) {
          if (options.put("--" + o, a) == null) {
            optionOrder.add("--" + o);
          }
        }
      }
    }
    this.where = where;
  }

  /**
   * Parses {@code args} with {@code table} as {@code parse_known_args} would.
   *
   * @param where names the parser in refusal reasons, e.g. {@code aws omics start-read-set-export-job}
   */
  static Result parseKnown(Table table, List<String> args, String where) throws UnparseableCommandException {
    return new ArgParse(table, where, false).run(args);
  }

  /**
   * Like {@link #parseKnown}, but an ambiguous prefix is an unknown option left in the extras, as
   * in the server's own operation parser (whose {@code error} returns instead of exiting).
   */
  static Result parseKnownLeniently(Table table, List<String> args, String where) throws UnparseableCommandException {
    return new ArgParse(table, where, true).run(args);
  }

  /** Whether {@code word} names an option of {@code table} the way argparse would read it (exactly or by prefix). */
  static boolean isOptionOf(Table table, String word) {
    try {
      Tuple t = new ArgParse(table, "", false).classify(word);
      return t != null && t.action() != null;
    } catch (UnparseableCommandException e) {
      return true;
    }
  }

  private Result run(List<String> args) throws UnparseableCommandException {
    int n = args.size();
    StringBuilder pattern = new StringBuilder(n);
    Map<Integer, Tuple> tuples = new HashMap<>();
    boolean afterDashes = false;
    for (int i = 0; i < n; i++) {
      String arg = args.get(i);
      if (afterDashes) {
        pattern.append('A');
      } else if (arg.equals("--")) {
        pattern.append('-');
        afterDashes = true;
      } else {
        Tuple t = classify(arg);
        if (t == null) {
          pattern.append('A');
        } else {
          tuples.put(i, t);
          pattern.append('O');
        }
      }
    }
    String p = pattern.toString();
    List<Occurrence> taken = new ArrayList<>();
    List<String> extras = new ArrayList<>();
    List<Action> pending = new ArrayList<>(positionals);
    int[] optionIndices = tuples.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    int maxOption = optionIndices.length == 0 ? -1 : optionIndices[optionIndices.length - 1];
    int start = 0;
    int cursor = 0;
    while (start <= maxOption) {
      while (optionIndices[cursor] < start) {
        cursor++;
      }
      int nextOption = optionIndices[cursor];
      if (start != nextOption) {
        int end = consumePositionals(args, p, start, pending, taken);
        if (end > start) {
          start = end;
          continue;
        }
      }
      if (!tuples.containsKey(start)) {
        extras.addAll(args.subList(start, nextOption));
        start = nextOption;
      }
      start = consumeOptional(args, p, start, tuples.get(start), taken, extras);
    }
    int stop = consumePositionals(args, p, start, pending, taken);
    extras.addAll(args.subList(stop, n));
    return new Result(taken, extras);
  }

  private int consumeOptional(List<String> args, String p, int start, Tuple t, List<Occurrence> taken,
      List<String> extras) throws UnparseableCommandException {
    if (t.action() == null) {
      extras.add(args.get(start));
      return start + 1;
    }
    if (t.explicit() != null) {
      int count = match(t.action(), "A", 0);
      if (count != 1) {
        throw new UnparseableCommandException(t.optionString() + " takes no value" + here() + ", but \""
            + args.get(start) + "\" gives it one");
      }
      taken.add(new Occurrence(t.action(), t.optionString(), List.of(t.explicit())));
      return start + 1;
    }
    int count = match(t.action(), p, start + 1);
    taken.add(new Occurrence(t.action(), t.optionString(), List.copyOf(args.subList(start + 1, start + 1 + count))));
    return start + 1 + count;
  }

  private int consumePositionals(List<String> args, String p, int start, List<Action> pending, List<Occurrence> taken) {
    List<Integer> counts = matchPartial(pending, p, start);
    for (int i = 0; i < counts.size(); i++) {
      Action a = pending.get(i);
      List<String> values = new ArrayList<>(args.subList(start, start + counts.get(i)));
      start += counts.get(i);
      if (!a.kind().equals("R")) {
        values.remove("--");
      }
      taken.add(new Occurrence(a, null, List.copyOf(values)));
    }
    pending.subList(0, counts.size()).clear();
    return start;
  }

  private static List<Integer> matchPartial(List<Action> actions, String p, int from) {
    for (int i = actions.size(); i > 0; i--) {
      StringBuilder regex = new StringBuilder();
      for (Action a : actions.subList(0, i)) {
        regex.append(nargsPattern(a));
      }
      Matcher m = compiled(regex.toString()).matcher(p);
      m.region(from, p.length());
      if (m.lookingAt()) {
        List<Integer> counts = new ArrayList<>();
        for (int g = 1; g <= m.groupCount(); g++) {
          counts.add(m.group(g).length());
        }
        return counts;
      }
    }
    return List.of();
  }

  private int match(Action a, String p, int from) throws UnparseableCommandException {
    Matcher m = compiled(nargsPattern(a)).matcher(p);
    m.region(from, p.length());
    if (!m.lookingAt()) {
      String need = switch (a.kind()) {
        case "1" -> "one value";
        case "+" -> "at least one value";
        case "?" -> "at most one value";
        default -> a.kind() + " values";
      };
      throw new UnparseableCommandException("--" + a.name() + here() + " expects " + need
          + " (a value starting with '-' is read as an option: write --" + a.name() + "=VALUE)");
    }
    return m.group(1).length();
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, Pattern> PATTERNS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static Pattern compiled(String regex) {
    return PATTERNS.computeIfAbsent(regex, Pattern::compile);
  }

  private static String nargsPattern(Action a) {
    String k = a.kind();
    String pat = switch (k) {
      case "T", "F", "K", "V" -> "(-*-*)";
      case "1" -> "(-*A-*)";
      case "?" -> "(-*A?-*)";
      case "*" -> "(-*[A-]*)";
      case "+" -> "(-*A[A-]*)";
      case "R" -> "([-AO]*)";
      default -> "(-*" + String.join("-*", java.util.Collections.nCopies(Integer.parseInt(k), "A")) + "-*)";
    };
    if (!a.positional()) {
      pat = pat.replace("-*", "").replace("-", "");
    }
    return pat;
  }

  /** argparse's {@code _parse_optional}: null for a value, else the action (null when unknown). */
  private Tuple classify(String arg) throws UnparseableCommandException {
    if (arg.isEmpty() || arg.charAt(0) != '-') {
      return null;
    }
    Action exact = options.get(arg);
    if (exact != null) {
      return new Tuple(exact, arg, null);
    }
    if (arg.length() == 1) {
      return null;
    }
    int eq = arg.indexOf('=');
    if (eq >= 0) {
      Action a = options.get(arg.substring(0, eq));
      if (a != null) {
        refuseDashesValue(arg, eq);
        return new Tuple(a, arg.substring(0, eq), arg.substring(eq + 1));
      }
    }
    List<Tuple> candidates = new ArrayList<>();
    if (arg.startsWith("--")) {
      String prefix = eq >= 0 ? arg.substring(0, eq) : arg;
      String explicit = eq >= 0 ? arg.substring(eq + 1) : null;
      for (String o : optionOrder) {
        if (o.startsWith(prefix)) {
          candidates.add(new Tuple(options.get(o), o, explicit));
        }
      }
    }
    if (candidates.size() > 1 && lenient) {
      return new Tuple(null, arg, null);
    }
    if (candidates.size() > 1) {
      throw new UnparseableCommandException("option " + (eq >= 0 ? arg.substring(0, eq) : arg) + " is ambiguous" + here()
          + ": it could be " + String.join(", ", candidates.stream().map(Tuple::optionString).toList())
          + "; write the option in full");
    }
    if (candidates.size() == 1) {
      if (eq >= 0) {
        refuseDashesValue(arg, eq);
      }
      return candidates.get(0);
    }
    if (NEGATIVE_NUMBER.matcher(arg).matches()) {
      return null;
    }
    if (arg.indexOf(' ') >= 0) {
      return null;
    }
    return new Tuple(null, arg, null);
  }

  /** argparse drops a value "--" given with '=' and the option then holds an empty list. */
  private static void refuseDashesValue(String arg, int eq) throws UnparseableCommandException {
    if (arg.substring(eq + 1).equals("--")) {
      throw new UnparseableCommandException("\"" + arg + "\": argparse would drop the value \"--\"; quote a real value");
    }
  }

  private String here() {
    return where.isEmpty() ? "" : " (" + where + ")";
  }
}
