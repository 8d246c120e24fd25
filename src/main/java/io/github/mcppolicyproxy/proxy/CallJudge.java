package io.github.mcppolicyproxy.proxy;

import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.policy.Code;
import io.github.mcppolicyproxy.policy.Limit;
import io.github.mcppolicyproxy.policy.PolicyEngine;
import io.github.mcppolicyproxy.policy.Refusal;
import io.github.mcppolicyproxy.policy.ToolCall;
import io.github.mcppolicyproxy.policy.Verdict;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Turns the policy's {@link Verdict} into a final decision: consults the {@link Quota} for allowed
 * calls and refuses calls that need a person's approval while no approval channel exists (fail
 * closed: {@code approval_unavailable}). Thread-safe.
 */
public final class CallJudge {
  private final PolicyEngine engine;
  private final Quota quota;

  public CallJudge(PolicyEngine engine, Quota quota) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.quota = Objects.requireNonNull(quota, "quota");
  }

  public PolicyEngine engine() {
    return engine;
  }

  /** The decision on {@code call} in {@code session}: null to allow, else the refusal. */
  public Refusal judge(ToolCall call, String session) {
    return judge(call, session, false);
  }

  /**
   * The decision on {@code call}; a {@code continuation} (the retry of a multi round-trip call the
   * server asked input for) is judged by the rules but takes no quota: the first round took it.
   */
  public Refusal judge(ToolCall call, String session, boolean continuation) {
    Verdict v = engine.decide(call);
    if (v instanceof Verdict.Refuse r) {
      return r.refusal();
    }
    if (v instanceof Verdict.Ask a) {
      Quota.Outcome.Exhausted full = quota.wouldExhaust(session, a.permits());
      if (full != null) {
        return rateLimited(call, full, a.operations());
      }
      return new Refusal(Code.APPROVAL_UNAVAILABLE, a.rule(), a.what()
          + " needs a person's approval, and no approval channel is configured for this proxy",
          OptionalLong.empty(), a.operations());
    }
    Verdict.Allow allow = (Verdict.Allow) v;
    if (allow.permits().isEmpty() || continuation) {
      return null;
    }
    Quota.Outcome o = quota.tryReserve(session, allow.permits());
    if (o instanceof Quota.Outcome.Exhausted ex) {
      return rateLimited(call, ex, allow.operations());
    }
    return null;
  }

  private static Refusal rateLimited(ToolCall call, Quota.Outcome.Exhausted ex,
      List<String> operations) {
    return new Refusal(Code.RATE_LIMITED, ex.limit().pointer(),
        subject(call, ex.limit(), operations) + " is limited to " + ex.limit().describe()
            + (ex.limit().scope() == Limit.Scope.SESSION ? " in this session" : ""),
        OptionalLong.of(ex.retryAfterSeconds()), operations);
  }

  private static String subject(ToolCall call, Limit limit, List<String> operations) {
    if (limit.pointer().startsWith("/operations/") && !operations.isEmpty()) {
      return "AWS operation " + String.join(", ", operations);
    }
    return call.tool();
  }
}
