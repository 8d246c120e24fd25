package io.github.mcppolicyproxy.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.integrity.Redactor;
import io.github.mcppolicyproxy.integrity.ToolIntegrity;
import io.github.mcppolicyproxy.integrity.ToolPins;
import io.github.mcppolicyproxy.jsonrpc.EnvelopeScanner;
import io.github.mcppolicyproxy.jsonrpc.FrameReader;
import io.github.mcppolicyproxy.jsonrpc.FrameWriter;
import io.github.mcppolicyproxy.jsonrpc.Replies;
import io.github.mcppolicyproxy.process.Upstream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One client connection served by one upstream: wires the two pumps and runs the lifecycle.
 *
 * <ul>
 *   <li>The client closes its side: the upstream's stdin is closed, it gets the grace period, then
 *       it and its descendants are terminated; the session ends with 0 (or the upstream's own
 *       non-zero exit code, if it chose one).
 *   <li>The upstream dies: every request still waiting is answered with an error naming the exit
 *       code and the last stderr lines, then the session ends with the upstream's exit code.
 * </ul>
 */
public final class ProxySession {
  private static final Duration DRAIN_AFTER_STOP = Duration.ofSeconds(1);
  /** After the upstream died: how long to wait for a client that has sent no request yet. */
  static final Duration WAIT_FOR_FIRST = Duration.ofSeconds(10);
  /** After the upstream died: how long more requests are answered once the client has spoken. */
  static final Duration AFTER_ANSWER = Duration.ofMillis(250);

  private final InputStream clientIn;
  private final FrameWriter toClient;
  private final Upstream upstream;
  private final CallJudge judge;
  private final ViolationLog log;
  private final ProxyConfig config;
  private final ObjectMapper mapper;
  private final InFlight inFlight;
  private final Replies replies;
  private final ToolIntegrity integrity;

  /** A session whose tool integrity follows the policy: redaction on, pins kept in memory. */
  public ProxySession(InputStream clientIn, OutputStream clientOut, Upstream upstream,
      CallJudge judge, ViolationLog log, ProxyConfig config, ObjectMapper mapper) {
    this(clientIn, clientOut, upstream, judge, log, config, mapper, new ToolIntegrity(
        new Redactor(), () -> judge.engine().policy().redactSecrets(), new ToolPins(Map.of()),
        () -> judge.engine().policy().pinTools(), log, config.clock(), config.sessionId(),
        config.stderr(), mapper));
  }

  /** @param integrity redaction of results and pinned tool definitions for this session */
  public ProxySession(InputStream clientIn, OutputStream clientOut, Upstream upstream,
      CallJudge judge, ViolationLog log, ProxyConfig config, ObjectMapper mapper,
      ToolIntegrity integrity) {
    this.integrity = Objects.requireNonNull(integrity, "integrity");
    this.clientIn = Objects.requireNonNull(clientIn, "clientIn");
    this.toClient = new FrameWriter(Objects.requireNonNull(clientOut, "clientOut"));
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    this.judge = Objects.requireNonNull(judge, "judge");
    this.log = Objects.requireNonNull(log, "log");
    this.config = Objects.requireNonNull(config, "config");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.inFlight = new InFlight(config.maxPending());
    this.replies = new Replies(mapper);
  }

  /** Runs until the client or the upstream ends the session; returns the exit code. */
  public int run() throws InterruptedException {
    EnvelopeScanner scanner = new EnvelopeScanner(config.maxFrameBytes());
    Answers answers = new Answers(mapper, config.refusalStyle());
    UpstreamQueue toServer = new UpstreamQueue(new FrameWriter(upstream.stdin()),
        config.maxQueuedBytes(), UpstreamQueue.DEFAULT_MAX_FRAMES, config.stderr());
    java.util.concurrent.ScheduledExecutorService approvalTimer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "approval-timeouts");
          t.setDaemon(true);
          return t;
        });
    io.github.mcppolicyproxy.approval.ApprovalChannel approvals =
        new io.github.mcppolicyproxy.approval.ElicitationApprovals(toClient, mapper, approvalTimer);
    integrity.upstream(toServer::offer);
    ClientToServer c2s = new ClientToServer(new FrameReader(clientIn, config.maxFrameBytes()),
        toServer, toClient, scanner, judge, log, inFlight, answers, config, approvals, integrity);
    ServerToClient s2c = new ServerToClient(new FrameReader(upstream.stdout(),
        config.maxFrameBytes()), toClient, scanner, inFlight,
        new ToolsListFilter(name -> judge.engine().alwaysRefused(name) || (integrity.changed(name)
            && judge.engine().policy().mode() == io.github.mcppolicyproxy.policy.Policy.Mode.ENFORCE)),
        answers.replies(), config.maxFrameBytes(), config.stderr(), integrity);

    CompletableFuture<String> clientDone = start(c2s, "client-to-server", "client");
    CompletableFuture<String> serverDone = start(s2c, "server-to-client", "upstream");
    String first = (String) CompletableFuture.anyOf(clientDone, serverDone).join();
    try {
      if (first.equals("client") && !serverDone.isDone()) {
        // what the client sent before it closed still reaches the upstream, if it reads in time
        toServer.drain(config.shutdownGrace());
        toServer.close();
        int code = upstream.stop(config.shutdownGrace());
        await(serverDone, DRAIN_AFTER_STOP);
        // What it never answered (it died, say) is still answered, but never at the price of
        // hanging on a client that no longer reads: the write gets a bounded time.
        await(CompletableFuture.runAsync(() -> answerPending(code), r -> {
          Thread t = new Thread(r, "answer-pending");
          t.setDaemon(true);
          t.start();
        }).thenApply(x -> "answered"), DRAIN_AFTER_STOP);
        return code == 0 || code == 143 || code == 137 ? 0 : code;
      }
      OptionalInt exited = upstream.awaitExit(config.shutdownGrace());
      int code = exited.isPresent() ? exited.getAsInt() : upstream.stop(Duration.ZERO);
      upstream.stop(Duration.ZERO); // its descendants go too
      answerPending(code);
      config.stderr().println("mcp-policy-proxy: upstream exited with code " + code);
      lingerForRequests(clientDone);
      return code;
    } finally {
      // never closes the upstream's stdin here: a write stuck on a full pipe would hold its lock;
      // Upstream.stop closes it without waiting
      toServer.close();
      log.close();
    }
  }

  /** Requests forwarded and not yet answered (for tests and diagnostics). */
  public int pending() {
    return inFlight.size();
  }

  /**
   * The upstream is gone, but the client may have a request on its way (an initialize sent as the
   * upstream died at start): the client pump stays up to answer it with the exit's error, until the
   * client closes, {@link #AFTER_ANSWER} after such an answer, or {@link #WAIT_FOR_FIRST} when the
   * client has not sent a request at all ({@link #AFTER_ANSWER} once it has).
   */
  private void lingerForRequests(CompletableFuture<String> clientDone) throws InterruptedException {
    long now = System.nanoTime();
    long end = now + (inFlight.everAdded() ? AFTER_ANSWER : WAIT_FOR_FIRST).toNanos();
    int refused = inFlight.refusedAfterClose();
    while (!clientDone.isDone() && now < end) {
      await(clientDone, Duration.ofNanos(Math.min(end - now, 50_000_000L)));
      now = System.nanoTime();
      if (inFlight.refusedAfterClose() != refused) {
        refused = inFlight.refusedAfterClose();
        end = Math.min(end, now + AFTER_ANSWER.toNanos());
      }
    }
  }

  private void answerPending(int code) {
    List<String> tail = upstream.stderrTail();
    ObjectNode data = mapper.createObjectNode();
    data.put("exit_code", code);
    ArrayNode lines = data.putArray("stderr_tail");
    tail.forEach(lines::add);
    String message = "The upstream MCP server exited with code " + code + " before answering"
        + (tail.isEmpty() ? "" : "; its last stderr lines: " + String.join(" | ", tail));
    // closing and draining is one step: a request the client pump records later is refused there
    for (InFlight.Pending p : inFlight.close(message, data)) {
      try {
        toClient.write(replies.error(p.id(), Replies.UPSTREAM_UNAVAILABLE, message, data));
      } catch (IOException e) {
        return; // the client is gone as well
      }
    }
  }

  /** Runs a pump on a daemon thread; a defect in it ends that direction and is reported. */
  private CompletableFuture<String> start(Runnable pump, String name, String label) {
    CompletableFuture<String> done = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        pump.run();
      } catch (RuntimeException | Error e) {
        config.stderr().println("mcp-policy-proxy: " + name + " failed: " + e);
        e.printStackTrace(config.stderr());
      } finally {
        done.complete(label);
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return done;
  }

  private static void await(CompletableFuture<String> f, Duration d) throws InterruptedException {
    try {
      f.get(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // a descendant may hold the pipe open; the session ends regardless
    }
  }
}
