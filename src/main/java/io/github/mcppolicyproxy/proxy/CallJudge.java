package io.github.mcppolicyproxy.proxy;

import io.github.mcppolicyproxy.approval.ApprovalChannel;
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
   * server asked input for) is judged by the rules but takes no quota: the first round took it. A
   * call that needs approval is refused here ({@code approval_unavailable}); callers with an
   * approval channel use {@link #decide}.
   */
  public Refusal judge(ToolCall call, String session, boolean continuation) {
    Decision d = decide(call, session, continuation);
    if (d instanceof Decision.Ask a) {
      return unavailable(a.ask(), "no approval channel is configured for this proxy");
    }
    return d instanceof Decision.Refuse r ? r.refusal() : null;
  }

  /** A decision: allowed (quota taken), refused, or waiting for a person (nothing taken yet). */
  public sealed interface Decision {
    /** Allowed; its quota was taken. */
    record Allow() implements Decision {}

    /** Refused. */
    record Refuse(Refusal refusal) implements Decision {}

    /** Allowed only if a person approves; its limits had room when asked, nothing was taken. */
    record Ask(Verdict.Ask ask) implements Decision {}
  }

  /** The decision on {@code call} with approval left to the caller (see {@link #afterApproval}). */
  public Decision decide(ToolCall call, String session, boolean continuation) {
    Verdict v = engine.decide(call);
    if (v instanceof Verdict.Refuse r) {
      return new Decision.Refuse(r.refusal());
    }
    if (v instanceof Verdict.Ask a) {
      // Limits first, so that nobody is asked about a call its limits refuse anyway.
      Quota.Outcome.Exhausted full = quota.wouldExhaust(session, a.permits());
      return full != null ? new Decision.Refuse(rateLimited(call, full, a.operations()))
          : new Decision.Ask(a);
    }
    Verdict.Allow allow = (Verdict.Allow) v;
    if (allow.permits().isEmpty() || continuation) {
      return new Decision.Allow();
    }
    Quota.Outcome o = quota.tryReserve(session, allow.permits());
    if (o instanceof Quota.Outcome.Exhausted ex) {
      return new Decision.Refuse(rateLimited(call, ex, allow.operations()));
    }
    return new Decision.Allow();
  }

  /**
   * A person approved {@code ask}: takes its quota now (it was only checked before asking), or
   * refuses it as rate limited when the limits filled up while the person decided. Null to allow.
   */
  public Refusal afterApproval(ToolCall call, String session, Verdict.Ask ask) {
    Quota.Outcome o = quota.tryReserve(session, ask.permits());
    return o instanceof Quota.Outcome.Exhausted ex ? rateLimited(call, ex, ask.operations()) : null;
  }

  /**
   * A person approved a call that an older policy version asked about: this version judges it
   * again. A rule that now refuses it wins; otherwise this version's limits are charged (refused as
   * rate limited when they have no room). Null to allow.
   */
  public Refusal afterApprovalRejudged(ToolCall call, String session) {
    Verdict v = engine.decide(call);
    if (v instanceof Verdict.Refuse r) {
      return r.refusal();
    }
    java.util.Map<Limit, Integer> permits = v instanceof Verdict.Ask a ? a.permits()
        : ((Verdict.Allow) v).permits();
    Quota.Outcome o = quota.tryReserve(session, permits);
    return o instanceof Quota.Outcome.Exhausted ex ? rateLimited(call, ex, v.operations()) : null;
  }

  /** The refusal of a call whose approval was declined, timed out or could not be asked. */
  public static Refusal notApproved(Verdict.Ask ask, ApprovalChannel.Answer answer) {
    return switch (answer) {
      case DECLINED -> new Refusal(Code.APPROVAL_DECLINED, ask.rule(), ask.what()
          + " was not approved by the person asked", OptionalLong.empty(), ask.operations());
      case TIMED_OUT -> new Refusal(Code.APPROVAL_TIMEOUT, ask.rule(), ask.what()
          + " was not approved within " + ask.timeoutSeconds() + " s", OptionalLong.empty(),
          ask.operations());
      default -> unavailable(ask, "the person could not be asked");
    };
  }

  private static Refusal unavailable(Verdict.Ask ask, String why) {
    return new Refusal(Code.APPROVAL_UNAVAILABLE, ask.rule(), ask.what()
        + " needs a person's approval, and " + why, OptionalLong.empty(), ask.operations());
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
