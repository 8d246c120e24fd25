package io.github.mcppolicyproxy.aws;

/** Thrown inside the parser when a command cannot be judged; the message is the agent-facing reason. */
final class UnparseableCommandException extends Exception {

  UnparseableCommandException(String reason) {
    super(reason, null, false, false);
  }
}
