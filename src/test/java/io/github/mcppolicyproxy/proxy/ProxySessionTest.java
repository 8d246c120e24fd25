package io.github.mcppolicyproxy.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.audit.JsonLinesViolationLog;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.policy.CommandInspector;
import io.github.mcppolicyproxy.policy.PolicyEngine;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import io.github.mcppolicyproxy.process.Upstream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The session's lifecycle around an upstream that is already gone when the client speaks. */
class ProxySessionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An upstream that exited with code 3 before reading anything: its pipes are closed. */
  private static final class DeadUpstream implements Upstream {
    @Override
    public OutputStream stdin() {
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          throw new IOException("Broken pipe");
        }
      };
    }

    final java.util.concurrent.atomic.AtomicBoolean outputClosed =
        new java.util.concurrent.atomic.AtomicBoolean();
    private final InputStream output = new ByteArrayInputStream(new byte[0]) {
      @Override
      public void close() {
        outputClosed.set(true);
      }
    };

    @Override
    public InputStream stdout() {
      return output;
    }

    @Override
    public OptionalInt awaitExit(Duration timeout) {
      return OptionalInt.of(3);
    }

    @Override
    public int stop(Duration grace) {
      return 3;
    }

    @Override
    public List<String> stderrTail() {
      return List.of("boom: no index");
    }
  }

  private final DeadUpstream upstream = new DeadUpstream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final PipedOutputStream clientWrites = new PipedOutputStream();
  private final PipedInputStream clientReads = new PipedInputStream(1 << 16);
  private final CompletableFuture<Integer> code = new CompletableFuture<>();
  /** Whether run() had already returned when the client was written to (the process exits then). */
  private final List<Boolean> writtenAfterTheEnd = new java.util.concurrent.CopyOnWriteArrayList<>();

  private void start() throws Exception {
    PrintStream err = new PrintStream(stderr, true, UTF_8);
    ProxyConfig config = new ProxyConfig("s", 1 << 20, 100, UpstreamQueue.DEFAULT_MAX_BYTES,
        RefusalStyle.RESULT, Duration.ofMillis(200), false, false, Clock.systemUTC(), err);
    PolicyEngine engine = new PolicyEngine(new PolicyLoader().parse("p.json",
        "{\"version\":\"1\",\"default\":\"allow\"}".getBytes(UTF_8)), CommandInspector.NONE);
    OutputStream toClient = new java.io.FilterOutputStream(new PipedOutputStream(clientReads)) {
      @Override
      public void flush() throws IOException {
        writtenAfterTheEnd.add(code.isDone());
        super.flush();
      }
    };
    ProxySession session = new ProxySession(new PipedInputStream(clientWrites, 1 << 16),
        toClient, upstream,
        new CallJudge(engine, Quota.inMemory(System::nanoTime, java.time.Clock.systemUTC())),
        JsonLinesViolationLog.toStderr(err, JSON, false), config, JSON);
    Thread t = new Thread(() -> {
      try {
        code.complete(session.run());
      } catch (Throwable e) {
        code.completeExceptionally(e);
      }
    }, "session-under-test");
    t.setDaemon(true);
    t.start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!stderr.toString(UTF_8).contains("upstream exited with code 3")) {
      assertThat(System.nanoTime()).as("the session saw the upstream's exit").isLessThan(end);
      Thread.sleep(10);
    }
  }

  @Test
  void aRequestThatArrivesAfterTheUpstreamDiedIsAnsweredWithTheExitsError() throws Exception {
    start();

    clientWrites.write(("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{}}\n")
        .getBytes(UTF_8));
    clientWrites.flush();

    JsonNode answer = JSON.readTree(new java.io.BufferedReader(new java.io.InputStreamReader(
        clientReads, UTF_8)).readLine());
    assertThat(answer.path("id").asInt()).isZero();
    assertThat(answer.path("error").path("code").asInt()).isEqualTo(-32002);
    assertThat(answer.path("error").path("message").asText()).contains("exited with code 3")
        .contains("boom: no index");
    assertThat(answer.path("error").path("data").path("exit_code").asInt()).isEqualTo(3);
    assertThat(code.get(10, TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(writtenAfterTheEnd).as("answered before the session ended").containsOnly(false);
  }

  @Test
  void aClientThatClosesWithoutAskingEndsTheSessionAtOnce() throws Exception {
    start();
    long closed = System.nanoTime();

    clientWrites.close();

    assertThat(code.get(10, TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(System.nanoTime() - closed).isLessThan(TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void theUpstreamsOutputIsClosedOnceReadToItsEnd() throws Exception {
    start(); // returns once the session saw the upstream's output end

    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!upstream.outputClosed.get()) {
      assertThat(System.nanoTime()).as("the upstream's output closed").isLessThan(end);
      Thread.sleep(5);
    }
    clientWrites.close();
    assertThat(code.get(10, TimeUnit.SECONDS)).isEqualTo(3);
  }
}
