package io.github.mcppolicyproxy.aws.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Python oracle ({@code src/test/python/aws_oracle.py}) as a long-running child: one JSON
 * request a line in, one JSON answer a line out, so Python and awscli start once per test run.
 * A request that gets no answer in time kills the child and starts a new one; the caller gets
 * {@link Optional#empty()} and counts the command as inconclusive.
 */
final class OracleProcess implements AutoCloseable {

  /** The upstream's environment the oracle and the proxy both assume. */
  static final Map<String, String> UPSTREAM_ENV = Map.of(
      "AWS_REGION", "eu-west-1",
      "AWS_DEFAULT_REGION", "us-west-2",
      "AWS_API_MCP_PROFILE_NAME", "mcp-server");

  private static final String EOF = "\u0000eof";
  private final ObjectMapper mapper = new ObjectMapper();
  private final Path script;
  private final Path log;
  private final AtomicLong ids = new AtomicLong();
  private Process process;
  private OutputStream stdin;
  private BlockingQueue<String> lines;

  private OracleProcess(Path script, Path log) {
    this.script = Objects.requireNonNull(script, "script");
    this.log = Objects.requireNonNull(log, "log");
  }

  /**
   * Why the oracle cannot run on this machine (no python3, or awscli, botocore or moto missing),
   * or empty when it can.
   */
  static Optional<String> unavailable() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import awscli, botocore, boto3, moto")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.of("python3 -c 'import awscli, botocore, boto3, moto' did not finish in 120 s");
      }
      return p.exitValue() == 0 ? Optional.empty()
          : Optional.of("python3 cannot import awscli, botocore, boto3 and moto: " + out.strip());
    } catch (IOException e) {
      return Optional.of("python3 is not on PATH (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while looking for python3");
    }
  }

  /** Starts the oracle; its standard error goes to {@code log}. */
  static OracleProcess start(Path script, Path log) throws IOException {
    OracleProcess o = new OracleProcess(script, log);
    o.launch();
    return o;
  }

  private void launch() throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder("python3", "-u", script.toString())
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
    pb.environment().putAll(UPSTREAM_ENV);
    pb.environment().put("PYTHONIOENCODING", "utf-8");
    process = pb.start();
    stdin = process.getOutputStream();
    BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    lines = queue;
    Process mine = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(mine.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          queue.add(line);
        }
      } catch (IOException e) {
        // the child died or was killed; the waiting request times out or sees EOF
      } finally {
        queue.add(EOF);
      }
    }, "oracle-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** The oracle's answer for {@code cli_command} (a string or an array of strings). */
  Optional<JsonNode> judge(JsonNode cliCommand, Duration timeout) {
    ObjectNode request = mapper.createObjectNode();
    request.set("cli_command", cliCommand);
    return ask(request, timeout);
  }

  /** The CLI names of every command the driver knows. */
  List<String> services() {
    ObjectNode request = mapper.createObjectNode().put("op", "services");
    JsonNode answer = ask(request, Duration.ofMinutes(3)).orElseThrow(() -> new IllegalStateException(
        "the oracle did not list its services; see " + log));
    return java.util.stream.StreamSupport.stream(answer.get("services").spliterator(), false)
        .map(s -> s.get("cli").asText()).toList();
  }

  /** Operations and argument tables of {@code services}, from botocore's models. */
  JsonNode catalog(List<String> services) {
    ObjectNode request = mapper.createObjectNode().put("op", "catalog");
    services.forEach(request.putArray("services")::add);
    return ask(request, Duration.ofMinutes(5)).orElseThrow(() -> new IllegalStateException(
        "the oracle did not answer the catalog request; see " + log)).get("catalog");
  }

  /** The argument table of one operation ({@code aws SERVICE OPERATION}), from botocore's model. */
  JsonNode arguments(String service, String operation) {
    ObjectNode request = mapper.createObjectNode().put("op", "arguments").put("service", service)
        .put("operation", operation);
    return ask(request, Duration.ofMinutes(2)).orElseThrow(() -> new IllegalStateException(
        "the oracle did not answer the arguments request; see " + log)).get("arguments");
  }

  private synchronized Optional<JsonNode> ask(ObjectNode request, Duration timeout) {
    long id = ids.incrementAndGet();
    request.put("id", id);
    try {
      if (!process.isAlive()) {
        launch();
      }
      stdin.write((mapper.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null || line.equals(EOF)) {
          restart();
          return Optional.empty();
        }
        JsonNode answer = mapper.readTree(line);
        if (answer.path("id").asLong(-1) == id) {
          return Optional.of(answer);
        }
      }
    } catch (IOException e) {
      restart();
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the oracle", e);
    }
  }

  private void restart() {
    close();
    try {
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException("could not restart the oracle", e);
    }
  }

  @Override
  public void close() {
    if (process == null) {
      return;
    }
    try {
      stdin.close();
    } catch (IOException ignored) {
      // closing a pipe to a dead child
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
