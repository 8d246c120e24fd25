package io.github.mcppolicyproxy.policy;

/** The stable, machine-readable reasons for a refusal, as they appear in {@code _meta} and the log. */
public enum Code {
  DENIED("denied"),
  HIDDEN("hidden"),
  RATE_LIMITED("rate_limited"),
  INVALID_ARGUMENTS("invalid_arguments"),
  APPROVAL_DECLINED("approval_declined"),
  APPROVAL_TIMEOUT("approval_timeout"),
  APPROVAL_UNAVAILABLE("approval_unavailable"),
  /**
   * An answer to the proxy's own approval question that cannot be trusted: an altered, foreign,
   * replayed or missing {@code requestState}, or one issued for another call or policy.
   */
  APPROVAL_INVALID("approval_invalid"),
  /** Not a refusal: a call held for a person's approval out of band (logged when it is held). */
  APPROVAL_HELD("approval_held"),
  UNPARSEABLE_COMMAND("unparseable_command"),
  /** The shared counter store of a {@code grant}/{@code global} limit cannot be reached. */
  QUOTA_UNAVAILABLE("quota_unavailable"),
  /** Not a call the proxy can judge and answer (a {@code tools/call} sent as a notification). */
  INVALID_REQUEST("invalid_request"),
  /** The tool's definition differs from the one pinned (earlier in the session, or in the pin file). */
  TOOL_CHANGED("tool_changed"),
  /** Not a refusal: a secret in a result was replaced before the client saw it (log only). */
  REDACTED("redacted");

  private final String wire;

  Code(String wire) {
    this.wire = wire;
  }

  /** The code as written on the wire, e.g. {@code rate_limited}. */
  public String wire() {
    return wire;
  }
}
