package io.github.mcppolicyproxy.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Catches a mistyped subcommand ({@code chek}, {@code explian}) before it is started as the
 * upstream: the first word that is not an option, before any {@code --}, is taken for a typo when
 * it is close to a registered subcommand's name and is not a program on the PATH. With {@code --}
 * every word after it is the upstream's, so {@code mcp-policy-proxy -- chek} still runs {@code chek}.
 */
final class MistypedCommand {
  private MistypedCommand() {}

  /**
   * The message for the mistyped subcommand in {@code args}, e.g. {@code unknown command 'chek';
   * did you mean 'check'?}, or empty when the command line names none.
   */
  static Optional<String> find(String[] args, CommandLine cl) {
    Collection<String> names = cl.getSubcommands().keySet();
    if (names.isEmpty()) {
      return Optional.empty();
    }
    String word = firstPositional(args, cl);
    if (word == null || names.contains(word) || word.contains("/") || word.contains("\\")
        || onPath(word)) {
      return Optional.empty();
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String folded = word.toLowerCase(Locale.ROOT);
    for (String name : names) {
      int d = distance(folded, name);
      if (d < bestDistance && (d <= (name.length() <= 4 ? 1 : 2)
          || (folded.length() >= 3 && name.startsWith(folded)))) {
        best = name;
        bestDistance = d;
      }
    }
    return best == null ? Optional.empty() : Optional.of("unknown command '" + word
        + "'; did you mean '" + best + "'? (to start an upstream named '" + word + "', write: "
        + "mcp-policy-proxy [OPTIONS] -- " + word + " ...)");
  }

  /** The first word that is neither an option nor an option's value, before any "--"; or null. */
  private static String firstPositional(String[] args, CommandLine cl) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        return null;
      }
      if (!a.startsWith("-") || a.equals("-")) {
        return a;
      }
      if (a.contains("=")) {
        continue;
      }
      OptionSpec o = cl.getCommandSpec().findOption(a);
      if (o != null && o.arity().max() > 0) {
        i++; // its value
      }
    }
    return null;
  }

  private static boolean onPath(String word) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      try {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, word))) {
          return true;
        }
      } catch (InvalidPathException e) {
        // a PATH entry or a word this file system cannot name: not a program there
      }
    }
    return false;
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and transpositions. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
