package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The packaged proxy jar as a real process, driven over real pipes with raw frames. Every line it
 * writes to stdout is kept, byte for byte, so tests can prove stdout carried only frames.
 */
final class ProxyProcess implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String STAND_IN = "io.github.mcppolicyproxy.standin.StandInServer";

  private final Process process;
  private final OutputStream stdin;
  private final BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
  private final List<byte[]> allLines = java.util.Collections.synchronizedList(new ArrayList<>());
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final Thread stdoutReader;
  private final Thread stderrReader;

  private ProxyProcess(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    this.stdoutReader = pump(process.getInputStream(), true);
    this.stderrReader = pump(process.getErrorStream(), false);
  }

  static Path jar() {
    return ProxyJar.path();
  }

  static String java() {
    return ProxyJar.java();
  }

  /** The stand-in upstream command, from the jar itself, with extra stand-in options. */
  static List<String> standIn(String... options) {
    List<String> cmd = new ArrayList<>(List.of(java(), "-cp", jar().toString(), STAND_IN));
    cmd.addAll(List.of(options));
    return cmd;
  }

  /** Starts {@code java -jar proxy.jar ARGS...} with extra environment. */
  static ProxyProcess start(List<String> args, Map<String, String> env, List<String> jvmOptions)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(jvmOptions);
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    return new ProxyProcess(pb.start());
  }

  /** Starts any command (a launcher, say) with extra environment, driven the same way. */
  static ProxyProcess command(List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    return new ProxyProcess(pb.start());
  }

  static ProxyProcess start(List<String> args) throws IOException {
    return start(args, Map.of(), List.of());
  }

  private Thread pump(InputStream in, boolean frames) {
    Thread t = new Thread(() -> {
      try {
        if (!frames) {
          in.transferTo(new OutputStream() {
            @Override
            public void write(int b) {
              synchronized (stderr) {
                stderr.write(b);
              }
            }

            @Override
            public void write(byte[] b, int off, int len) {
              synchronized (stderr) {
                stderr.write(b, off, len);
              }
            }
          });
          return;
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        byte[] buf = new byte[65536];
        int n;
        while ((n = in.read(buf)) >= 0) {
          for (int i = 0; i < n; i++) {
            c = buf[i];
            if (c == '\n') {
              byte[] l = line.toByteArray();
              lines.add(l);
              allLines.add(l);
              line.reset();
            } else {
              line.write(c);
            }
          }
        }
        if (line.size() > 0) {
          allLines.add(line.toByteArray());
          lines.add(line.toByteArray());
        }
      } catch (IOException e) {
        // the process ended
      }
    }, frames ? "proxy-stdout" : "proxy-stderr");
    t.setDaemon(true);
    t.start();
    return t;
  }

  void send(String frame) throws IOException {
    sendBytes((frame + "\n").getBytes(StandardCharsets.UTF_8));
  }

  void sendBytes(byte[] bytes) throws IOException {
    stdin.write(bytes);
    stdin.flush();
  }

  void closeStdin() throws IOException {
    stdin.close();
  }

  /** The next line from stdout, raw. */
  byte[] nextLine(Duration timeout) throws InterruptedException {
    byte[] l = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(l).as("a frame from the proxy within " + timeout + "; stderr:\n" + stderr()).isNotNull();
    return l;
  }

  /** The next line from stdout, or null when none comes within {@code timeout}. */
  byte[] poll(Duration timeout) throws InterruptedException {
    return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next frame from stdout, parsed. */
  JsonNode next() throws InterruptedException, IOException {
    return JSON.readTree(nextLine(Duration.ofSeconds(20)));
  }

  /** Skips frames (notifications, server requests) until the answer to {@code id}. */
  JsonNode answerTo(int id) throws InterruptedException, IOException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < end) {
      JsonNode n = next();
      if (!n.has("method") && n.path("id").isInt() && n.path("id").asInt() == id) {
        return n;
      }
    }
    throw new AssertionError("no answer to id " + id + "; stderr:\n" + stderr());
  }

  /** Sends a request and waits for its answer. */
  JsonNode call(int id, String method, String params) throws IOException, InterruptedException {
    send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":"
        + params + "}");
    return answerTo(id);
  }

  JsonNode initialize() throws IOException, InterruptedException {
    JsonNode r = call(0, "initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
        + "\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}");
    send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    return r;
  }

  /** initialize, waiting up to {@code timeout} for its answer (a JVM upstream on a loaded machine). */
  JsonNode initialize(Duration timeout) throws IOException, InterruptedException {
    send("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
        + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}");
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      JsonNode n = JSON.readTree(nextLine(Duration.ofNanos(Math.max(1, end - System.nanoTime()))));
      if (!n.has("method") && n.path("id").isInt() && n.path("id").asInt() == 0) {
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        return n;
      }
    }
    throw new AssertionError("no answer to initialize within " + timeout + "; stderr:\n" + stderr());
  }

  JsonNode callTool(int id, String tool, String arguments) throws IOException, InterruptedException {
    return call(id, "tools/call", "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}");
  }

  /** Waits for the process to exit; its exit code. */
  int waitFor(Duration timeout) throws InterruptedException {
    assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
        .as("proxy exited within " + timeout + "; stderr:\n" + stderr()).isTrue();
    stdoutReader.join(2000);
    stderrReader.join(2000);
    return process.exitValue();
  }

  /** The proxy's own pid. */
  long pid() {
    return process.pid();
  }

  String stderr() {
    synchronized (stderr) {
      return stderr.toString(StandardCharsets.UTF_8);
    }
  }

  /**
   * Asserts that stderr holds every needle, waiting up to 10 s for them: stderr is read by a
   * thread of its own, so a line the proxy printed before an answer may reach this test after it.
   */
  void assertStderrContains(String... needles) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String text = stderr();
    while (!java.util.Arrays.stream(needles).allMatch(text::contains)
        && System.nanoTime() < end) {
      Thread.sleep(20);
      text = stderr();
    }
    assertThat(text).contains(needles);
  }

  /** Every stdout line so far. */
  List<byte[]> stdoutLines() {
    synchronized (allLines) {
      return new ArrayList<>(allLines);
    }
  }

  /** The upstream's pid, from the proxy's start-up line on stderr. */
  long upstreamPid() throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("upstream pid (\\d+)")
          .matcher(stderr());
      if (m.find()) {
        return Long.parseLong(m.group(1));
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no upstream pid on stderr:\n" + stderr());
  }

  Process process() {
    return process;
  }

  static Path write(Path dir, String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
