package io.github.mcppolicyproxy.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mcppolicyproxy.policy.Refusal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One refusal (or, in monitor mode, one would-be refusal) as the violation log records it.
 *
 * @param requestId the request's id as raw JSON ({@code 7}, {@code "a"}), or null for a notification
 * @param enforced false in monitor mode: the call was forwarded anyway
 * @param argumentValues the arguments themselves, only when the operator asked for values
 */
public record Violation(
    Instant time,
    String session,
    String requestId,
    String tool,
    Refusal refusal,
    boolean enforced,
    String argumentsSha256,
    List<String> argumentKeys,
    JsonNode argumentValues,
    String policySource,
    String policySha256) {

  public Violation {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(refusal, "refusal");
    argumentKeys = List.copyOf(argumentKeys);
  }
}
