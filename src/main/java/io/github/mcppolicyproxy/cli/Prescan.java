package io.github.mcppolicyproxy.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a proxy start's command line says before picocli has built its model (the longest step of
 * the start): the policy file and the upstream command, so that the policy can be read and the
 * upstream spawned while picocli works. Only an unambiguous command line is pre-scanned: every
 * word before {@code --} is an option of the proxy itself (with its value), and the upstream
 * command, if any, follows {@code --}. Anything else (a subcommand, help, an unknown or misspelt
 * option, a command without {@code --}) gives nothing, and the proxy starts in order. Picocli's
 * parse stays the authority: what was started early is used only when the parse agrees.
 *
 * @param policy the {@code --policy} file, or null when none is given
 * @param command the words after {@code --}; empty when there is no command (the default upstream)
 */
record Prescan(Path policy, List<String> command) {
  /** The proxy's options that take a value (kept equal to its model by PrescanTest). */
  static final Set<String> VALUED = Set.of("--policy", "--violation-log",
      "--violation-log-max-bytes", "--violation-log-keep", "--session-id", "--refusal-style",
      "--max-frame-bytes", "--max-pending", "--max-queued-bytes", "--shutdown-grace-ms", "--pins",
      "--otlp-endpoint", "--state", "--grant", "--state-fail-mode", "--state-timeout-ms",
      "--approval-fallback", "--approval-via", "--approvals-dir");
  /** The proxy's options that take none (kept equal to its model by PrescanTest). */
  static final Set<String> FLAGS = Set.of("--require-audit", "--log-argument-values",
      "--no-redact-secrets", "--no-refund");

  Prescan {
    command = List.copyOf(command);
  }

  /** The policy and command of {@code args} when they unambiguously start the proxy itself. */
  static Optional<Prescan> of(String[] args) {
    String policy = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        return make(policy, Arrays.asList(args).subList(i + 1, args.length));
      }
      int eq = a.indexOf('=');
      String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
      if (VALUED.contains(name)) {
        String value;
        if (eq > 0 && name.length() < a.length()) {
          value = a.substring(eq + 1);
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          return Optional.empty(); // picocli reports the missing value
        }
        if (name.equals("--policy")) {
          policy = value;
        }
      } else if (!FLAGS.contains(a)) {
        return Optional.empty(); // a subcommand, help, a command without "--", a typo
      }
    }
    return make(policy, List.of());
  }

  private static Optional<Prescan> make(String policy, List<String> command) {
    try {
      return Optional.of(new Prescan(policy == null ? null : Path.of(policy), command));
    } catch (RuntimeException e) {
      return Optional.empty(); // an invalid path: the parse reports it
    }
  }
}
