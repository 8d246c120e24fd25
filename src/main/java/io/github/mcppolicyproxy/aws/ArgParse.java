package io.github.mcppolicyproxy.aws;

import io.github.mcppolicyproxy.aws.CliModel.Action;
import io.github.mcppolicyproxy.aws.CliModel.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        String dest = o.action().dest();
        if (!o.action().appends()) {
          out.put(dest, List.of(o)); // the last one decides; the dest keeps its first place
          continue;
        }
        List<Occurrence> list = out.get(dest);
        if (list == null || !(list instanceof ArrayList)) {
          List<Occurrence> appended = new ArrayList<>(4);
          if (list != null) {
            appended.addAll(list);
          }
          out.put(dest, appended);
          list = appended;
        }
        list.add(o);
      }
      return out;
    }
  }

  private record Tuple(Action action, String optionString, String explicit) {}

  private static final Pattern NEGATIVE_NUMBER = Pattern.compile("-\\p{Nd}+|-\\p{Nd}*\\.\\p{Nd}+");

  private final OptionIndex index;
  private final String where;
  private final boolean lenient;

  private ArgParse(Table table, String where, boolean lenient) {
    this.index = table.index();
    this.lenient = lenient;
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

  /** Pattern letters, as argparse writes them: an option, a value, the word "--". */
  private static final char OPTION = 'O';
  private static final char VALUE = 'A';
  private static final char DASHES = '-';

  private Result run(List<String> args) throws UnparseableCommandException {
    int n = args.size();
    char[] p = new char[n];
    Tuple[] tuples = new Tuple[n];
    int maxOption = -1;
    boolean afterDashes = false;
    for (int i = 0; i < n; i++) {
      String arg = args.get(i);
      if (afterDashes) {
        p[i] = VALUE;
      } else if (arg.equals("--")) {
        p[i] = DASHES;
        afterDashes = true;
      } else {
        Tuple t = classify(arg);
        if (t == null) {
          p[i] = VALUE;
        } else {
          tuples[i] = t;
          p[i] = OPTION;
          maxOption = i;
        }
      }
    }
    List<Occurrence> taken = new ArrayList<>();
    List<String> extras = new ArrayList<>(n);
    int[] pending = {0}; // the positionals before this index are consumed
    int start = 0;
    int nextOption = 0;
    while (start <= maxOption) {
      if (nextOption < start) {
        nextOption = start;
      }
      while (tuples[nextOption] == null) {
        nextOption++;
      }
      if (start != nextOption) {
        int end = consumePositionals(args, p, start, pending, taken);
        if (end > start) {
          start = end;
          continue;
        }
      }
      if (tuples[start] == null) {
        for (int i = start; i < nextOption; i++) {
          extras.add(args.get(i));
        }
        start = nextOption;
      }
      start = consumeOptional(args, p, start, tuples[start], taken, extras);
    }
    int stop = consumePositionals(args, p, start, pending, taken);
    for (int i = stop; i < n; i++) {
      extras.add(args.get(i));
    }
    return new Result(taken, extras);
  }

  private static final char[] ONE_VALUE = {VALUE};

  private int consumeOptional(List<String> args, char[] p, int start, Tuple t, List<Occurrence> taken,
      List<String> extras) throws UnparseableCommandException {
    if (t.action() == null) {
      extras.add(args.get(start));
      return start + 1;
    }
    if (t.explicit() != null) {
      int count = match(t.action(), ONE_VALUE, 0);
      if (count != 1) {
        throw new UnparseableCommandException(t.optionString() + " takes no value" + here() + ", but \""
            + args.get(start) + "\" gives it one");
      }
      taken.add(new Occurrence(t.action(), t.optionString(), List.of(t.explicit())));
      return start + 1;
    }
    int count = match(t.action(), p, start + 1);
    taken.add(new Occurrence(t.action(), t.optionString(), words(args, start + 1, start + 1 + count, false)));
    return start + 1 + count;
  }

  private int consumePositionals(List<String> args, char[] p, int start, int[] pending, List<Occurrence> taken) {
    Action[] positionals = index.positionals();
    int[] counts = Nargs.matchPartial(index.joinedPositionals(), pending[0], p, start);
    for (int i = 0; i < counts.length; i++) {
      Action a = positionals[pending[0] + i];
      taken.add(new Occurrence(a, null, words(args, start, start + counts[i], !a.kind().equals("R"))));
      start += counts[i];
    }
    pending[0] += counts.length;
    return start;
  }

  /** {@code args[from..to)} as an immutable list, without its first "--" when {@code dropDashes}. */
  private static List<String> words(List<String> args, int from, int to, boolean dropDashes) {
    if (dropDashes) {
      for (int i = from; i < to; i++) {
        if (args.get(i).equals("--")) {
          List<String> values = new ArrayList<>(args.subList(from, to));
          values.remove(i - from);
          return List.copyOf(values);
        }
      }
    }
    return switch (to - from) {
      case 0 -> List.of();
      case 1 -> List.of(args.get(from));
      default -> List.copyOf(args.subList(from, to));
    };
  }

  private int match(Action a, char[] p, int from) throws UnparseableCommandException {
    int count = Nargs.optional(a.kind(), p, from);
    if (count < 0) {
      String need = switch (a.kind()) {
        case "1" -> "one value";
        case "+" -> "at least one value";
        case "?" -> "at most one value";
        default -> a.kind() + " values";
      };
      throw new UnparseableCommandException("--" + a.name() + here() + " expects " + need
          + " (a value starting with '-' is read as an option: write --" + a.name() + "=VALUE)");
    }
    return count;
  }

  /** argparse's {@code _parse_optional}: null for a value, else the action (null when unknown). */
  private Tuple classify(String arg) throws UnparseableCommandException {
    if (arg.isEmpty() || arg.charAt(0) != '-') {
      return null;
    }
    Action exact = index.action(arg);
    if (exact != null) {
      return new Tuple(exact, arg, null);
    }
    if (arg.length() == 1) {
      return null;
    }
    int eq = arg.indexOf('=');
    String name = eq >= 0 ? arg.substring(0, eq) : arg;
    if (eq >= 0) {
      Action a = index.action(name);
      if (a != null) {
        refuseDashesValue(arg, eq);
        return new Tuple(a, name, arg.substring(eq + 1));
      }
    }
    List<String> candidates = List.of();
    if (arg.startsWith("--")) {
      candidates = index.startingWith(name);
    }
    if (candidates.size() > 1 && lenient) {
      return UNKNOWN;
    }
    if (candidates.size() > 1) {
      throw new UnparseableCommandException("option " + name + " is ambiguous" + here()
          + ": it could be " + String.join(", ", candidates) + "; write the option in full");
    }
    if (candidates.size() == 1) {
      if (eq >= 0) {
        refuseDashesValue(arg, eq);
      }
      String o = candidates.get(0);
      return new Tuple(index.action(o), o, eq >= 0 ? arg.substring(eq + 1) : null);
    }
    // a negative number starts with '-' and a digit or '.': "--x" never is one
    if (arg.charAt(1) != '-' && NEGATIVE_NUMBER.matcher(arg).matches()) {
      return null;
    }
    if (arg.indexOf(' ') >= 0) {
      return null;
    }
    return UNKNOWN;
  }

  /** An option-like word no action takes: it goes to the extras as it is. */
  private static final Tuple UNKNOWN = new Tuple(null, null, null);

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
