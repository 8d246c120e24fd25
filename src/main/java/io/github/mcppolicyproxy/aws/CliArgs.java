package io.github.mcppolicyproxy.aws;

import io.github.mcppolicyproxy.aws.CliModel.Action;
import io.github.mcppolicyproxy.aws.CliModel.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How {@link AwsCliParser} reads what argparse left of a command: its parameters and global
 * options, what the server drops or refuses, and the region a command names.
 */
final class CliArgs {
  private CliArgs() {}

  /** What {@link #isRegionName} checks, as a regex; for tests. */
  static final Pattern REGION = Pattern.compile("[a-z]{2,5}(-[a-z]+)+-[0-9]{1,2}");
  /** The upstream's ARN_PATTERN (core/parser/parser.py), restated; group 2 is the region. */
  private static final Pattern ARN = Pattern.compile(
      "(arn:(?:aws|aws-cn|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-us-gov):[\\w\\d-]+:([\\w\\d-]*):\\d{0,12}:"
          + "[\\w\\d-]*/?[\\w\\d-]*)(/.*)?.*", Pattern.UNICODE_CHARACTER_CLASS);
  private static final String UNICODE_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D";

  static Table withSubcommand(Table table) {
    List<Action> actions = new ArrayList<>();
    for (Action a : table.actions()) {
      if (!(a.positional() && a.dest().equals("subcommand"))) {
        actions.add(a);
      }
    }
    actions.add(new Action(List.of(), "subcommand", "?", false));
    return new Table(actions);
  }

  /** Parameters by their CLI name (the first option string), as the parsed namespace holds them. */
  static void readParams(Table table, ArgParse.Result args, Map<String, List<String>> params,
      List<String> positionals) throws UnparseableCommandException {
    for (Map.Entry<String, List<ArgParse.Occurrence>> e : args.byDest().entrySet()) {
      List<ArgParse.Occurrence> occurrences = e.getValue();
      Action last = occurrences.get(occurrences.size() - 1).action();
      if (last.positional()) {
        if (!last.dest().equals("subcommand")) {
          for (ArgParse.Occurrence o : occurrences) {
            positionals.addAll(o.values());
          }
        } else if (occurrences.stream().anyMatch(o -> !o.values().isEmpty())) {
          throw new UnparseableCommandException("\"" + occurrences.get(0).values().get(0)
              + "\" would be read as a subcommand; this command is not run with subcommands by the server");
        }
        continue;
      }
      List<String> lastValues = occurrences.get(occurrences.size() - 1).values();
      if ((last.kind().equals("*") || last.kind().equals("+")) && lastValues.isEmpty()) {
        // argparse binds [] (--tag-keys --) and the server sends an empty list, which a flag's
        // "present" would misstate: found by the long differential run (seed 8, 10,000 commands)
        throw new UnparseableCommandException("--" + last.name() + " is given no value, so the server would send"
            + " an empty list for it; give it a value or leave the option out");
      }
      // --x and --no-x share a dest: the last one is the value, the other name is absent
      removeTwins(table, last, params);
      if (last.appends()) {
        // include and exclude share one dest: each keeps its own values, in order
        for (ArgParse.Occurrence o : occurrences) {
          params.computeIfAbsent(o.action().name(), k -> new ArrayList<>()).addAll(o.values());
        }
        continue;
      }
      params.put(last.name(), occurrences.get(occurrences.size() - 1).values()); // immutable
    }
  }

  static void removeTwins(Table table, Action winner, Map<String, List<String>> params) {
    if (winner.flag()) {
      table.actions().stream().filter(a -> a != winner && a.flag() && a.dest().equals(winner.dest()))
          .forEach(a -> params.remove(a.name()));
    }
  }

  /**
   * The server drops leftover words that start with '-' and begin some option of the operation
   * ({@code --}, {@code -}, an ambiguous prefix, also with its {@code =value}): they change nothing
   * it runs. Every other leftover makes it refuse the command.
   */
  static ArgParse.Result serverIgnores(Table table, ArgParse.Result args) {
    if (args.extras().isEmpty()) {
      return args;
    }
    List<String> kept = new ArrayList<>();
    for (String extra : args.extras()) {
      boolean ignored = extra.startsWith("-") && table.actions().stream()
          .anyMatch(a -> a.options().stream().anyMatch(o -> ("--" + o).startsWith(extra)));
      if (!ignored) {
        kept.add(extra);
      }
    }
    return new ArgParse.Result(args.occurrences(), kept);
  }

  static void refuseExtras(ArgParse.Result args, String where) throws UnparseableCommandException {
    if (!args.extras().isEmpty()) {
      String first = args.extras().get(0);
      throw new UnparseableCommandException((first.startsWith("-") ? "unknown option " : "unexpected argument ")
          + "\"" + first + "\" for " + where + (first.startsWith("-") ? "" : ": parameters are written --name value"));
    }
  }

  static void checkWords(List<String> tokens) throws UnparseableCommandException {
    boolean dashes = false;
    for (String word : tokens) {
      int length = word.length();
      if ((length == 4 || length == 6 || length == 2)
          && (word.equalsIgnoreCase("help") || word.equalsIgnoreCase("--help") || word.equals("-h"))) {
        throw new UnparseableCommandException("help commands are not API calls: \"" + word
            + "\" asks the CLI for help, which the proxy does not forward; remove it to run the command");
      }
      if (length > 0 && word.charAt(0) >= '\u2010' && UNICODE_DASHES.indexOf(word.charAt(0)) >= 0) {
        throw new UnparseableCommandException(String.format(
            "\"%s\" starts with the Unicode dash U+%04X, not \"--\"; the AWS CLI would not read it as an option",
            word, (int) word.charAt(0)));
      }
      if (dashes && word.startsWith("-") && word.length() > 1) {
        throw new UnparseableCommandException("\"" + word + "\" after \"--\": Python versions read options after \"--\""
            + " differently; put the options before \"--\"");
      }
      if (word.equals("--")) {
        dashes = true;
      }
      if (length < 4 || word.charAt(2) != 'v' || word.charAt(0) != '-') {
        continue; // a prefix of "--version" of at least 4 characters starts "--v"
      }
      int eq = word.indexOf('=');
      int name = eq >= 0 ? eq : length; // the length of the name before any '='
      if (name >= 4 && name <= 9 && "--version".regionMatches(0, word, 0, name)) {
        throw new UnparseableCommandException("--version prints the CLI version and runs no AWS operation");
      }
    }
  }

  /** The global tables, built once from the model. */
  private static final class Globals {
    static final Table SERVER = buildServerGlobals();
    static final Table CLI = buildCliGlobals();
  }

  /** The server's global parser: the CLI's, with {@code --version} taking a value and {@code command}. */
  static Table serverGlobals() {
    return Globals.SERVER;
  }

  /** awscli's own main parser (it runs customizations). */
  static Table cliGlobals() {
    return Globals.CLI;
  }

  private static Table buildServerGlobals() {
    List<Action> actions = new ArrayList<>();
    for (Action a : CliModel.get().globals().actions()) {
      actions.add(a.kind().equals("V") ? new Action(a.options(), a.dest(), "1", false) : a);
    }
    actions.add(new Action(List.of(), "command", "1", false));
    return new Table(actions);
  }

  private static Table buildCliGlobals() {
    List<Action> actions = new ArrayList<>(CliModel.get().globals().actions());
    actions.add(new Action(List.of(), "command", "1", false));
    return new Table(actions);
  }

  /** The global options given, each once, in the order first given: as typed, or by their name when abbreviated. */
  static List<String> globalNames(Map<String, List<ArgParse.Occurrence>> globals) {
    List<String> names = new ArrayList<>();
    for (List<ArgParse.Occurrence> occurrences : globals.values()) {
      Action a = occurrences.get(0).action();
      if (!a.positional()) {
        for (ArgParse.Occurrence o : occurrences) {
          String typed = o.optionString().substring(2);
          String name = a.options().contains(typed) ? typed : a.name();
          if (!names.contains(name)) {
            names.add(name);
          }
        }
      }
    }
    return names;
  }

  static Map<String, String> globalValues(Map<String, List<ArgParse.Occurrence>> globals) {
    Map<String, String> values = new LinkedHashMap<>();
    for (List<ArgParse.Occurrence> occurrences : globals.values()) {
      ArgParse.Occurrence last = occurrences.get(occurrences.size() - 1);
      if (!last.action().positional() && !last.action().flag() && last.values().size() == 1) {
        values.put(last.action().name(), last.values().get(0));
      }
    }
    return values;
  }

  static Optional<String> explicitRegion(Map<String, List<ArgParse.Occurrence>> globals)
      throws UnparseableCommandException {
    String value = single(globals.get("region"));
    if (value == null) {
      return Optional.empty();
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (!isRegionName(lower) || !isAscii(value)) {
      throw new UnparseableCommandException("--region \"" + value + "\" is not a region name such as us-east-1");
    }
    return Optional.of(lower);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 128) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code s} has the shape of a region name, {@code [a-z]{2,5}(-[a-z]+)+-[0-9]{1,2}}
   * (letters, one or more dash-separated runs of letters, then a dash and one or two digits),
   * checked without a regex.
   */
  static boolean isRegionName(String s) {
    int n = s.length();
    int i = 0;
    while (i < n && isLower(s.charAt(i))) {
      i++;
    }
    if (i < 2 || i > 5) {
      return false;
    }
    int runs = 0;
    while (i < n && s.charAt(i) == '-' && i + 1 < n && isLower(s.charAt(i + 1))) {
      i++;
      while (i < n && isLower(s.charAt(i))) {
        i++;
      }
      runs++;
    }
    if (runs == 0 || i >= n || s.charAt(i) != '-') {
      return false;
    }
    int digits = n - i - 1;
    if (digits < 1 || digits > 2) {
      return false;
    }
    for (int j = i + 1; j < n; j++) {
      if (s.charAt(j) < '0' || s.charAt(j) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  /**
   * The region of the first single-valued parameter (in the operation's table order, as the server
   * iterates its parameters) that holds an ARN with a region. Lists are skipped by the server; a
   * structure written as one word may be too, so when single-valued ARNs disagree the command is
   * refused.
   */
  static Optional<String> arnRegion(Table table, Map<String, List<String>> params)
      throws UnparseableCommandException {
    Map<String, String> regions = new LinkedHashMap<>();
    for (Action a : table.actions()) {
      List<String> values = a.positional() || a.appends() ? null : params.get(a.name());
      if (values == null || values.size() != 1 || !(a.kind().equals("1") || a.kind().equals("?"))) {
        continue;
      }
      if (!values.get(0).startsWith("arn:")) {
        continue; // the pattern begins with "arn:": only such values can match
      }
      Matcher m = ARN.matcher(values.get(0));
      if (m.matches() && !m.group(2).isEmpty()) {
        regions.putIfAbsent(m.group(2), a.name());
      }
    }
    if (regions.size() > 1) {
      throw new UnparseableCommandException("the region is ambiguous: no --region is given and ARNs name regions "
          + String.join(", ", regions.keySet()) + ", one of which the server uses; add --region");
    }
    return regions.keySet().stream().findFirst();
  }

  /** The value of a single-valued dest (the last occurrence), or null when absent or empty. */
  static String single(List<ArgParse.Occurrence> occurrences) {
    if (occurrences == null || occurrences.isEmpty()) {
      return null;
    }
    List<String> values = occurrences.get(occurrences.size() - 1).values();
    return values.isEmpty() ? null : values.get(values.size() - 1);
  }
}
