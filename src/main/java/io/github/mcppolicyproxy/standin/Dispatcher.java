package io.github.mcppolicyproxy.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Routes each received frame: answers protocol methods at once, runs {@code tools/call} on the
 * worker pool (so answers may come out of order, as from the real server), routes the client's
 * responses to pending server requests and honours {@code notifications/cancelled}.
 */
final class Dispatcher {

  static final List<String> LEGACY_VERSIONS = List.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25");
  private static final String DEFAULT_VERSION = "2025-06-18";
  /** MCP methods the real server knows but has no handler for: the SDK answers -32601. */
  private static final Set<String> KNOWN_UNHANDLED = Set.of("completion/complete", "prompts/get",
      "resources/read", "resources/subscribe", "resources/unsubscribe", "tasks/get", "tasks/list",
      "tasks/result", "tasks/cancel");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ObjectMapper json;
  private final FrameWriter out;
  private final PrintStream err;
  private final JsonNode initializeResult;
  private final ToolCatalog catalog;
  private final AwsTools awsTools;
  private final FaultTools faultTools;
  private final boolean testTools;
  private final StandInOptions options;
  private final ClientRequests clientRequests;
  private final ExecutorService workers;
  private final Map<String, Call> inFlight = new ConcurrentHashMap<>();
  private final Tasks tasks;

  Dispatcher(ObjectMapper json, FrameWriter out, PrintStream err, JsonNode initializeResult,
      ToolCatalog catalog, AwsTools awsTools, FaultTools faultTools, StandInOptions options,
      ClientRequests clientRequests, ExecutorService workers) {
    this.json = Objects.requireNonNull(json, "json");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.initializeResult = Objects.requireNonNull(initializeResult, "initializeResult");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.awsTools = Objects.requireNonNull(awsTools, "awsTools");
    this.faultTools = Objects.requireNonNull(faultTools, "faultTools");
    this.options = Objects.requireNonNull(options, "options");
    this.testTools = options.testTools();
    this.clientRequests = Objects.requireNonNull(clientRequests, "clientRequests");
    this.workers = Objects.requireNonNull(workers, "workers");
    this.tasks = new Tasks(json, out, options.taskNotifications());
  }

  /** Handles one received line; called on the reader thread only. */
  void handle(String line, boolean truncated) throws InterruptedException {
    Incoming frame;
    try {
      if (truncated) {
        throw new IOException("line longer than the stand-in's bound");
      }
      frame = Incoming.parse(line, json);
    } catch (IOException e) {
      err.println("standin: not a JSON-RPC frame: " + e.getMessage());
      ObjectNode error = NODES.objectNode().put("jsonrpc", "2.0").putNull("id");
      error.putObject("error").put("code", -32700).put("message", "Parse error").put("data", e.getMessage());
      out.send(error);
      return;
    }
    if (frame.isResponse()) {
      if (!clientRequests.complete(frame)) {
        err.println("standin: response to no pending request: id " + frame.rawId());
      }
    } else if (frame.isNotification()) {
      if ("notifications/cancelled".equals(frame.method())) {
        Call call = inFlight.get(frame.params().path("requestId").toString());
        if (call != null) {
          call.cancel();
        }
      }
    } else if (frame.isRequest()) {
      request(new Call(frame, out));
    } else {
      err.println("standin: ignoring a frame that is neither request, notification nor response");
    }
  }

  private void request(Call call) throws InterruptedException {
    JsonNode params = call.params();
    switch (call.request().method()) {
      case "initialize" -> {
        ObjectNode result = initializeResult.deepCopy();
        String requested = params.path("protocolVersion").asText();
        result.put("protocolVersion", LEGACY_VERSIONS.contains(requested) ? requested : DEFAULT_VERSION);
        call.result(result);
      }
      case "server/discover" -> call.result(discover());
      case "ping", "logging/setLevel" -> call.result(NODES.objectNode());
      case "tools/list" -> {
        try {
          ObjectNode page = catalog.page(params.path("cursor").isTextual() ? params.path("cursor").asText() : null);
          if (call.modern()) { // a 2026-07-28 list result is cacheable: ttlMs and cacheScope are required
            page.put("ttlMs", 60_000).put("cacheScope", "public");
          }
          call.result(page);
        } catch (IllegalArgumentException e) {
          call.error(-32602, e.getMessage(), null);
        }
      }
      case "prompts/list" -> call.result(emptyList("prompts"));
      case "resources/list" -> call.result(emptyList("resources"));
      case "resources/templates/list" -> call.result(emptyList("resourceTemplates"));
      case "tools/call" -> toolCall(call);
      case "tasks/get", "tasks/result", "tasks/cancel" -> {
        if (options.tasks()) {
          tasks.handle(call);
        } else {
          call.error(-32601, "Method not found", null);
        }
      }
      default -> {
        if (KNOWN_UNHANDLED.contains(call.request().method())) {
          call.error(-32601, "Method not found", null);
        } else {
          // The Python SDK cannot even validate a request whose method it does not know.
          call.error(-32602, "Invalid request parameters", NODES.textNode(""));
        }
      }
    }
  }

  private void toolCall(Call call) throws InterruptedException {
    String tool = call.params().path("name").asText();
    JsonNode arguments = call.params().path("arguments").isObject()
        ? call.params().get("arguments") : NODES.objectNode();
    boolean fault = testTools && FaultTools.NAMES.contains(tool);
    if (fault && tool.equals("standin_stop_reading")) {
      runTool(call, tool, arguments, true);
      return;
    }
    String key = call.request().id().toString();
    inFlight.put(key, call);
    try {
      workers.execute(() -> {
        try {
          runTool(call, tool, arguments, fault);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          inFlight.remove(key, call);
        }
      });
    } catch (RejectedExecutionException e) {
      inFlight.remove(key, call);
      call.error(-32603, "stand-in is shutting down", null);
    }
  }

  private void runTool(Call call, String tool, JsonNode arguments, boolean fault) throws InterruptedException {
    if (options.tasks() && Tasks.wanted(call)) {
      tasks.create(call, inner -> runToolNow(inner, tool, arguments, fault));
    } else {
      runToolNow(call, tool, arguments, fault);
    }
  }

  private void runToolNow(Call call, String tool, JsonNode arguments, boolean fault) throws InterruptedException {
    try {
      if (fault) {
        faultTools.call(call, tool, arguments);
      } else if (options.successor()) {
        successor(call, tool, arguments);
      } else if (catalog.lists(tool) || !FaultTools.NAMES.contains(tool)) {
        awsTools.call(call, tool, arguments);
      } else {
        call.result(AwsTools.unknownTool(tool));
      }
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) { // top of a worker task: answer like FastMCP does and keep serving
      e.printStackTrace(err);
      call.result(AwsReplies.toolError("Error calling tool '" + tool + "': " + e.getMessage()));
    }
  }

  /**
   * The AWS MCP Server's tools: {@code aws___call_aws} and {@code aws___suggest_aws_commands} are
   * the recorded tools under the prefix; the others answer a short synthesized text.
   */
  private void successor(Call call, String tool, JsonNode arguments) {
    String bare = tool.startsWith(StandInOptions.SUCCESSOR_PREFIX)
        ? tool.substring(StandInOptions.SUCCESSOR_PREFIX.length()) : null;
    if (!catalog.lists(tool) || bare == null) {
      call.result(AwsTools.unknownTool(tool));
    } else if (bare.equals("call_aws") || bare.equals("suggest_aws_commands")) {
      awsTools.call(call, bare, arguments);
    } else {
      ObjectNode result = NODES.objectNode();
      result.putArray("content").addObject().put("type", "text")
          .put("text", "stand-in " + tool + " ran with " + arguments);
      result.put("isError", false);
      call.result(result);
    }
  }

  private ObjectNode discover() {
    ObjectNode result = NODES.objectNode().put("resultType", "complete");
    result.putArray("supportedVersions").add(Call.MODERN_REVISION).add("2025-11-25").add("2025-06-18")
        .add("2025-03-26").add("2024-11-05");
    ObjectNode capabilities = initializeResult.path("capabilities").deepCopy();
    if (options.tasks()) { // 2026-07-28: tasks are an extension
      capabilities.remove("tasks");
      capabilities.putObject("extensions").putObject("io.modelcontextprotocol/tasks");
    }
    result.set("capabilities", capabilities);
    result.set("instructions", initializeResult.path("instructions").deepCopy());
    result.put("ttlMs", 60_000);
    result.put("cacheScope", "public");
    result.putObject("_meta").set("io.modelcontextprotocol/serverInfo",
        initializeResult.path("serverInfo").deepCopy());
    return result;
  }

  private static ObjectNode emptyList(String name) {
    ObjectNode result = NODES.objectNode();
    result.putArray(name);
    return result;
  }

  /** At end of input: abandons server requests, lets running calls finish for up to a second. */
  void drain() throws InterruptedException {
    clientRequests.abandonAll();
    workers.shutdown();
    if (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
      err.println("standin: calls still running after 1 s at end of input; leaving them");
      workers.shutdownNow();
    }
  }
}
