package io.github.mcppolicyproxy.approval;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.approval.ApprovalChannel.Answer;
import io.github.mcppolicyproxy.jsonrpc.EnvelopeScanner;
import io.github.mcppolicyproxy.jsonrpc.FrameWriter;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ElicitationApprovalsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ByteArrayOutputStream client = new ByteArrayOutputStream();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ElicitationApprovals approvals =
      new ElicitationApprovals(new FrameWriter(client), JSON, timer);
  private final EnvelopeScanner scanner = new EnvelopeScanner(1 << 20);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private JsonNode lastQuestion() throws Exception {
    String[] lines = client.toString(UTF_8).split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  private boolean answer(String id, String result) {
    byte[] frame = ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}")
        .getBytes(UTF_8);
    return approvals.offer(scanner.scan(frame), frame);
  }

  @Test
  void nobodyIsAskedUnlessTheClientDeclaredElicitation() throws Exception {
    assertThat(approvals.available()).isFalse();
    assertThat(approvals.ask("q", Duration.ofSeconds(5)).get()).isEqualTo(Answer.UNAVAILABLE);
    assertThat(client.size()).isZero();
    approvals.clientCapabilities(JSON.readTree("{\"sampling\":{}}"));
    assertThat(approvals.available()).isFalse();
    approvals.clientCapabilities(JSON.readTree("{\"elicitation\":{}}"));
    assertThat(approvals.available()).isTrue();
  }

  @Test
  void onlyAnAcceptWithApproveTrueApproves() throws Exception {
    approvals.clientCapabilities(JSON.readTree("{\"elicitation\":{}}"));
    String[] results = {
        "{\"action\":\"accept\",\"content\":{\"approve\":true}}",
        "{\"action\":\"accept\",\"content\":{\"approve\":false}}",
        "{\"action\":\"accept\",\"content\":{\"approve\":\"true\"}}",
        "{\"action\":\"accept\"}",
        "{\"action\":\"decline\"}",
        "{\"action\":\"cancel\"}"};
    Answer[] expected = {Answer.APPROVED, Answer.DECLINED, Answer.DECLINED, Answer.DECLINED,
        Answer.DECLINED, Answer.DECLINED};
    for (int i = 0; i < results.length; i++) {
      CompletableFuture<Answer> a = approvals.ask("q" + i, Duration.ofSeconds(30));
      JsonNode q = lastQuestion();
      assertThat(q.path("method").asText()).isEqualTo("elicitation/create");
      assertThat(q.path("params").path("message").asText()).isEqualTo("q" + i);
      assertThat(answer(q.path("id").toString(), results[i])).isTrue();
      assertThat(a.get()).as(results[i]).isEqualTo(expected[i]);
    }
  }

  @Test
  void anErrorAnswerDeclinesAndAnswersToOtherIdsAreNotTaken() throws Exception {
    approvals.clientCapabilities(JSON.readTree("{\"elicitation\":{}}"));
    CompletableFuture<Answer> a = approvals.ask("q", Duration.ofSeconds(30));
    String id = lastQuestion().path("id").toString();
    assertThat(answer("0", "{\"action\":\"accept\",\"content\":{\"approve\":true}}")).isFalse();
    assertThat(answer("\"mcp-policy-proxy/approval/other/1\"", "{}")).isFalse();
    assertThat(a).isNotDone();
    byte[] error = ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32601,"
        + "\"message\":\"no\"}}").getBytes(UTF_8);
    assertThat(approvals.offer(scanner.scan(error), error)).isTrue();
    assertThat(a.get()).isEqualTo(Answer.DECLINED);
    // a late repeat of the same answer is still ours: consumed, changes nothing
    assertThat(answer(id, "{\"action\":\"accept\",\"content\":{\"approve\":true}}")).isTrue();
  }

  @Test
  void noAnswerInTimeIsATimeout() throws Exception {
    approvals.clientCapabilities(JSON.readTree("{\"elicitation\":{}}"));
    assertThat(approvals.ask("q", Duration.ofMillis(50)).get()).isEqualTo(Answer.TIMED_OUT);
  }
}
