package io.github.mcppolicyproxy.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.mcppolicyproxy.audit.Canonical;
import io.github.mcppolicyproxy.audit.Violation;
import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.integrity.ToolIntegrity;
import io.github.mcppolicyproxy.jsonrpc.Envelope;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import io.github.mcppolicyproxy.jsonrpc.Replies;
import io.github.mcppolicyproxy.policy.Code;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.Refusal;
import io.github.mcppolicyproxy.policy.ToolCall;
import io.github.mcppolicyproxy.approval.ApprovalChannel;
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
     * {@code tool} names the tool called, when known.
     */
    record Forward(String continuationKey, String tool) implements Outcome {
      Forward(String continuationKey) {
        this(continuationKey, null);
      }
    }

    /** Do not forward it; send the client this frame instead. */
    record Answer(byte[] frame) implements Outcome {}

    /** Do not forward it and answer nothing (a notification cannot be answered). */
    record Drop() implements Outcome {}

    /** Hold it while a person decides; the result is a {@link Forward} or an {@link Answer}. */
    record Hold(CompletableFuture<Outcome> result) implements Outcome {}
  }

  private final CallJudge judge;
  private final ViolationLog log;
  private final Continuations continuations;
  private final Answers answers;
  private final Replies replies;
  private final ProxyConfig config;
  private final ObjectMapper strict;
  private final ObjectMapper lenient = new ObjectMapper();
  private final ApprovalChannel approvals;
  private final ToolIntegrity integrity;

  ToolsCallGate(CallJudge judge, ViolationLog log, Continuations continuations, Answers answers,
      ProxyConfig config, ApprovalChannel approvals, ToolIntegrity integrity) {
    this.integrity = integrity; // null: no tool integrity (pins) in this session
    this.approvals = Objects.requireNonNull(approvals, "approvals");
    this.judge = Objects.requireNonNull(judge, "judge");
    this.log = Objects.requireNonNull(log, "log");
    this.continuations = Objects.requireNonNull(continuations, "continuations");
    this.answers = Objects.requireNonNull(answers, "answers");
    this.replies = answers.replies();
    this.config = Objects.requireNonNull(config, "config");
    // Strings as long as a frame (a legitimate large argument is judged, not refused); nesting
    // stays at Jackson's default of 1000, so building the tree of a deeper call refuses it.
    this.strict = JsonMapper.builder(JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(config.maxFrameBytes()).build())
        .build()).build();
  }

  /**
   * The fate of the {@code tools/call} in {@code frame[from, to)}, whose envelope is {@code e}.
   * {@code mayHold} is false where a call cannot wait for a person (inside a batch).
   */
  Outcome decide(byte[] frame, int from, int to, Envelope e, boolean mayHold) {
    if (e.kind() == Envelope.Kind.NOTIFICATION) {
      diag("dropped a tools/call sent as a notification (no id): it cannot be answered,"
          + " so it is never forwarded");
      logNotification(frame, from, to);
      return new Outcome.Drop();
    }
    JsonId id = e.id();
    if (id.isNull() || id.key().startsWith("invalid:")) {
      return new Outcome.Answer(replies.error(JsonId.NULL, Replies.INVALID_REQUEST,
          "Invalid Request: tools/call needs a string or number id"));
    }
    JsonNode root;
    try {
      root = strict.readTree(frame, from, to - from);
    } catch (IOException ex) {
      String first = ex.getMessage().lines().findFirst().orElse("unreadable tools/call");
      diag("refused tools/call " + id.raw() + ": " + first);
      return new Outcome.Answer(replies.error(id, Replies.INVALID_REQUEST,
          "Invalid Request: " + first));
    }
    JsonNode params = root.get("params");
    JsonNode name = params == null ? null : params.get("name");
    JsonNode args = params == null ? null : params.get("arguments");
    String problem = null;
    if (params == null || !params.isObject()) {
      problem = "params must be an object";
    } else if (name == null || !name.isTextual()) {
      problem = "params.name must be a string";
    } else if (args != null && !args.isObject()) {
      problem = "params.arguments must be an object";
    }
    if (problem != null) {
      diag("refused tools/call " + id.raw() + ": " + problem);
      return new Outcome.Answer(replies.error(id, Replies.INVALID_PARAMS,
          "Invalid params: " + problem));
    }
    ToolCall call = new ToolCall(name.asText(), args);
    boolean stateless = params.path("_meta").has(REVISION_META);
    String continuationKey = null;
    boolean continuation = false;
    if (stateless) {
      continuationKey = Continuations.key(call.tool(), Canonical.sha256(call.arguments()));
      continuation = (params.has("inputResponses") || params.has("requestState"))
          && continuations.take(continuationKey);
    }
    if (config.requireAudit() && !log.healthy()) {
      return refuse(id, call, new Refusal(Code.DENIED, "/", "the violation log cannot be written"
          + " and this proxy runs with --require-audit, so every call is refused until it"
          + " recovers"), stateless);
    }
    Refusal changed = integrity == null ? null : integrity.refusal(call.tool());
    if (changed != null) {
      return refuse(id, call, changed, stateless);
    }
    CallJudge.Decision d = judge.decide(call, config.sessionId(), continuation);
    if (d instanceof CallJudge.Decision.Allow) {
      return new Outcome.Forward(continuationKey, call.tool());
    }
    if (d instanceof CallJudge.Decision.Refuse r) {
      return refuse(id, call, r.refusal(), stateless);
    }
    Verdict.Ask ask = ((CallJudge.Decision.Ask) d).ask();
    boolean enforced = judge.engine().policy().mode() == Policy.Mode.ENFORCE;
    if (!enforced || !mayHold || stateless || !approvals.available()) {
      String why = !enforced ? "monitor mode asks nobody"
          : !mayHold ? "a call inside a batch cannot wait for a person"
          : stateless ? "the 2026-07-28 revision has no request the proxy could ask with"
          : "the client did not declare the elicitation capability, so nobody can be asked";
      return refuse(id, call, CallJudge.notApproved(ask, ApprovalChannel.Answer.UNAVAILABLE)
          .withReason(ask.what() + " needs a person's approval, and " + why), stateless);
    }
    String forward = continuationKey;
    diag("holding " + call.tool() + " (id " + id.raw() + ") for a person's approval ("
        + ask.rule() + ", up to " + ask.timeoutSeconds() + " s)");
    return new Outcome.Hold(approvals.ask(question(call, ask),
            Duration.ofSeconds(ask.timeoutSeconds()))
        .thenApply(answer -> {
          if (answer != ApprovalChannel.Answer.APPROVED) {
            return refuse(id, call, CallJudge.notApproved(ask, answer), stateless);
          }
          Refusal late = judge.afterApproval(call, config.sessionId(), ask);
          if (late != null) {
            return refuse(id, call, late, stateless);
          }
          diag("approved " + call.tool() + " (id " + id.raw() + "); forwarding it");
          return new Outcome.Forward(forward, call.tool());
        }));
  }

  /** Logs a refusal, then answers it (or, in monitor mode, forwards the call anyway). */
  private Outcome refuse(JsonId id, ToolCall call, Refusal refusal, boolean stateless) {
    boolean enforced = judge.engine().policy().mode() == Policy.Mode.ENFORCE;
    record(id.raw(), call, refusal, enforced);
    diag((enforced ? "refused " : "monitor: would refuse ") + call.tool() + " (id " + id.raw()
        + "): " + refusal.code().wire() + " " + refusal.rule()
        + refusal.retryAfterSeconds().stream().mapToObj(s -> ", retry in " + s + " s")
            .findFirst().orElse(""));
    return enforced ? new Outcome.Answer(answers.refusal(id, refusal, stateless))
        : new Outcome.Forward(null, call.tool());
  }

  /** What the person is asked: the call exactly as it will run, and the rule that asks. */
  private String question(ToolCall call, Verdict.Ask ask) {
    String args;
    try {
      args = lenient.writeValueAsString(call.arguments());
    } catch (IOException e) {
      args = String.valueOf(call.arguments());
    }
    if (args.length() > 4000) {
      args = args.substring(0, 4000) + "... (" + args.length() + " characters)";
    }
    return "An AI agent wants to run " + ask.what() + " with these arguments:\n" + args
        + "\n\nThe policy (" + ask.rule() + ") needs a person's approval for it. Approve this"
        + " one call? (It is refused if you do not answer within " + ask.timeoutSeconds() + " s.)";
  }

  /**
   * Records a {@code tools/call} notification in the violation log: it was never forwarded, whatever
   * the policy says, because nobody could be told the outcome. Read leniently (a duplicate key or a
   * malformed {@code params} still names what was attempted as best it can).
   */
  private void logNotification(byte[] frame, int from, int to) {
    JsonNode params = null;
    try {
      params = lenient.readTree(frame, from, to - from).get("params");
    } catch (IOException | RuntimeException ex) {
      // logged below with what is known
    }
    JsonNode name = params == null ? null : params.get("name");
    JsonNode args = params == null ? null : params.get("arguments");
    ToolCall call = new ToolCall(name != null && name.isTextual() ? name.asText() : "",
        args != null && args.isObject() ? args : null);
    record(null, call, new Refusal(Code.INVALID_REQUEST, "/", "tools/call was sent as a"
        + " notification (no id), which cannot be answered, so it was never forwarded"), true);
  }

  private void record(String requestId, ToolCall call, Refusal refusal, boolean enforced) {
    Policy policy = judge.engine().policy();
    log.append(new Violation(config.clock().instant(), config.sessionId(), requestId, call.tool(),
        refusal, enforced, Canonical.sha256(call.arguments()), Canonical.keys(call.arguments()),
        config.logArgumentValues() ? call.arguments() : null, policy.source(), policy.sha256()));
  }

  private void diag(String message) {
    config.stderr().println("mcp-policy-proxy: " + message);
  }
}
