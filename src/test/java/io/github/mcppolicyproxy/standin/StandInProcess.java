package io.github.mcppolicyproxy.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The stand-in as a real child process, driven over its pipes with raw JSON lines. */
final class StandInProcess implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Process process;
  private final OutputStream stdin;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  private StandInProcess(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread out = new Thread(() -> pump(process.getInputStream()), "standin-test-stdout");
    out.setDaemon(true);
    out.start();
    Thread err = new Thread(() -> drain(process.getErrorStream()), "standin-test-stderr");
    err.setDaemon(true);
    err.start();
  }

  static StandInProcess start(String... args) throws IOException {
    return start(Map.of(), args);
  }

  static StandInProcess start(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-Dfile.encoding=ISO-8859-1", // the stand-in must not depend on the platform charset
        "-cp", System.getProperty("java.class.path"),
        StandInServer.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    return new StandInProcess(builder.start());
  }

  private void pump(InputStream in) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        stdout.add(line);
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  private void drain(InputStream in) {
    byte[] buffer = new byte[8192];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        synchronized (stderr) {
          stderr.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  /** Sends one line as given, plus "\n". */
  void send(String line) {
    try {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void send(JsonNode frame) {
    send(frame.toString());
  }

  /** The next stdout line; fails after a bounded wait. */
  String nextLine() throws InterruptedException {
    String line = stdout.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new AssertionError("no frame from the stand-in within " + WAIT + "; stderr: " + stderr());
    }
    return line;
  }

  JsonNode next() throws InterruptedException, IOException {
    return JSON.readTree(nextLine());
  }

  /** Skips frames until the response with this id (compared as JSON text). */
  JsonNode responseTo(String rawId) throws InterruptedException, IOException {
    while (true) {
      JsonNode frame = next();
      if (!frame.has("method") && frame.path("id").toString().equals(rawId)) {
        return frame;
      }
    }
  }

  void closeStdin() throws IOException {
    stdin.close();
  }

  int awaitExit() throws InterruptedException {
    if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("stand-in did not exit within " + WAIT);
    }
    return process.exitValue();
  }

  String stderr() {
    synchronized (stderr) {
      return stderr.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
