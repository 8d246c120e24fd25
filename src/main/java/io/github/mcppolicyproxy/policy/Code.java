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
  UNPARSEABLE_COMMAND("unparseable_command"),
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
