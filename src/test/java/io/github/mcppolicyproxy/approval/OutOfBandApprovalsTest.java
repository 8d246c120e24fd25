package io.github.mcppolicyproxy.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Held calls decided only by an answer bound to them; the test polls instead of waiting. */
class OutOfBandApprovalsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @TempDir
  Path tmp;

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private OutOfBandApprovals channel(ApprovalsDirectory d) {
    return new OutOfBandApprovals(d, JSON, Clock.fixed(Instant.parse("2026-08-01T00:00:00Z"),
        ZoneOffset.UTC), timer, Duration.ofHours(1), new SecureRandom(),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private Map.Entry<OutOfBandApprovals.Held, CompletableFuture<OutOfBandApprovals.Decision>> hold(
      OutOfBandApprovals c) throws Exception {
    return c.hold("s1", "deploy", List.of("s3:PutObject"), JSON.readTree("{\"env\":\"prod\"}"),
        "a".repeat(64), Duration.ofHours(1));
  }

  @Test
  void onlyAnAnswerCarryingTheHeldCallsDigestApprovesIt() throws Exception {
    ApprovalsDirectory d = ApprovalsDirectory.open(tmp.resolve("approvals"), JSON);
    OutOfBandApprovals c = channel(d);
    var good = hold(c);
    var forged = hold(c);
    String id = good.getKey().id();
    assertThat(id).matches("[0-9a-f]{32}").isNotEqualTo(forged.getKey().id());
    assertThat(good.getKey().digest()).isEqualTo(
        OutOfBandApprovals.digest(id, "s1", "deploy", "a".repeat(64)));

    c.poll();
    assertThat(good.getValue()).isNotDone();
    d.writeAnswer(id, JSON.createObjectNode().put("id", id).put("digest", good.getKey().digest())
        .put("decision", "approve"));
    d.writeAnswer(forged.getKey().id(), JSON.createObjectNode().put("id", forged.getKey().id())
        .put("digest", good.getKey().digest()).put("decision", "approve"));
    c.poll();

    assertThat(good.getValue().get().answer()).isEqualTo(ApprovalChannel.Answer.APPROVED);
    assertThat(forged.getValue().get().answer()).isEqualTo(ApprovalChannel.Answer.DECLINED);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("not bound to it");
    assertThat(d.heldIds()).isEmpty();
    try (var files = Files.list(d.path())) {
      assertThat(files).isEmpty();
    }
  }
}
