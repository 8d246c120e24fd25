package io.github.mcppolicyproxy.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One client request being answered: sends its result or error with the request's id echoed as
 * raw JSON, adds {@code resultType} for 2026-07-28 requests, and stays silent once cancelled.
 */
final class Call {

  static final String MODERN_REVISION = "2026-07-28";

  private final Incoming request;
  private final FrameWriter out;
  private volatile boolean cancelled;

  Call(Incoming request, FrameWriter out) {
    this.request = Objects.requireNonNull(request, "request");
    this.out = Objects.requireNonNull(out, "out");
  }

  Incoming request() {
    return request;
  }

  JsonNode params() {
    return request.params();
  }

  boolean modern() {
    return MODERN_REVISION.equals(request.metaProtocolVersion());
  }

  boolean cancelled() {
    return cancelled;
  }

  void cancel() {
    cancelled = true;
  }

  /** Sends the final result unless the call was cancelled. */
  void result(ObjectNode result) {
    if (cancelled) {
      return;
    }
    if (modern()) {
      result.put("resultType", "complete");
    }
    ObjectNode frame = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0");
    frame.putRawValue("id", new RawValue(request.rawId()));
    frame.set("result", result);
    out.send(frame);
  }

  /** Sends a JSON-RPC error; {@code data} may be {@code null}. */
  void error(int code, String message, JsonNode data) {
    if (cancelled) {
      return;
    }
    ObjectNode error = JsonNodeFactory.instance.objectNode().put("code", code).put("message", message);
    if (data != null) {
      error.set("data", data);
    }
    ObjectNode frame = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0");
    frame.putRawValue("id", new RawValue(request.rawId()));
    frame.set("error", error);
    out.send(frame);
  }

  /** Sends a recorded final response with this request's id in place of the recorded one. */
  void recordedResponse(ObjectNode recorded) {
    if (cancelled) {
      return;
    }
    ObjectNode frame = recorded.deepCopy();
    frame.putRawValue("id", new RawValue(request.rawId()));
    if (modern() && frame.get("result") instanceof ObjectNode result) {
      result.put("resultType", "complete");
    }
    out.send(frame);
  }

  /** Sends a frame that is not this call's answer (a notification, a raw server request). */
  void send(ObjectNode frame) {
    if (!cancelled) {
      out.send(frame);
    }
  }

  FrameWriter out() {
    return out;
  }

  /**
   * Waits for a server-to-client request's answer; returns {@code null} if the call is cancelled
   * or the wait is interrupted (the stand-in is shutting down) first.
   */
  JsonNode await(CompletableFuture<JsonNode> answer) {
    while (!cancelled) {
      try {
        return answer.get(50, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // poll the cancellation flag again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } catch (ExecutionException e) {
        return null;
      }
    }
    return null;
  }
}
