package io.github.mcppolicyproxy.policy;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Why a call is refused.
 *
 * @param rule JSON Pointer into the policy of the rule that refused ({@code /default} for the default)
 * @param reason the reason in words, without the "Policy violation" framing
 * @param retryAfterSeconds for rate limits: when a retry can succeed
 * @param operations for {@code call_aws}: the AWS operations of the call ({@code omics:StartReadSetExportJob})
 * @param scope for limits: whose count refused ({@code session}, {@code grant team-a},
 *     {@code global}); null otherwise
 */
public record Refusal(Code code, String rule, String reason, OptionalLong retryAfterSeconds,
    List<String> operations, String scope) {

  public Refusal {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(retryAfterSeconds, "retryAfterSeconds");
    operations = List.copyOf(operations);
  }

  public Refusal(Code code, String rule, String reason, OptionalLong retryAfterSeconds,
      List<String> operations) {
    this(code, rule, reason, retryAfterSeconds, operations, null);
  }

  public Refusal(Code code, String rule, String reason) {
    this(code, rule, reason, OptionalLong.empty(), List.of());
  }

  /** The text the model reads: "Policy violation: ...; retry in N s." */
  public String agentText() {
    StringBuilder sb = new StringBuilder("Policy violation: ").append(reason);
    if (retryAfterSeconds.isPresent()) {
      sb.append("; retry in ").append(retryAfterSeconds.getAsLong()).append(" s");
    }
    sb.append(" (rule ").append(rule).append(", code ").append(code.wire()).append(").");
    return sb.toString();
  }

  /** The same refusal with another reason. */
  public Refusal withReason(String newReason) {
    return new Refusal(code, rule, newReason, retryAfterSeconds, operations, scope);
  }

  /** The same refusal, naming the operations of the call. */
  public Refusal withOperations(List<String> ops) {
    return new Refusal(code, rule, reason, retryAfterSeconds, ops, scope);
  }
}
