package io.github.mcppolicyproxy.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.jsonrpc.Envelope;
import io.github.mcppolicyproxy.jsonrpc.FrameWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks the person at the MCP client, with an {@code elicitation/create} request that the proxy
 * sends the client itself (protocol revisions 2025-06-18 and later, when the client declared the
 * {@code elicitation} capability in {@code initialize}). The form has one required boolean,
 * {@code approve}; only {@code action: "accept"} with {@code approve: true} approves.
 *
 * <p>The proxy's requests carry string ids under a random prefix that no upstream shares, and the
 * client's answers to them are consumed here, never forwarded. Thread-safe.
 */
public final class ElicitationApprovals implements ApprovalChannel {
  private final FrameWriter toClient;
  private final ObjectMapper mapper;
  private final ScheduledExecutorService timer;
  private final String idPrefix = "mcp-policy-proxy/approval/" + UUID.randomUUID() + "/";
  private final AtomicLong nextId = new AtomicLong();
  private final Map<String, CompletableFuture<Answer>> waiting = new ConcurrentHashMap<>();
  private volatile boolean clientCanElicit;

  public ElicitationApprovals(FrameWriter toClient, ObjectMapper mapper,
      ScheduledExecutorService timer) {
    this.toClient = Objects.requireNonNull(toClient, "toClient");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.timer = Objects.requireNonNull(timer, "timer");
  }

  /** Notes what the client declared in {@code initialize} ({@code params.capabilities}). */
  @Override
  public void clientCapabilities(JsonNode capabilities) {
    clientCanElicit = capabilities != null && capabilities.has("elicitation");
  }

  @Override
  public boolean available() {
    return clientCanElicit;
  }

  @Override
  public CompletableFuture<Answer> ask(String question, Duration timeout) {
    if (!clientCanElicit) {
      return CompletableFuture.completedFuture(Answer.UNAVAILABLE);
    }
    String id = idPrefix + nextId.incrementAndGet();
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    waiting.put(id, answer);
    ObjectNode frame = mapper.createObjectNode();
    frame.put("jsonrpc", "2.0");
    frame.put("id", id);
    frame.put("method", "elicitation/create");
    ObjectNode params = frame.putObject("params");
    params.put("message", question);
    params.set("requestedSchema", ApprovalForm.schema(mapper));
    try {
      toClient.write(mapper.writeValueAsBytes(frame));
    } catch (IOException e) {
      waiting.remove(id);
      return CompletableFuture.completedFuture(Answer.UNAVAILABLE);
    }
    timer.schedule(() -> {
      CompletableFuture<Answer> late = waiting.remove(id);
      if (late != null) {
        late.complete(Answer.TIMED_OUT);
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    return answer;
  }

  /**
   * Takes the client's answer to one of this channel's questions. Returns true when {@code frame}
   * (whose envelope is {@code e}) was such an answer: it must not be forwarded.
   */
  @Override
  public boolean offer(Envelope e, byte[] frame) {
    if (e.kind() != Envelope.Kind.RESPONSE || e.id() == null || !e.id().key().startsWith("s:")) {
      return false;
    }
    String id = e.id().key().substring(2);
    if (!id.startsWith(idPrefix)) {
      return false;
    }
    CompletableFuture<Answer> answer = waiting.remove(id);
    if (answer == null) {
      return true; // a late or repeated answer to our own question: ours, and already settled
    }
    Answer a = Answer.DECLINED;
    try {
      if (ApprovalForm.approves(mapper.readTree(frame).path("result"))) {
        a = Answer.APPROVED;
      }
    } catch (IOException | RuntimeException ex) {
      a = Answer.DECLINED; // an answer we cannot read approves nothing
    }
    answer.complete(a);
    return true;
  }
}
