package io.github.mcppolicyproxy.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.audit.Canonical;
import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.integrity.ToolIntegrity;
import io.github.mcppolicyproxy.jsonrpc.Envelope;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import io.github.mcppolicyproxy.jsonrpc.Replies;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.policy.Code;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.Refusal;
import io.github.mcppolicyproxy.policy.ToolCall;
import io.github.mcppolicyproxy.approval.ApprovalChannel;
import io.github.mcppolicyproxy.approval.ApprovalForm;
import io.github.mcppolicyproxy.approval.ApprovalStates;
import io.github.mcppolicyproxy.approval.OutOfBandApprovals;
import java.security.SecureRandom;
import io.github.mcppolicyproxy.policy.Verdict;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.Objects;

/**
 * Decides one {@code tools/call} message: forward it, answer it, or drop it. The call is judged on
 * a tree built from the very bytes that would be forwarded, with every repeated member refused, so
 * the upstream can only ever execute what was judged. Every refusal (and every monitor-mode
 * would-be refusal) is written to the violation log before the answer is built.
 */
final class ToolsCallGate {
  private static final String REVISION_META = "io.modelcontextprotocol/protocolVersion";

  /** What to do with the message. */
  sealed interface Outcome {
    /**
     * Forward it; {@code continuationKey} is set for a 2026-07-28 call (see {@link Continuations});
     * {@code replacement}, when not null, is forwarded instead of the received bytes (an approved
     * retry without the proxy's own input, see {@link InputRequiredApprovals});
     * {@code reservation} is the quota it took, given back if it is not forwarded after all or
     * the upstream fails it; {@code tool} names the tool called, when known.
     */
    record Forward(String continuationKey, byte[] replacement, Quota.Reservation reservation,
        String tool) implements Outcome {
      public Forward {
        java.util.Objects.requireNonNull(reservation, "reservation");
      }

      Forward(String continuationKey) {
        this(continuationKey, null, Quota.Reservation.NONE, null);
      }

      Forward(String continuationKey, Quota.Reservation reservation) {
        this(continuationKey, null, reservation, null);
      }

      /** The same forward, of {@code name}. */
      Forward of(String name) {
        return new Forward(continuationKey, replacement, reservation, name);
      }
    }

    /** Do not forward it; send the client this frame instead. */
    record Answer(byte[] frame) implements Outcome {}

    /** Do not forward it and answer nothing (a notification cannot be answered). */
    record Drop() implements Outcome {}

    /** Hold it while a person decides; the result is a {@link Forward} or an {@link Answer}. */
    record Hold(CompletableFuture<Outcome> result) implements Outcome {}
  }

  private final java.util.function.Supplier<CallJudge> judges;
  private final SessionStats stats;
  private final ViolationLog log;
  private final Continuations continuations;
  private final Replies replies;
  private final ProxyConfig config;
  private final ObjectMapper lenient = new ObjectMapper();
  private final ToolsCallReader reader;
  private final CallRefusals refusals;
  private final ApprovalChannel approvals;
  private final ToolIntegrity integrity;
  private final InputRequiredApprovals inputRequired;

  /** A gate whose policy never changes. */
  ToolsCallGate(CallJudge judge, ViolationLog log, Continuations continuations, Answers answers,
      ProxyConfig config, ApprovalChannel approvals) {
    this(() -> judge, log, continuations, answers, config, approvals,
        new SessionStats(config.clock().instant()), null);
  }

  /**
   * @param judges the policy version in force, read once per decision (see
   *     {@code live.LivePolicy}); a held call is judged again by the version in force when the
   *     person answers
   * @param integrity refuses calls to tools whose definition changed (null: none)
   */
  ToolsCallGate(java.util.function.Supplier<CallJudge> judges, ViolationLog log,
      Continuations continuations, Answers answers, ProxyConfig config, ApprovalChannel approvals,
      SessionStats stats, ToolIntegrity integrity) {
    this.integrity = integrity; // null: no tool integrity (pins) in this session
    this.approvals = Objects.requireNonNull(approvals, "approvals");
    this.judges = Objects.requireNonNull(judges, "judges");
    this.stats = Objects.requireNonNull(stats, "stats");
    this.log = Objects.requireNonNull(log, "log");
    this.continuations = Objects.requireNonNull(continuations, "continuations");
    this.replies = answers.replies();
    this.config = Objects.requireNonNull(config, "config");
    this.refusals = new CallRefusals(log, answers, stats, config);
    this.reader = new ToolsCallReader(config.maxFrameBytes(), lenient, replies, config.stderr());
    this.inputRequired = new InputRequiredApprovals(judges, new ApprovalStates(config.clock(),
        lenient, new SecureRandom()), replies, config.clock(), config.sessionId());
  }

  /**
   * The fate of the {@code tools/call} in {@code frame[from, to)}, whose envelope is {@code e}.
   * {@code mayHold} is false where a call cannot wait for a person (inside a batch).
   */
  Outcome decide(byte[] frame, int from, int to, Envelope e, boolean mayHold) {
    stats.seen();
    CallJudge judge = judges.get(); // one version judges this whole call
    Outcome o = decide(judge, frame, from, to, e, mayHold);
    if (o instanceof Outcome.Forward) {
      stats.forwarded();
    } else if (o instanceof Outcome.Hold h) {
      stats.asked();
      h.result().thenAccept(done -> {
        if (done instanceof Outcome.Forward) {
          stats.granted();
          stats.forwarded();
        }
      });
    }
    return o;
  }

  private Outcome decide(CallJudge judge, byte[] frame, int from, int to, Envelope e,
      boolean mayHold) {
    if (e.kind() == Envelope.Kind.NOTIFICATION) {
      diag("dropped a tools/call sent as a notification (no id): it cannot be answered,"
          + " so it is never forwarded");
      stats.refused(Code.INVALID_REQUEST);
      refusals.record(judge, null, reader.attempted(frame, from, to), new Refusal(
          Code.INVALID_REQUEST, "/", "tools/call was sent as a notification (no id), which cannot"
          + " be answered, so it was never forwarded"), true);
      return new Outcome.Drop();
    }
    JsonId id = e.id();
    ToolsCallReader.Read read = reader.read(frame, from, to, id);
    if (read instanceof ToolsCallReader.Read.Invalid bad) {
      return new Outcome.Answer(bad.answer());
    }
    JsonNode params = ((ToolsCallReader.Read.Call) read).params();
    ToolCall call = ((ToolsCallReader.Read.Call) read).call();
    boolean stateless = params.path("_meta").has(REVISION_META);
    String continuationKey = null;
    boolean continuation = false;
    if (config.requireAudit() && !log.healthy()) {
      return refusals.refuse(judge, id, call, new Refusal(Code.DENIED, "/", "the violation log"
          + " cannot be written and this proxy runs with --require-audit, so every call is refused"
          + " until it recovers"), stateless);
    }
    if (stateless) {
      continuationKey = Continuations.key(call.tool(), Canonical.sha256(call.arguments()));
      if (InputRequiredApprovals.answersTheProxy(params)) {
        Outcome o = redeemed(judge, id, call, inputRequired.redeem(call, params, frame, from, to),
            continuationKey);
        if (o instanceof Outcome.Forward) {
          stats.granted(); // a person approved the question of an input-required answer
        }
        return o;
      }
      continuation = (params.has("inputResponses") || params.has("requestState"))
          && continuations.take(continuationKey);
    }
    Refusal changed = integrity == null ? null : integrity.refusal(call.tool());
    if (changed != null) {
      return refusals.refuse(judge, id, call, changed, stateless);
    }
    boolean approvedBefore = continuation && continuations.takeApproved(continuationKey);
    if (approvedBefore) {
      // the upstream's own multi round-trip continuing a call a person approved (and that took
      // its quota then): judged by the rules again, neither charged nor asked again
      Verdict v = judge.engine().decide(call);
      if (v instanceof Verdict.Refuse r) {
        return refusals.refuse(judge, id, call, r.refusal(), stateless);
      }
      continuations.approved(continuationKey);
      return new Outcome.Forward(continuationKey).of(call.tool());
    }
    CallJudge.Decision d = judge.decide(call, config.sessionId(), continuation);
    if (d instanceof CallJudge.Decision.Allow a) {
      return new Outcome.Forward(continuationKey, a.reservation()).of(call.tool());
    }
    if (d instanceof CallJudge.Decision.Refuse r) {
      return refusals.refuse(judge, id, call, r.refusal(), stateless);
    }
    Verdict.Ask ask = ((CallJudge.Decision.Ask) d).ask();
    boolean enforced = judge.engine().policy().mode() == Policy.Mode.ENFORCE;
    OutOfBandApprovals outOfBand = approvals.outOfBand();
    boolean clientCanAnswer = stateless ? InputRequiredApprovals.clientCanBeAsked(params)
        : mayHold && approvals.available();
    if (enforced && outOfBand != null && (approvals.outOfBandFirst() || !clientCanAnswer)) {
      return holdOutOfBand(judge, id, call, ask, outOfBand, stateless);
    }
    if (enforced && stateless && InputRequiredApprovals.clientCanBeAsked(params)) {
      diag("asking the client's person about " + call.tool() + " (id " + id.raw() + ") with an"
          + " input-required result (" + ask.rule() + ", valid " + ask.timeoutSeconds() + " s)");
      stats.asked();
      return new Outcome.Answer(inputRequired.ask(id, call, ask, params, continuation));
    }
    if (!enforced || !mayHold || stateless || !approvals.available()) {
      String why = !enforced ? "monitor mode asks nobody"
          : !mayHold ? "a call inside a batch cannot wait for a person"
          : stateless ? "the request's _meta does not declare the elicitation capability (form"
              + " mode), so nobody can be asked"
          : "the client did not declare the elicitation capability, so nobody can be asked";
      return refusals.refuse(judge, id, call, CallJudge.notApproved(ask,
          ApprovalChannel.Answer.UNAVAILABLE).withReason(ask.what() + " needs a person's approval,"
          + " and " + why), stateless);
    }
    String forward = continuationKey;
    diag("holding " + call.tool() + " (id " + id.raw() + ") for a person's approval ("
        + ask.rule() + ", up to " + ask.timeoutSeconds() + " s)");
    return new Outcome.Hold(approvals.ask(question(call, ask),
            Duration.ofSeconds(ask.timeoutSeconds()))
        .thenApply(answer -> answered(judge, id, call, ask, stateless, forward, answer, null,
            ")")));
  }

  /**
   * A person answered about a held call: refused unless approved; approved, it is judged again by
   * the version in force now (a rule that now denies wins), charged, and forwarded.
   */
  private Outcome answered(CallJudge judge, JsonId id, ToolCall call, Verdict.Ask ask,
      boolean stateless, String forward, ApprovalChannel.Answer answer, String reason,
      String how) {
    if (answer != ApprovalChannel.Answer.APPROVED) {
      Refusal no = CallJudge.notApproved(ask, answer);
      return refusals.refuse(judge, id, call, reason == null ? no
          : no.withReason(no.reason() + " (" + reason + ")"), stateless);
    }
    CallJudge now = judges.get();
    CallJudge.Decision late = now == judge ? judge.afterApproval(call, config.sessionId(), ask)
        : now.afterApprovalRejudged(call, config.sessionId());
    if (late instanceof CallJudge.Decision.Refuse r) {
      return refusals.refuse(now, id, call, r.refusal(), stateless);
    }
    diag("approved " + call.tool() + " (id " + id.raw() + how + "; forwarding it");
    continuations.approved(forward);
    return new Outcome.Forward(forward, late instanceof CallJudge.Decision.Allow a
        ? a.reservation() : Quota.Reservation.NONE).of(call.tool());
  }

  /**
   * Holds {@code call} for a person at another terminal: announced on stderr and in the violation
   * log; forwarded only on {@code approve ID}, refused on {@code deny ID} or at the timeout.
   */
  private Outcome holdOutOfBand(CallJudge judge, JsonId id, ToolCall call, Verdict.Ask ask,
      OutOfBandApprovals outOfBand, boolean stateless) {
    String argsSha = Canonical.sha256(call.arguments());
    java.util.Map.Entry<OutOfBandApprovals.Held, CompletableFuture<OutOfBandApprovals.Decision>> h;
    try {
      h = outOfBand.hold(config.sessionId(), call.tool(), ask.operations(), call.arguments(),
          argsSha, Duration.ofSeconds(ask.timeoutSeconds()));
    } catch (IOException | RuntimeException e) {
      return refusals.refuse(judge, id, call, CallJudge.notApproved(ask,
          ApprovalChannel.Answer.UNAVAILABLE).withReason(ask.what() + " needs a person's approval,"
          + " and the out-of-band approvals directory cannot be used: " + e.getMessage()),
          stateless);
    }
    String heldId = h.getKey().id();
    diag("HELD " + call.tool() + " (id " + id.raw() + ") for approval as " + heldId + " ("
        + ask.rule() + ", up to " + ask.timeoutSeconds() + " s): run `mcp-policy-proxy approve "
        + heldId + "` or `mcp-policy-proxy deny " + heldId + "` (list: mcp-policy-proxy approvals)");
    refusals.record(judge, id.raw(), call, new Refusal(Code.APPROVAL_HELD, ask.rule(), ask.what()
        + " is held for a person's approval out of band as " + heldId,
        java.util.OptionalLong.empty(), ask.operations()), true);
    String forward = stateless
        ? Continuations.key(call.tool(), argsSha) : null;
    return new Outcome.Hold(h.getValue().thenApply(d -> answered(judge, id, call, ask, stateless,
        forward, d.answer(), d.reason(), ", held as " + heldId + ") out of band")));
  }

  /** The fate of a retry that answered the proxy's own input-required question. */
  private Outcome redeemed(CallJudge judge, JsonId id, ToolCall call, InputRequiredApprovals.Result r,
      String continuationKey) {
    if (r instanceof InputRequiredApprovals.Result.Refuse no) {
      return refusals.refuse(judge, id, call, no.refusal(), true);
    }
    diag("approved " + call.tool() + " (id " + id.raw() + "); forwarding it without the proxy's"
        + " input");
    continuations.approved(continuationKey);
    InputRequiredApprovals.Result.Forward f = (InputRequiredApprovals.Result.Forward) r;
    return new Outcome.Forward(continuationKey, f.frame(), f.reservation(), call.tool());
  }

  /** What the person is asked: the call exactly as it will run, and the rule that asks. */
  private String question(ToolCall call, Verdict.Ask ask) {
    return ApprovalForm.question(lenient, ask.what(), call.arguments(), ask.rule(),
        ask.timeoutSeconds());
  }

  private void diag(String message) {
    config.stderr().println("mcp-policy-proxy: " + message);
  }
}
