package io.github.mcppolicyproxy.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-to-client requests ({@code elicitation/create}, ...): numbered from 0 like the Python
 * SDK does (so they overlap the client's own ids), answered by the client's response with that id.
 */
final class ClientRequests {

  private final AtomicLong nextId = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  /**
   * Gives {@code frame} the next server-side id (in place, keeping the field order), sends it
   * through {@code call}, and returns the future of the client's whole response frame.
   */
  CompletableFuture<JsonNode> send(Call call, ObjectNode frame) {
    long id = nextId.getAndIncrement();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    frame.put("id", id);
    call.send(frame);
    return answer;
  }

  /** Routes a client response to the request it answers; false if no such request is pending. */
  boolean complete(Incoming response) {
    JsonNode id = response.id();
    if (!id.isIntegralNumber() || !id.canConvertToLong()) {
      return false;
    }
    CompletableFuture<JsonNode> answer = pending.remove(id.asLong());
    if (answer == null) {
      return false;
    }
    return answer.complete(Objects.requireNonNull(response.tree()));
  }

  /** Fails every pending request, for shutdown. */
  void abandonAll() {
    pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("stdin closed")));
    pending.clear();
  }
}
