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
  private final java.util.function.Supplier<CallJudge> judges;
  private final java.util.concurrent.CountDownLatch warmUpNow =
      new java.util.concurrent.CountDownLatch(1);
  private final SessionStats stats;
  private final boolean livePolicy;
  private final java.util.Set<String> listed = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final ViolationLog log;
  private final ProxyConfig config;
  private final ObjectMapper mapper;
  private final InFlight inFlight;
  private final Replies replies;
  private final ToolIntegrity integrity;
  private final java.util.function.UnaryOperator<io.github.mcppolicyproxy.approval.ApprovalChannel>
      approvalRoute;

  /** A session whose tool integrity follows the policy: redaction on, pins kept in memory. */
  public ProxySession(InputStream clientIn, OutputStream clientOut, Upstream upstream,
      CallJudge judge, ViolationLog log, ProxyConfig config, ObjectMapper mapper) {
    this(clientIn, clientOut, upstream, judge, log, config, mapper, java.util.function.UnaryOperator.identity());
  }

  /**
   * @param approvalRoute wraps the client's elicitation channel, e.g. with an out-of-band channel
   *     ({@link io.github.mcppolicyproxy.approval.RoutedApprovals})
   */
  public ProxySession(InputStream clientIn, OutputStream clientOut, Upstream upstream,
      CallJudge judge, ViolationLog log, ProxyConfig config, ObjectMapper mapper,
      java.util.function.UnaryOperator<io.github.mcppolicyproxy.approval.ApprovalChannel>
          approvalRoute) {
    this(clientIn, clientOut, upstream, () -> judge, false, log, config, mapper,
        new SessionStats(config.clock().instant()), approvalRoute);
  }

  /** @param integrity redaction of results and pinned tool definitions for this session */
  public ProxySession(InputStream clientIn, OutputStream clientOut, Upstream upstream,
      CallJudge judge, ViolationLog log, ProxyConfig config, ObjectMapper mapper,
      ToolIntegrity integrity) {
    this(clientIn, clientOut, upstream, () -> judge, false, log, config, mapper,
        new SessionStats(config.clock().instant()), java.util.function.UnaryOperator.identity(),
        integrity);
  }

  /**
   * A session whose policy may change while it runs.
   *
   * @param judges the policy version in force, read once per decision
   * @param livePolicy true when {@code judges} can change: the {@code initialize} answer then
   *     declares {@code tools.listChanged} (see {@link ListChangedCapability}) and
   *     {@link #policyChanged} may tell the client its tool list changed
   * @param stats what the session did; summarized on stderr and in the log when it ends
   * @param approvalRoute wraps the client's elicitation channel
   */
  public ProxySession(InputStream clientIn, OutputStream clientOut, Upstream upstream,
      java.util.function.Supplier<CallJudge> judges, boolean livePolicy, ViolationLog log,
      ProxyConfig config, ObjectMapper mapper, SessionStats stats,
      java.util.function.UnaryOperator<io.github.mcppolicyproxy.approval.ApprovalChannel>
          approvalRoute) {
    this(clientIn, clientOut, upstream, judges, livePolicy, log, config, mapper, stats,
        approvalRoute, inMemoryIntegrity(judges, log, config, mapper));
  }

  /**
   * A session whose policy may change while it runs, with its own tool integrity.
   *
   * @param integrity redaction of results and pinned tool definitions for this session
   */
  public ProxySession(InputStream clientIn, OutputStream clientOut, Upstream upstream,
      java.util.function.Supplier<CallJudge> judges, boolean livePolicy, ViolationLog log,
      ProxyConfig config, ObjectMapper mapper, SessionStats stats,
      java.util.function.UnaryOperator<io.github.mcppolicyproxy.approval.ApprovalChannel>
          approvalRoute, ToolIntegrity integrity) {
    this.approvalRoute = Objects.requireNonNull(approvalRoute, "approvalRoute");
    this.integrity = Objects.requireNonNull(integrity, "integrity");
    this.clientIn = Objects.requireNonNull(clientIn, "clientIn");
    this.toClient = new FrameWriter(Objects.requireNonNull(clientOut, "clientOut"));
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    this.judges = Objects.requireNonNull(judges, "judges");
    this.livePolicy = livePolicy;
    this.stats = Objects.requireNonNull(stats, "stats");
    this.log = Objects.requireNonNull(log, "log");
    this.config = Objects.requireNonNull(config, "config");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    InFlight.Refunds refunds = r -> judges.get().quota().refund(r);
    this.inFlight = new InFlight(config.maxPending(), refunds, config.refundOnUpstreamFailure(),
        new TaskTracker(refunds, config.refundOnUpstreamFailure(), config.clock(),
            config.sessionId(), log::appendEvent, config.stderr(), TaskTracker.DEFAULT_MAX,
            TaskTracker.DEFAULT_MAX_AGE));
    this.replies = new Replies(mapper);
  }

  /** Runs until the client or the upstream ends the session; returns the exit code. */
  public int run() throws InterruptedException {
    Answers answers = new Answers(mapper, config.refusalStyle());
    SessionWarmUp.start(warmUpNow, judges, answers, log, config.stderr());
    EnvelopeScanner scanner = new EnvelopeScanner(config.maxFrameBytes());
    UpstreamQueue toServer = new UpstreamQueue(new FrameWriter(upstream.stdin()),
        config.maxQueuedBytes(), UpstreamQueue.DEFAULT_MAX_FRAMES, config.stderr());
    java.util.concurrent.ScheduledExecutorService approvalTimer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "approval-timeouts");
          t.setDaemon(true);
          return t;
        });
    io.github.mcppolicyproxy.approval.ApprovalChannel approvals = approvalRoute.apply(
        new io.github.mcppolicyproxy.approval.ElicitationApprovals(toClient, mapper, approvalTimer));
    integrity.upstream(toServer::offer);
    integrity.onRepinned(this::pinsChanged);
    inFlight.tasks().upstream(toServer::offer);
    ClientToServer c2s = new ClientToServer(new FrameReader(clientIn, config.maxFrameBytes()),
        toServer, toClient, scanner, judges, log, inFlight, answers, config, approvals, stats,
        integrity);
    ListChangedCapability declare = new ListChangedCapability();
    ServerToClient s2c = new ServerToClient(new FrameReader(upstream.stdout(),
        config.maxFrameBytes()), toClient, scanner, inFlight,
        new ToolsListFilter(this::hiddenNow, livePolicy), answers.replies(), config.maxFrameBytes(),
        config.stderr(), frame -> {
          warmUpNow.countDown(); // the first answer is on its way: start-up is over
          return livePolicy ? declare.declare(frame) : frame;
        },
        integrity);

    CompletableFuture<String> clientDone = start(c2s, "client-to-server", "client");
    CompletableFuture<String> serverDone = start(s2c, "server-to-client", "upstream");
    // read to its end (or failed): the upstream's output is closed, as nothing reads it again (the
    // proxy's own pipe, process.StdoutPipe, is not closed by the JDK when the child exits)
    serverDone.whenComplete((label, failure) -> {
      try {
        upstream.stdout().close();
      } catch (IOException | RuntimeException e) {
        // already closed, or it cannot be: the process ends with the session anyway
      }
    });
    String first = (String) CompletableFuture.anyOf(clientDone, serverDone).join();
    try {
      if (first.equals("client") && !serverDone.isDone()) {
        // what the client sent before it closed still reaches the upstream, if it reads in time
        toServer.drain(config.shutdownGrace());
        toServer.close();
        int code = upstream.stop(config.shutdownGrace());
        await(serverDone, DRAIN_AFTER_STOP);
        boolean normalEnd = code == 0 || code == 143 || code == 137;
        if (!normalEnd) {
          // What it never answered because it failed (it died at start, say) is still answered,
          // but never at the price of hanging on a client that no longer reads: the write gets a
          // bounded time. After a normal end nothing is added: a request the client cancelled, or
          // left unanswered when it closed, gets no answer directly either (transparency).
          await(CompletableFuture.runAsync(() -> answerPending(code), r -> {
            Thread t = new Thread(r, "answer-pending");
            t.setDaemon(true);
            t.start();
          }).thenApply(x -> "answered"), DRAIN_AFTER_STOP);
        }
        return normalEnd ? 0 : code;
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
      inFlight.tasks().sessionEnded();
      summarize();
      log.close();
    }
  }

  /** True for a tool the policy in force hides from {@code tools/list}; remembers every name seen. */
  private boolean hiddenNow(String tool) {
    listed.add(tool);
    io.github.mcppolicyproxy.policy.PolicyEngine engine = judges.get().engine();
    return engine.alwaysRefused(tool) || (integrity.changed(tool)
        && engine.policy().mode() == io.github.mcppolicyproxy.policy.Policy.Mode.ENFORCE);
  }

  /** Tool integrity that follows the policy in force: redaction on, pins kept in memory. */
  private static ToolIntegrity inMemoryIntegrity(java.util.function.Supplier<CallJudge> judges,
      ViolationLog log, ProxyConfig config, ObjectMapper mapper) {
    return new ToolIntegrity(new Redactor(), () -> judges.get().engine().policy().redactSecrets(),
        new ToolPins(Map.of()), () -> judges.get().engine().policy().pinTools(), log,
        config.clock(), config.sessionId(), config.stderr(), mapper);
  }

  /**
   * A new policy version came into force: when a tool the upstream listed is shown under one
   * version and hidden under the other, tells the client {@code notifications/tools/list_changed}
   * (through the one client writer), so that it lists again and gets a list filtered by the new
   * version. Nothing is sent before the client has listed tools.
   */
  public void policyChanged(CallJudge old, CallJudge now) {
    boolean changed = listed.stream().anyMatch(t ->
        old.engine().alwaysRefused(t) != now.engine().alwaysRefused(t));
    if (changed) {
      tellListChanged("the tools the client may see changed");
    }
  }

  /**
   * A pin file accepted anew changed whether {@code tools} may be shown: when the client listed one
   * of them and was told it may hear {@code tools.listChanged}, tells it so it lists again.
   */
  private void pinsChanged(java.util.Set<String> tools) {
    if (livePolicy && tools.stream().anyMatch(listed::contains)) {
      tellListChanged("the pins changed which tools the client may see");
    }
  }

  private void tellListChanged(String why) {
    try {
      toClient.write(TOOLS_LIST_CHANGED);
      config.stderr().println("mcp-policy-proxy: " + why + "; sent notifications/tools/list_changed");
    } catch (IOException e) {
      // the client is gone: the session is ending anyway
    }
  }

  private static final byte[] TOOLS_LIST_CHANGED =
      "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** One line on stderr and one {@code session_summary} record in the log. */
  private void summarize() {
    java.time.Instant now = config.clock().instant();
    config.stderr().println("mcp-policy-proxy: session " + config.sessionId() + " ended: "
        + stats.line(now));
    io.github.mcppolicyproxy.policy.Policy policy = judges.get().engine().policy();
    log.appendEvent(new io.github.mcppolicyproxy.audit.LogEvent(now, config.sessionId(),
        "session_summary", stats.summary(now), policy.source(), policy.sha256()));
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
    List<InFlight.Pending> waiting = inFlight.close(message, data);
    waiting.forEach(inFlight::upstreamFailed); // it died before answering: their quota goes back
    inFlight.tasks().upstreamGone(); // and its tasks died with it
    for (InFlight.Pending p : waiting) {
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
