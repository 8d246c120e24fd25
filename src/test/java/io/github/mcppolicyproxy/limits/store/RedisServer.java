package io.github.mcppolicyproxy.limits.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a free loopback port, without persistence, for tests. It can be
 * stopped and started again on the same port (an outage and a recovery).
 */
public final class RedisServer implements AutoCloseable {
  private final int port;
  private final Path log;
  private Process process;

  private RedisServer(int port, Path log) {
    this.port = port;
    this.log = log;
  }

  /** Starts a server on a free port; its log goes to a temp file. */
  public static RedisServer start() throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    RedisServer r = new RedisServer(port, Files.createTempFile("redis-test", ".log"));
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

  /** {@code redis://127.0.0.1:PORT}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the server (again) on its port and waits until it accepts connections. */
  public void startAgain() throws IOException, InterruptedException {
    process = new ProcessBuilder(List.of("redis-server", "--save", "", "--appendonly", "no",
        "--port", Integer.toString(port), "--bind", "127.0.0.1"))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < end) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        if (!process.isAlive()) {
          throw new IOException("redis-server exited: " + Files.readString(log));
        }
        Thread.sleep(20);
      }
    }
    throw new IOException("redis-server did not listen on " + port);
  }

  /** Stops the server (its data goes with it) and waits for it to exit. */
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
