package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.jsonrpc.FrameReader;
import io.github.mcppolicyproxy.jsonrpc.FrameWriter;
import io.github.mcppolicyproxy.process.ChildProcess;
import io.github.mcppolicyproxy.process.UpstreamStartException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Starts an upstream, initializes it and lists its tools (all pages), then stops it. */
final class UpstreamProbe {
  private static final int MAX_FRAME = 64 * 1024 * 1024;

  private UpstreamProbe() {}

  /** The names of the tools {@code command} offers. */
  static List<String> toolNames(List<String> command, ObjectMapper mapper, PrintStream stderr,
      Duration timeout) throws IOException, UpstreamStartException, InterruptedException {
    return tools(command, mapper, stderr, timeout).stream().map(t -> t.path("name").asText())
        .toList();
  }

  /** The tools {@code command} offers, as its {@code tools/list} answers give them (all pages). */
  static List<JsonNode> tools(List<String> command, ObjectMapper mapper, PrintStream stderr,
      Duration timeout) throws IOException, UpstreamStartException, InterruptedException {
    ChildProcess child = ChildProcess.start(StandInCommand.expandSelf(command), Map.of(), stderr);
    try {
      FrameWriter to = new FrameWriter(child.stdin());
      BlockingQueue<JsonNode> from = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> {
        FrameReader r = new FrameReader(child.stdout(), MAX_FRAME);
        try {
          r.forEach(frame -> {
            try {
              from.add(mapper.readTree(frame));
            } catch (IOException e) {
              // not JSON: ignore, as the proxy would
            }
          });
        } catch (IOException e) {
          // the child is gone
        }
      }, "probe-reader");
      reader.setDaemon(true);
      reader.start();
      long deadline = System.nanoTime() + timeout.toNanos();
      call(to, from, mapper, 0, "initialize", "{\"protocolVersion\":\"2025-06-18\","
          + "\"capabilities\":{},\"clientInfo\":{\"name\":\"mcp-policy-proxy check\","
          + "\"version\":\"1\"}}", deadline);
      to.write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"
          .getBytes(StandardCharsets.UTF_8));
      List<JsonNode> tools = new ArrayList<>();
      String cursor = null;
      int id = 1;
      do {
        JsonNode r = call(to, from, mapper, id++, "tools/list",
            cursor == null ? "{}" : "{\"cursor\":" + mapper.writeValueAsString(cursor) + "}",
            deadline);
        r.path("result").path("tools").forEach(tools::add);
        JsonNode next = r.path("result").path("nextCursor");
        cursor = next.isTextual() && !next.asText().isEmpty() ? next.asText() : null;
      } while (cursor != null && id < 1000);
      return tools;
    } finally {
      child.stop(Duration.ofMillis(500));
    }
  }

  private static JsonNode call(FrameWriter to, BlockingQueue<JsonNode> from, ObjectMapper mapper,
      int id, String method, String params, long deadline)
      throws IOException, InterruptedException {
    to.write(("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":"
        + params + "}").getBytes(StandardCharsets.UTF_8));
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IOException("the upstream did not answer " + method + " in time");
      }
      JsonNode n = from.poll(left, TimeUnit.NANOSECONDS);
      if (n == null) {
        continue;
      }
      if (!n.has("method") && n.path("id").asInt(-1) == id) {
        if (n.has("error")) {
          throw new IOException("the upstream answered " + method + " with an error: "
              + mapper.writeValueAsString(n.get("error")));
        }
        return n;
      }
    }
  }
}
