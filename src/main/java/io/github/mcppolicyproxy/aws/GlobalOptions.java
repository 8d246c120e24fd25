package io.github.mcppolicyproxy.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The AWS CLI's global options and how the CLI recognises them.
 *
 * <p>Source: aws-cli v1 {@code awscli/data/cli.json} (what the upstream server embeds: debug,
 * endpoint-url, no-verify-ssl, no-paginate, output, query, profile, region, version, color,
 * no-sign-request, ca-bundle, cli-read-timeout, cli-connect-timeout, v2-debug) plus the AWS CLI v2
 * additions (cli-binary-format, no-cli-pager, cli-auto-prompt, no-cli-auto-prompt). The CLI parses
 * them with Python's argparse over the whole command line, before the service and operation are
 * looked at, with abbreviations allowed: {@code --reg eu-west-1} is {@code --region eu-west-1}
 * wherever it appears. An abbreviation that fits several global options is an error for the CLI.
 */
final class GlobalOptions {

  /** Whether a global option takes a value. */
  enum Arity { FLAG, VALUE }

  private static final Map<String, Arity> OPTIONS = new TreeMap<>(Map.ofEntries(
      Map.entry("debug", Arity.FLAG),
      Map.entry("endpoint-url", Arity.VALUE),
      Map.entry("no-verify-ssl", Arity.FLAG),
      Map.entry("no-paginate", Arity.FLAG),
      Map.entry("output", Arity.VALUE),
      Map.entry("query", Arity.VALUE),
      Map.entry("profile", Arity.VALUE),
      Map.entry("region", Arity.VALUE),
      Map.entry("version", Arity.FLAG),
      Map.entry("color", Arity.VALUE),
      Map.entry("no-sign-request", Arity.FLAG),
      Map.entry("ca-bundle", Arity.VALUE),
      Map.entry("cli-read-timeout", Arity.VALUE),
      Map.entry("cli-connect-timeout", Arity.VALUE),
      Map.entry("v2-debug", Arity.FLAG),
      Map.entry("cli-binary-format", Arity.VALUE),
      Map.entry("no-cli-pager", Arity.FLAG),
      Map.entry("cli-auto-prompt", Arity.FLAG),
      Map.entry("no-cli-auto-prompt", Arity.FLAG)));

  private GlobalOptions() {
  }

  /**
   * The global option that {@code typed} (an option name without its leading dashes) denotes for
   * the CLI: an exact name, or the only global option it is a prefix of.
   *
   * @throws UnparseableCommandException when {@code typed} is a prefix of several global options
   */
  static Optional<String> resolve(String typed) throws UnparseableCommandException {
    if (OPTIONS.containsKey(typed)) {
      return Optional.of(typed);
    }
    if (typed.isEmpty()) {
      return Optional.empty();
    }
    List<String> candidates = new ArrayList<>();
    for (String name : OPTIONS.keySet()) {
      if (name.startsWith(typed)) {
        candidates.add(name);
      }
    }
    if (candidates.size() > 1) {
      throw new UnparseableCommandException("option --" + typed + " is ambiguous: the AWS CLI could read it as any of --"
          + String.join(", --", candidates) + "; write the option in full");
    }
    return candidates.stream().findFirst();
  }

  static Arity arity(String name) {
    Arity arity = OPTIONS.get(name);
    if (arity == null) {
      throw new IllegalArgumentException("not a global option: " + name);
    }
    return arity;
  }
}
