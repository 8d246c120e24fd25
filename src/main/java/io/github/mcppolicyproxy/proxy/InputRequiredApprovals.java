package io.github.mcppolicyproxy.proxy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.approval.ApprovalChannel;
import io.github.mcppolicyproxy.approval.ApprovalForm;
import io.github.mcppolicyproxy.approval.ApprovalStates;
import io.github.mcppolicyproxy.audit.Canonical;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import io.github.mcppolicyproxy.jsonrpc.Replies;
import io.github.mcppolicyproxy.policy.Code;
import io.github.mcppolicyproxy.policy.Refusal;
import io.github.mcppolicyproxy.policy.ToolCall;
import io.github.mcppolicyproxy.policy.Verdict;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Approval under the 2026-07-28 revision, which has no server-to-client requests: a call that needs
 * approval is answered with {@code resultType: "input_required"} holding one input request of the
 * proxy's own ({@code elicitation/create}, form mode, under the key {@value #KEY}) and a
 * {@code requestState} from {@link ApprovalStates}. The client's retry is forwarded once, without
 * the proxy's input response and state, only when they verify and say {@code approve: true};
 * otherwise it is refused and never forwarded.
 *
 * <p>The upstream's own multi round-trip is left alone: its input requests use its own keys, and
 * when the question interrupts a retry that carried the upstream's {@code requestState} and
 * {@code inputResponses}, they travel inside the proxy's state and are put back on the approved
 * retry.
 */
final class InputRequiredApprovals {
  /** The proxy's key in {@code inputRequests} / {@code inputResponses}. */
  static final String KEY = "io.github.mcp-policy-proxy/approval";
  private static final String CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";

  /** The fate of a retry that answers the proxy's question. */
  sealed interface Result {
    /** Refuse it (log and answer). */
    record Refuse(Refusal refusal) implements Result {}

    /**
     * Forward {@code frame} (the retry without the proxy's input); it was charged already, and
     * {@code reservation} is what it took (given back if the upstream fails it).
     */
    record Forward(byte[] frame, io.github.mcppolicyproxy.limits.Quota.Reservation reservation)
        implements Result {}
  }

  private final java.util.function.Supplier<CallJudge> judges; // the policy version in force
  private final ApprovalStates states;
  private final Replies replies;
  private final Clock clock;
  private final String session;
  private final ObjectMapper plain = new ObjectMapper();
  // Re-reads the retry keeping every number as written (no double rounding) for re-serialization.
  private final ObjectMapper exact = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)).build();

  InputRequiredApprovals(java.util.function.Supplier<CallJudge> judges, ApprovalStates states, Replies replies, Clock clock,
      String session) {
    this.judges = Objects.requireNonNull(judges, "judges");
    this.states = Objects.requireNonNull(states, "states");
    this.replies = Objects.requireNonNull(replies, "replies");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.session = Objects.requireNonNull(session, "session");
  }

  /** True when the request's {@code _meta} declares form elicitation, so the proxy may ask. */
  static boolean clientCanBeAsked(JsonNode params) {
    JsonNode e = params.path("_meta").path(CAPABILITIES).path("elicitation");
    if (!e.isObject()) {
      return false;
    }
    // {} means form mode (2025-11-25 onwards); a client that lists modes must list form
    return e.has("form") || !e.has("url");
  }

  /** True when the request answers (or claims to answer) the proxy's own question. */
  static boolean answersTheProxy(JsonNode params) {
    return params.path("inputResponses").has(KEY)
        || params.path("requestState").asText("").startsWith(ApprovalStates.PREFIX);
  }

  /**
   * The input-required answer that asks about {@code call}. {@code continuation} is true when the
   * request continued a call the upstream had asked input for (no quota is charged after approval).
   */
  byte[] ask(JsonId id, ToolCall call, Verdict.Ask ask, JsonNode params, boolean continuation) {
    JsonNode upState = params.get("requestState");
    JsonNode upResponses = params.get("inputResponses");
    ApprovalStates.Carried carried = new ApprovalStates.Carried(
        upState != null && upState.isTextual() ? upState.asText() : null,
        upResponses != null && upResponses.isObject() && !upResponses.isEmpty() ? upResponses : null,
        continuation);
    String state = states.seal(binding(call), clock.instant()
        .plus(Duration.ofSeconds(ask.timeoutSeconds())), carried);
    ObjectNode result = plain.createObjectNode();
    result.put("resultType", "input_required");
    ObjectNode request = result.putObject("inputRequests").putObject(KEY);
    request.put("method", "elicitation/create");
    ObjectNode p = request.putObject("params");
    p.put("mode", "form");
    p.put("message", ApprovalForm.question(plain, ask.what(), call.arguments(), ask.rule(),
        ask.timeoutSeconds()));
    p.set("requestedSchema", ApprovalForm.schema(plain));
    result.put("requestState", state);
    return replies.result(id, result);
  }

  /**
   * Judges a retry that answers the proxy's question ({@code frame[from, to)}, read as
   * {@code params}). Never forwards anything the state does not vouch for.
   */
  Result redeem(ToolCall call, JsonNode params, byte[] frame, int from, int to) {
    Verdict v = judges.get().engine().decide(call); // pure: nothing taken
    if (v instanceof Verdict.Refuse r) {
      return new Result.Refuse(r.refusal());
    }
    String rule = v instanceof Verdict.Ask a ? a.rule() : "/";
    String what = v instanceof Verdict.Ask a ? a.what() : call.tool();
    JsonNode answer = params.path("inputResponses").get(KEY);
    JsonNode state = params.get("requestState");
    ApprovalStates.Redemption r = states.redeem(state != null && state.isTextual()
        ? state.asText() : null, binding(call));
    if (r instanceof ApprovalStates.Redemption.Invalid bad) {
      return refuse(Code.APPROVAL_INVALID, rule, what + " was not run: " + bad.reason(), v);
    }
    if (r instanceof ApprovalStates.Redemption.Expired) {
      return refuse(Code.APPROVAL_TIMEOUT, rule, what + " was not approved in time (the"
          + " approval expired)", v);
    }
    if (answer == null) {
      return refuse(Code.APPROVAL_INVALID, rule, what + " was not run: the retry carries the"
          + " proxy's requestState but no answer under \"" + KEY + "\"", v);
    }
    if (!ApprovalForm.approves(answer)) {
      return new Result.Refuse(v instanceof Verdict.Ask a
          ? CallJudge.notApproved(a, ApprovalChannel.Answer.DECLINED)
          : new Refusal(Code.APPROVAL_DECLINED, rule, what + " was not approved by the person"
              + " asked", OptionalLong.empty(), v.operations()));
    }
    ApprovalStates.Carried carried = ((ApprovalStates.Redemption.Valid) r).carried();
    CallJudge judge = judges.get();
    CallJudge.Decision d = judge.decide(call, session, carried.continuation());
    if (d instanceof CallJudge.Decision.Refuse no) {
      return new Result.Refuse(no.refusal());
    }
    if (d instanceof CallJudge.Decision.Ask a && !carried.continuation()) {
      d = judge.afterApproval(call, session, a.ask());
      if (d instanceof CallJudge.Decision.Refuse no2) {
        return new Result.Refuse(no2.refusal());
      }
    }
    return new Result.Forward(withoutProxyInput(frame, from, to, carried),
        d instanceof CallJudge.Decision.Allow took ? took.reservation()
            : io.github.mcppolicyproxy.limits.Quota.Reservation.NONE);
  }

  /** The retry as the upstream must see it: the proxy's input response and state removed. */
  private byte[] withoutProxyInput(byte[] frame, int from, int to,
      ApprovalStates.Carried carried) {
    ObjectNode root;
    try {
      root = (ObjectNode) exact.readTree(frame, from, to - from);
    } catch (IOException e) {
      throw new IllegalStateException("a tools/call that parsed once no longer parses", e);
    }
    ObjectNode params = (ObjectNode) root.get("params");
    params.remove("requestState");
    JsonNode responses = params.get("inputResponses");
    if (responses instanceof ObjectNode o) {
      o.remove(KEY);
    }
    if (carried.upstreamResponses() != null) {
      ObjectNode merged = carried.upstreamResponses().deepCopy();
      if (responses instanceof ObjectNode o) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
          String k = it.next();
          merged.set(k, o.get(k));
        }
      }
      params.set("inputResponses", merged);
    } else if (responses instanceof ObjectNode o && o.isEmpty()) {
      params.remove("inputResponses");
    }
    if (carried.upstreamState() != null) {
      params.put("requestState", carried.upstreamState());
    }
    try {
      return exact.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the retry", e);
    }
  }

  private ApprovalStates.Binding binding(ToolCall call) {
    return new ApprovalStates.Binding(call.tool(), Canonical.sha256(call.arguments()),
        judges.get().engine().policy().sha256());
  }

  private static Result refuse(Code code, String rule, String reason, Verdict v) {
    return new Result.Refuse(new Refusal(code, rule, reason, OptionalLong.empty(),
        v.operations()));
  }
}
