package io.github.mcppolicyproxy.limits.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a free loopback port, without persistence unless its options
 * say otherwise, for tests. It can be stopped and started again on the same port with the same
 * options (an outage and a recovery, or a restart that keeps what it persisted).
 */
public final class RedisServer implements AutoCloseable {
  /**
   * The ACL rules of the proxy's user, as the README's {@code ACL SETUSER} line gives them: its
   * keys only, the script's commands, SCAN/HGETALL/DEL for {@code counters}, SELECT for a database.
   */
  public static final List<String> PROXY_ACL = List.of("~mcp-policy-proxy:*", "+evalsha",
      "+eval", "+hget", "+hincrby", "+hset", "+pexpireat", "+scan", "+hgetall", "+del", "+select");
  private final int port;
  private final boolean tls;
  private final List<String> options;
  private final Path log;
  private Process process;

  private RedisServer(int port, boolean tls, List<String> options, Path log) {
    this.port = port;
    this.tls = tls;
    this.options = List.copyOf(options);
    this.log = log;
  }

  /** Starts a server on a free port; its log goes to a temp file. */
  public static RedisServer start() throws IOException, InterruptedException {
    return start(List.of());
  }

  /**
   * Starts a server on a free port with extra {@code redis-server} options after the defaults
   * (a later option wins: {@code --appendonly yes} turns persistence on), e.g. ACL users:
   * {@code --user NAME on >PASSWORD ~PATTERN +COMMAND ...}.
   */
  public static RedisServer start(List<String> options) throws IOException, InterruptedException {
    return start(false, options);
  }

  /**
   * Starts a server that speaks TLS only (no plain port) with the PEM certificate chain
   * {@code cert} and key {@code key}; clients need no certificate of their own.
   */
  public static RedisServer startTls(Path cert, Path key) throws IOException,
      InterruptedException {
    return start(true, List.of("--tls-cert-file", cert.toString(), "--tls-key-file",
        key.toString(), "--tls-auth-clients", "no"));
  }

  private static RedisServer start(boolean tls, List<String> options)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    RedisServer r = new RedisServer(port, tls, options,
        Files.createTempFile("redis-test", ".log"));
    r.startAgain();
    return r;
  }

  /** True when {@code redis-server} is on the PATH. */
  public static boolean installed() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, "redis-server"))) {
        return true;
      }
    }
    return false;
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:PORT}, or {@code rediss://...} for a TLS server. */
  public String uri() {
    return (tls ? "rediss" : "redis") + "://127.0.0.1:" + port;
  }

  /**
   * Starts the server (again) on its port and waits until it says it is ready, which is after it
   * loaded what it persisted (it listens earlier, and answers LOADING until then).
   */
  public void startAgain() throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("redis-server", "--save", "", "--appendonly",
        "no", "--bind", "127.0.0.1"));
    cmd.addAll(tls ? List.of("--port", "0", "--tls-port", Integer.toString(port))
        : List.of("--port", Integer.toString(port)));
    cmd.addAll(options);
    int readyBefore = readyLines();
    process = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < end) {
      if (readyLines() > readyBefore) {
        try (Socket s = new Socket("127.0.0.1", port)) {
          return;
        } catch (IOException e) {
          // ready, but not yet accepting: look again
        }
      }
      if (!process.isAlive()) {
        throw new IOException("redis-server exited: " + Files.readString(log));
      }
      Thread.sleep(20);
    }
    throw new IOException("redis-server did not get ready on " + port + ": "
        + Files.readString(log));
  }

  private int readyLines() throws IOException {
    return Files.readString(log).split("Ready to accept connections", -1).length - 1;
  }

  /**
   * Stops the server (SIGTERM: with persistence on it writes its data first; without, its data
   * goes with it) and waits for it to exit.
   */
  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
