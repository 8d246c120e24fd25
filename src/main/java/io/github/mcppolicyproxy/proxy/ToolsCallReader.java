package io.github.mcppolicyproxy.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.mcppolicyproxy.jsonrpc.JsonId;
import io.github.mcppolicyproxy.jsonrpc.QuickTree;
import io.github.mcppolicyproxy.jsonrpc.Replies;
import io.github.mcppolicyproxy.policy.ToolCall;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Objects;

/**
 * Reads a {@code tools/call} from the very bytes that would be forwarded: a tree built with every
 * repeated member refused, so what is judged is what the upstream would execute; a call that cannot
 * be read so, or whose params are malformed, is answered with the JSON-RPC error that says why.
 */
final class ToolsCallReader {
  /** What was read. */
  sealed interface Read {
    /** A readable call: its {@code params} and the call the policy judges. */
    record Call(JsonNode params, ToolCall call) implements Read {}

    /** Not a call that can be judged: answer the client with {@code answer}. */
    record Invalid(byte[] answer) implements Read {}
  }

  private final ObjectMapper strict;
  private final ObjectMapper lenient;
  private final Replies replies;
  private final PrintStream stderr;

  /** @param maxFrameBytes the longest string accepted (a large argument is judged, not refused) */
  ToolsCallReader(int maxFrameBytes, ObjectMapper lenient, Replies replies, PrintStream stderr) {
    this.lenient = Objects.requireNonNull(lenient, "lenient");
    this.replies = Objects.requireNonNull(replies, "replies");
    this.stderr = Objects.requireNonNull(stderr, "stderr");
    // nesting stays at Jackson's default of 1000, so building the tree of a deeper call refuses it
    this.strict = JsonMapper.builder(JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(maxFrameBytes).build())
        .build()).build();
  }

  /** The request {@code frame[from, to)} with id {@code id}, read strictly. */
  Read read(byte[] frame, int from, int to, JsonId id) {
    if (id.isNull() || id.key().startsWith("invalid:")) {
      return new Read.Invalid(replies.error(JsonId.NULL, Replies.INVALID_REQUEST,
          "Invalid Request: tools/call needs a string or number id"));
    }
    JsonNode root;
    try {
      root = QuickTree.read(frame, from, to); // the common call without a parser
      if (root == null) {
        root = strict.readTree(frame, from, to - from);
      }
    } catch (IOException ex) {
      String first = ex.getMessage().lines().findFirst().orElse("unreadable tools/call");
      diag("refused tools/call " + id.raw() + ": " + first);
      return new Read.Invalid(replies.error(id, Replies.INVALID_REQUEST,
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
      return new Read.Invalid(replies.error(id, Replies.INVALID_PARAMS,
          "Invalid params: " + problem));
    }
    return new Read.Call(params, new ToolCall(name.asText(), args));
  }

  /**
   * What a {@code tools/call} notification attempted, read leniently (a duplicate key or malformed
   * {@code params} still names it as best it can): it is logged, never forwarded.
   */
  ToolCall attempted(byte[] frame, int from, int to) {
    JsonNode params = null;
    try {
      params = lenient.readTree(frame, from, to - from).get("params");
    } catch (IOException | RuntimeException ex) {
      // named below with what is known
    }
    JsonNode name = params == null ? null : params.get("name");
    JsonNode args = params == null ? null : params.get("arguments");
    return new ToolCall(name != null && name.isTextual() ? name.asText() : "",
        args != null && args.isObject() ? args : null);
  }

  private void diag(String message) {
    stderr.println("mcp-policy-proxy: " + message);
  }
}
