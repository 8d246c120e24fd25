package io.github.mcppolicyproxy.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds calls for a person who approves or denies them from another terminal of the same user
 * ({@code mcp-policy-proxy approvals | approve ID | deny ID}), through an {@link ApprovalsDirectory}.
 * Each held call gets a random 128-bit ID and a digest binding the ID, the session, the tool and the
 * SHA-256 of its arguments; only an answer file carrying both, written by this user into the
 * private directory, decides it. The directory is polled; waiting holds no thread. Thread-safe.
 */
public final class OutOfBandApprovals {
  /** A held call, as announced and as written to its request file. */
  public record Held(String id, String digest, String session, String tool,
      List<String> operations, String argumentsView, Instant created, Instant expires) {}

  /** The decision on a held call; {@code reason} is the person's, for a denial, if they gave one. */
  public record Decision(ApprovalChannel.Answer answer, String reason) {}

  private static final int ARGS_VIEW_CHARS = 120;

  private final ApprovalsDirectory dir;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final SecureRandom random;
  private final PrintStream stderr;
  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

  private record Waiting(Held held, CompletableFuture<Decision> decision) {}

  /**
   * @param pollEvery how often the directory is looked at for answers
   */
  public OutOfBandApprovals(ApprovalsDirectory dir, ObjectMapper mapper, Clock clock,
      ScheduledExecutorService timer, Duration pollEvery, SecureRandom random, PrintStream stderr) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timer = Objects.requireNonNull(timer, "timer");
    this.random = Objects.requireNonNull(random, "random");
    this.stderr = Objects.requireNonNull(stderr, "stderr");
    long every = Math.max(1, pollEvery.toMillis());
    timer.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
  }

  /** The directory this channel uses. */
  public ApprovalsDirectory directory() {
    return dir;
  }

  /**
   * Holds a call: writes its request file and returns it with the future decision, which completes
   * when a person answers or {@code timeout} passes ({@code TIMED_OUT}).
   */
  public Map.Entry<Held, CompletableFuture<Decision>> hold(String session, String tool,
      List<String> operations, JsonNode arguments, String argumentsSha256, Duration timeout)
      throws IOException {
    byte[] raw = new byte[16];
    random.nextBytes(raw);
    String id = HexFormat.of().formatHex(raw);
    Instant now = clock.instant();
    String view = arguments == null ? "{}" : mapper.writeValueAsString(arguments);
    if (view.length() > ARGS_VIEW_CHARS) {
      view = view.substring(0, ARGS_VIEW_CHARS - 3) + "...";
    }
    Held held = new Held(id, digest(id, session, tool, argumentsSha256), session, tool,
        List.copyOf(operations), view, now, now.plus(timeout));
    ObjectNode request = mapper.createObjectNode();
    request.put("id", id);
    request.put("digest", held.digest());
    request.put("session", session);
    request.put("tool", tool);
    operations.forEach(request.putArray("operations")::add);
    request.put("arguments_view", view);
    request.put("arguments_sha256", argumentsSha256);
    request.put("created", now.toString());
    request.put("expires", held.expires().toString());
    request.put("pid", ProcessHandle.current().pid());
    CompletableFuture<Decision> decision = new CompletableFuture<>();
    waiting.put(id, new Waiting(held, decision));
    try {
      dir.writeRequest(id, request);
    } catch (IOException e) {
      waiting.remove(id);
      throw e;
    }
    timer.schedule(() -> settle(id, new Decision(ApprovalChannel.Answer.TIMED_OUT, null)),
        timeout.toMillis(), TimeUnit.MILLISECONDS);
    return Map.entry(held, decision);
  }

  /** The digest that binds an answer to one held call. */
  public static String digest(String id, String session, String tool, String argumentsSha256) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String part : List.of(id, session, tool, argumentsSha256)) {
        md.update(part.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Looks for answers to every waiting call once. Package-private for tests. */
  void poll() {
    for (Waiting w : List.copyOf(waiting.values())) {
      String id = w.held().id();
      try {
        JsonNode answer = dir.readAnswer(id).orElse(null);
        if (answer == null) {
          continue;
        }
        if (!id.equals(answer.path("id").asText()) || !w.held().digest()
            .equals(answer.path("digest").asText())) {
          stderr.println("mcp-policy-proxy: the answer to held call " + id + " is not bound to it"
              + " (wrong ID or digest); the call is refused");
          settle(id, new Decision(ApprovalChannel.Answer.DECLINED, "the answer was not bound to"
              + " this call"));
          continue;
        }
        String d = answer.path("decision").asText();
        String reason = answer.path("reason").isTextual() ? answer.path("reason").asText() : null;
        settle(id, new Decision("approve".equals(d) ? ApprovalChannel.Answer.APPROVED
            : ApprovalChannel.Answer.DECLINED, reason));
      } catch (IOException | RuntimeException e) {
        stderr.println("mcp-policy-proxy: refused the answer to held call " + id + ": "
            + e.getMessage());
        settle(id, new Decision(ApprovalChannel.Answer.DECLINED, "the answer file was refused: "
            + e.getMessage()));
      }
    }
  }

  private void settle(String id, Decision decision) {
    Waiting w = waiting.remove(id);
    if (w != null) {
      dir.remove(id);
      w.decision().complete(decision);
    }
  }
}
