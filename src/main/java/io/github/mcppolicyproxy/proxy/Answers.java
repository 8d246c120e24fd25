package io.github.mcppolicyproxy.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import io.github.mcppolicyproxy.jsonrpc.Replies;
import io.github.mcppolicyproxy.policy.Refusal;
import java.util.Objects;

/** Builds the proxy's answer frames for refused calls, in the configured {@link RefusalStyle}. */
public final class Answers {
  /** The namespaced {@code _meta} key under which refusals carry their details. */
  public static final String META_KEY = "io.github.mcp-policy-proxy/refusal";

  private final ObjectMapper mapper;
  private final Replies replies;
  private final RefusalStyle style;

  public Answers(ObjectMapper mapper, RefusalStyle style) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.replies = new Replies(mapper);
    this.style = Objects.requireNonNull(style, "style");
  }

  public Replies replies() {
    return replies;
  }

  /**
   * The answer to a refused request.
   *
   * @param statelessRevision true when the request spoke the 2026-07-28 revision, whose results
   *     carry {@code resultType}
   */
  public byte[] refusal(JsonId id, Refusal r, boolean statelessRevision) {
    ObjectNode details = details(r);
    if (style == RefusalStyle.ERROR) {
      return replies.error(id, Replies.POLICY_REFUSED, r.agentText(), details);
    }
    ObjectNode result = mapper.createObjectNode();
    ArrayNode content = result.putArray("content");
    content.addObject().put("type", "text").put("text", r.agentText());
    result.put("isError", true);
    result.putObject("_meta").set(META_KEY, details);
    if (statelessRevision) {
      result.put("resultType", "complete");
    }
    return replies.result(id, result);
  }

  private ObjectNode details(Refusal r) {
    ObjectNode d = mapper.createObjectNode();
    d.put("code", r.code().wire());
    d.put("rule", r.rule());
    d.put("reason", r.reason());
    if (r.retryAfterSeconds().isPresent()) {
      d.put("retry_after_seconds", r.retryAfterSeconds().getAsLong());
    } else {
      d.putNull("retry_after_seconds");
    }
    if (r.scope() != null) {
      d.put("scope", r.scope());
    }
    if (!r.operations().isEmpty()) {
      ArrayNode ops = d.putArray("operations");
      r.operations().forEach(ops::add);
    }
    return d;
  }
}
