package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.jsonrpc.Envelope;
import io.github.mcppolicyproxy.jsonrpc.EnvelopeScanner;
import io.github.mcppolicyproxy.jsonrpc.FrameReader;
import io.github.mcppolicyproxy.jsonrpc.FrameWriter;
import io.github.mcppolicyproxy.jsonrpc.Replies;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells the client why the proxy cannot serve it (a policy that does not load, a violation log
 * that cannot be opened, an upstream that cannot start) instead of leaving it a closed pipe: every
 * request read within a bounded time (an {@code initialize}, a 2026-07-28 {@code server/discover},
 * anything) is answered with a JSON-RPC error naming the problem; the caller then exits.
 */
final class StartFailure {
  /** JSON-RPC error code: the proxy's own configuration (policy, violation log) is unusable. */
  static final int PROXY_MISCONFIGURED = -32010;
  /** How long to wait for the client's first request. */
  static final Duration WAIT_FOR_FIRST = Duration.ofSeconds(10);
  /** After the first answer, how long further requests of the same burst are still answered. */
  static final Duration AFTER_FIRST = Duration.ofMillis(250);

  private final InputStream stdin;
  private final OutputStream stdout;
  private final PrintStream stderr;
  private final ObjectMapper mapper;
  private final int maxFrameBytes;

  StartFailure(InputStream stdin, OutputStream stdout, PrintStream stderr, ObjectMapper mapper,
      int maxFrameBytes) {
    this.stdin = Objects.requireNonNull(stdin, "stdin");
    this.stdout = Objects.requireNonNull(stdout, "stdout");
    this.stderr = Objects.requireNonNull(stderr, "stderr");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * Answers the client's requests with {@code code} and {@code message} (and {@code data}, if not
   * null) until the first was answered (and {@link #AFTER_FIRST} passed), the client closed its
   * side, or {@code wait} passed.
   */
  void answer(int code, String message, JsonNode data, Duration wait) {
    if (Terminal.interactive()) {
      return; // a person started it by hand: stderr said why, and no client will ask
    }
    Replies replies = new Replies(mapper);
    FrameWriter out = new FrameWriter(stdout);
    EnvelopeScanner scanner = new EnvelopeScanner(maxFrameBytes);
    CountDownLatch answered = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      FrameReader in = new FrameReader(stdin, maxFrameBytes);
      try {
        in.forEach(frame -> {
          byte[] reply = reply(frame, scanner, replies, code, message, data);
          if (reply != null) {
            out.write(reply);
            answered.countDown();
          }
        });
      } catch (IOException e) {
        // the client went away: nobody is left to tell
      }
    }, "start-failure");
    t.setDaemon(true);
    t.start();
    stderr.println("mcp-policy-proxy: answering the client's requests with this error for up to "
        + wait.toSeconds() + " s");
    try {
      long end = System.nanoTime() + wait.toNanos();
      while (t.isAlive() && answered.getCount() > 0 && System.nanoTime() < end) {
        answered.await(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)),
            TimeUnit.MILLISECONDS);
      }
      if (answered.getCount() == 0) {
        t.join(AFTER_FIRST.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The error answer to a frame's requests (a batch gets a batch), or null when it has none. */
  private static byte[] reply(byte[] frame, EnvelopeScanner scanner, Replies replies, int code,
      String message, JsonNode data) {
    if (FrameReader.isBlank(frame)) {
      return null;
    }
    Envelope e = scanner.scan(frame);
    if (e.kind() != Envelope.Kind.BATCH) {
      return e.kind() == Envelope.Kind.REQUEST ? replies.error(e.id(), code, message, data) : null;
    }
    List<byte[]> parts = new ArrayList<>();
    for (Envelope.Range r : e.elements()) {
      Envelope el = scanner.scan(frame, r.start(), r.end());
      if (el.kind() == Envelope.Kind.REQUEST) {
        parts.add(replies.error(el.id(), code, message, data));
      }
    }
    if (parts.isEmpty()) {
      return null;
    }
    return Replies.batch(parts);
  }
}
