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
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Turns the policy's {@link Verdict} into a final decision: reserves the {@link Quota} of allowed
 * calls (all of a call's limits or none) and refuses calls that need a person's approval while no
 * approval channel exists (fail closed: {@code approval_unavailable}). Thread-safe.
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

  /**
   * What the policy's first calls would otherwise wait for, done ahead on a background thread:
   * the engine's (the AWS CLI model, the operation rules, one decision) and, when the policy has
   * limits, the quota's.
   */
  public void warmUp() {
    engine.warmUp();
    if (engine.policy().hasLimits()) {
      quota.warmUp();
    }
  }

  /** The quota this judge reserves from (and to which failed calls are refunded). */
  public Quota quota() {
    return quota;
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
    /** Allowed; {@code reservation} is what it took (given back if the upstream fails it). */
    record Allow(Quota.Reservation reservation) implements Decision {
      public Allow {
        Objects.requireNonNull(reservation, "reservation");
      }

      /** Allowed, taking nothing. */
      public Allow() {
        this(Quota.Reservation.NONE);
      }
    }

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
      Quota.Outcome o = a.permits().isEmpty() ? null : quota.peek(session, a.permits());
      Refusal refused = refusal(call, o, a.operations());
      return refused != null ? new Decision.Refuse(refused) : new Decision.Ask(a);
    }
    Verdict.Allow allow = (Verdict.Allow) v;
    if (allow.permits().isEmpty() || continuation) {
      return new Decision.Allow();
    }
    return reserve(call, session, allow.permits(), allow.operations());
  }

  /**
   * A person approved {@code ask}: takes its quota now (it was only checked before asking), or
   * refuses it when the limits filled up while the person decided.
   */
  public Decision afterApproval(ToolCall call, String session, Verdict.Ask ask) {
    return reserve(call, session, ask.permits(), ask.operations());
  }

  private Decision reserve(ToolCall call, String session, Map<Limit, Integer> permits,
      List<String> operations) {
    if (permits.isEmpty()) {
      return new Decision.Allow();
    }
    Quota.Outcome o = quota.reserve(session, permits);
    if (o instanceof Quota.Outcome.Granted g) {
      return new Decision.Allow(g.reservation());
    }
    return new Decision.Refuse(refusal(call, o, operations));
  }

  /** The refusal an outcome stands for, or null for a grant. */
  private static Refusal refusal(ToolCall call, Quota.Outcome o, List<String> operations) {
    if (o instanceof Quota.Outcome.Exhausted ex) {
      return rateLimited(call, ex, operations);
    }
    if (o instanceof Quota.Outcome.Unavailable u) {
      return new Refusal(Code.QUOTA_UNAVAILABLE, "/", call.tool() + " has grant or global limits,"
          + " and " + u.why() + ", so it cannot be counted", OptionalLong.of(u.retryAfterSeconds()),
          operations);
    }
    return null;
  }

  /**
   * A person approved a call that an older policy version asked about: this version judges it
   * again. A rule that now refuses it wins; otherwise this version's limits are charged (refused as
   * rate limited when they have no room): an {@link Decision.Allow} with what it took, or a
   * {@link Decision.Refuse}.
   */
  public Decision afterApprovalRejudged(ToolCall call, String session) {
    Verdict v = engine.decide(call);
    if (v instanceof Verdict.Refuse r) {
      return new Decision.Refuse(r.refusal());
    }
    Map<Limit, Integer> permits = v instanceof Verdict.Ask a ? a.permits()
        : ((Verdict.Allow) v).permits();
    return reserve(call, session, permits, v.operations());
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
    String whose = ex.limit().scope() == Limit.Scope.SESSION ? " in this session"
        : ex.limit().scope() == Limit.Scope.GLOBAL ? " across every grant (global)"
        : " for " + ex.scope();
    return new Refusal(Code.RATE_LIMITED, ex.limit().pointer(),
        subject(call, ex.limit(), operations) + " is limited to " + ex.limit().describe() + whose,
        OptionalLong.of(ex.retryAfterSeconds()), operations, ex.scope());
  }

  private static String subject(ToolCall call, Limit limit, List<String> operations) {
    if (limit.pointer().startsWith("/operations/") && !operations.isEmpty()) {
      return "AWS operation " + String.join(", ", operations);
    }
    return call.tool();
  }
}
