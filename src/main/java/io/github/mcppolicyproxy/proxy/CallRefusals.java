package io.github.mcppolicyproxy.proxy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.audit.Canonical;
import io.github.mcppolicyproxy.audit.Violation;
import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import io.github.mcppolicyproxy.policy.Code;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.Refusal;
import io.github.mcppolicyproxy.policy.ToolCall;
import java.time.Instant;
import java.util.Objects;

/**
 * Refuses {@code tools/call}s: every refusal (and every monitor-mode would-be refusal) is written
 * to the violation log, counted and reported on stderr before the answer is built; in monitor
 * mode the call is forwarded anyway.
 */
final class CallRefusals {
  private final ViolationLog log;
  private final Answers answers;
  private final SessionStats stats;
  private final ProxyConfig config;

  CallRefusals(ViolationLog log, Answers answers, SessionStats stats, ProxyConfig config) {
    this.log = Objects.requireNonNull(log, "log");
    this.answers = Objects.requireNonNull(answers, "answers");
    this.stats = Objects.requireNonNull(stats, "stats");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Logs a refusal by {@code judge}'s policy, then answers it (or, in monitor mode, forwards). */
  ToolsCallGate.Outcome refuse(CallJudge judge, JsonId id, ToolCall call, Refusal refusal,
      boolean stateless) {
    boolean enforced = judge.engine().policy().mode() == Policy.Mode.ENFORCE;
    stats.refused(refusal.code());
    record(judge, id.raw(), call, refusal, enforced);
    config.stderr().println("mcp-policy-proxy: " + (enforced ? "refused " : "monitor: would refuse ")
        + call.tool() + " (id " + id.raw() + "): " + refusal.code().wire() + " " + refusal.rule()
        + (refusal.retryAfterSeconds().isPresent()
            ? ", retry in " + refusal.retryAfterSeconds().getAsLong() + " s" : ""));
    return enforced ? new ToolsCallGate.Outcome.Answer(answers.refusal(id, refusal, stateless))
        : new ToolsCallGate.Outcome.Forward(null).of(call.tool());
  }

  /**
   * Makes ready what a session's first refusal needs, answering and writing nothing: its answer's
   * frame, its arguments' hash and keys, and its record ({@link ViolationLog#warmUp}). Without it
   * the first refusal took ~10 ms more than the next, most of it the mapper's first record.
   */
  static void warmUp(Answers answers, ViolationLog log) {
    Refusal sample = new Refusal(Code.DENIED, "warm_up", "made ready ahead of the first refusal");
    answers.refusal(JsonId.NULL, sample, false);
    ObjectNode args = JsonNodeFactory.instance.objectNode().put("a", 1);
    log.warmUp(new Violation(Instant.EPOCH, "warm-up", "1", "warm_up", sample, true,
        Canonical.sha256(args), Canonical.keys(args), null, "warm-up", "0"));
  }

  /** Writes one record of {@code call} ({@code requestId} as raw JSON, null when none). */
  void record(CallJudge judge, String requestId, ToolCall call, Refusal refusal,
      boolean enforced) {
    Policy policy = judge.engine().policy();
    log.append(new Violation(config.clock().instant(), config.sessionId(), requestId, call.tool(),
        refusal, enforced, Canonical.sha256(call.arguments()), Canonical.keys(call.arguments()),
        config.logArgumentValues() ? call.arguments() : null, policy.source(), policy.sha256()));
  }
}
