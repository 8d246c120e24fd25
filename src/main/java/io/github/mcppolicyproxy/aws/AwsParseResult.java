package io.github.mcppolicyproxy.aws;

import java.util.Objects;

/** The outcome of parsing one {@code cli_command}: the command, or why it cannot be judged. */
public sealed interface AwsParseResult permits AwsParseResult.Parsed, AwsParseResult.Unparseable {

  /** The command was understood completely. */
  record Parsed(AwsCommand command) implements AwsParseResult {
    public Parsed {
      Objects.requireNonNull(command, "command");
    }
  }

  /**
   * The command cannot be judged safely; {@code reason} is precise and is shown to the AI agent,
   * e.g. {@code unterminated double quote opened at character 17}.
   */
  record Unparseable(String reason) implements AwsParseResult {
    public Unparseable {
      Objects.requireNonNull(reason, "reason");
      if (reason.isBlank()) {
        throw new IllegalArgumentException("reason must not be blank");
      }
    }
  }
}
