package io.github.mcppolicyproxy.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/** The {@code standin_*} tools with which tests make the upstream misbehave on purpose. */
final class FaultTools {

  /** What the fault tools may do to the stand-in itself. */
  interface Lifecycle {
    /** Ends the stand-in with this exit code, answering nothing more. */
    void exit(int code);
  }

  static final Set<String> NAMES = Set.of("standin_echo", "standin_sleep", "standin_crash",
      "standin_stderr_flood", "standin_spawn_grandchild", "standin_big", "standin_garbage",
      "standin_stop_reading", "standin_notify", "standin_request_client", "standin_redescribe",
      "standin_rpc_error");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final PrintStream err;
  private final ClientRequests clientRequests;
  private final Lifecycle lifecycle;
  private final ToolCatalog catalog;

  FaultTools(PrintStream err, ClientRequests clientRequests, Lifecycle lifecycle, ToolCatalog catalog) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.err = Objects.requireNonNull(err, "err");
    this.clientRequests = Objects.requireNonNull(clientRequests, "clientRequests");
    this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
  }

  /** Runs the named fault tool (one of {@link #NAMES}). */
  void call(Call call, String tool, JsonNode arguments) throws InterruptedException, IOException {
    switch (tool) {
      case "standin_echo" -> call.result(AwsReplies.dictResult(
          arguments.isObject() ? (ObjectNode) arguments.deepCopy() : NODES.objectNode()));
      case "standin_sleep" -> sleep(call, arguments.path("millis").asLong(0));
      case "standin_crash" -> crash(arguments);
      case "standin_stderr_flood" -> {
        flood(arguments.path("bytes").asLong(0));
        call.result(text("flooded stderr with " + arguments.path("bytes").asLong(0) + " bytes"));
      }
      case "standin_spawn_grandchild" -> {
        Process grandchild = new ProcessBuilder("sleep", "600")
            .redirectInput(new File("/dev/null"))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        ObjectNode pid = NODES.objectNode().put("pid", grandchild.pid());
        call.result(withText(pid, Long.toString(grandchild.pid())));
      }
      case "standin_big" -> big(call, arguments.path("bytes").asLong(0));
      case "standin_garbage" -> {
        call.out().sendRawLine(arguments.path("text").asText("this is not JSON"));
        call.result(text("wrote a raw line"));
      }
      case "standin_stop_reading" -> {
        // Runs on the reader thread (see Dispatcher), so sleeping here is what stops the reading.
        call.result(text("not reading stdin for " + arguments.path("millis").asLong(0) + " ms"));
        Thread.sleep(arguments.path("millis").asLong(0));
      }
      case "standin_notify" -> {
        int count = arguments.path("count").asInt(0);
        for (int i = 0; i < count; i++) {
          ObjectNode frame = NODES.objectNode().put("method", "notifications/message");
          frame.putObject("params").put("level", "info").put("logger", "standin")
              .put("data", "standin notification " + (i + 1) + " of " + count);
          frame.put("jsonrpc", "2.0");
          call.send(frame);
        }
        call.result(text("sent " + count + " notifications"));
      }
      case "standin_request_client" -> requestClient(call, arguments);
      case "standin_redescribe" -> {
        String name = arguments.path("tool").asText();
        if (!catalog.describe(name, arguments.path("description").asText())) {
          call.result(AwsReplies.toolError("no tool named " + name));
          return;
        }
        if (arguments.path("notify").asBoolean(false)) {
          call.send(NODES.objectNode().put("jsonrpc", "2.0").put("method", "notifications/tools/list_changed"));
        }
        call.result(text("changed the description of " + name));
      }
      case "standin_rpc_error" -> call.error(arguments.path("code").asInt(-32603),
          arguments.path("message").asText("stand-in failed this call on purpose"), null);
      default -> throw new IllegalArgumentException(tool + ": not a fault tool");
    }
  }

  private void sleep(Call call, long millis) throws InterruptedException {
    JsonNode token = call.params().path("_meta").get("progressToken");
    long start = System.nanoTime();
    long deadline = start + millis * 1_000_000L;
    while (!call.cancelled()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      Thread.sleep(Math.min(100, Math.max(1, left / 1_000_000L)));
      if (token != null && !call.cancelled()) {
        ObjectNode frame = NODES.objectNode().put("jsonrpc", "2.0").put("method", "notifications/progress");
        ObjectNode params = frame.putObject("params");
        params.set("progressToken", token);
        params.put("progress", Math.min(millis, (System.nanoTime() - start) / 1_000_000L));
        params.put("total", millis);
        call.send(frame);
      }
    }
    call.result(text("slept " + millis + " ms")); // silent when cancelled
  }

  private void crash(JsonNode arguments) {
    JsonNode lines = arguments.get("stderr_lines");
    if (lines != null && lines.isArray()) {
      lines.forEach(line -> err.println(line.asText()));
    } else {
      err.println("standin: crashing on purpose");
    }
    err.flush();
    lifecycle.exit(arguments.path("exit_code").asInt(1));
  }

  private void flood(long bytes) {
    char[] line = new char[99];
    Arrays.fill(line, 'e');
    String full = new String(line);
    for (long left = bytes; left > 0; left -= 100) {
      err.println(left >= 100 ? full : full.substring(0, (int) Math.max(0, left - 1)));
    }
    err.flush();
  }

  private static void big(Call call, long bytes) {
    if (call.cancelled()) {
      return;
    }
    String id = call.request().rawId();
    String prefix = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"";
    String suffix = "\"}],\"isError\":false" + (call.modern() ? ",\"resultType\":\"complete\"" : "") + "}}";
    call.out().sendStreamed(prefix, bytes, suffix);
  }

  private void requestClient(Call call, JsonNode arguments) {
    ObjectNode request = NODES.objectNode().put("jsonrpc", "2.0");
    request.put("method", arguments.path("method").asText());
    if (arguments.has("params")) {
      request.set("params", arguments.get("params"));
    }
    JsonNode answer = call.await(clientRequests.send(call, request));
    if (answer == null) {
      return;
    }
    ObjectNode value = NODES.objectNode();
    if (answer.has("error")) {
      value.set("error", answer.get("error"));
    } else {
      value.set("result", answer.get("result"));
    }
    call.result(AwsReplies.dictResult(value));
  }

  private static ObjectNode text(String text) {
    ObjectNode result = NODES.objectNode();
    result.putArray("content").addObject().put("type", "text").put("text", text);
    result.put("isError", false);
    return result;
  }

  private static ObjectNode withText(ObjectNode structured, String text) {
    ObjectNode result = text(text);
    result.set("structuredContent", structured);
    return result;
  }

}
