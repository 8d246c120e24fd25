package io.github.mcppolicyproxy.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for {@code awslabs.aws-api-mcp-server} that speaks MCP over stdio and answers with
 * the real server's recorded frames (see {@code standin/README.md} and {@code standin/calls.json}).
 * stdout carries frames only; diagnostics go to stderr. Ends with 0 at end of input.
 */
public final class StandInServer {

  /** Longest line read from stdin; longer ones are refused as parse errors. */
  static final int MAX_LINE_BYTES = 256 * 1024 * 1024;

  private StandInServer() {}

  /** Runs as a process: stdout is reserved for frames, {@code System.out} is sent to stderr. */
  public static void main(String[] args) {
    OutputStream stdout = new FileOutputStream(FileDescriptor.out);
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
    System.exit(run(args, System.in, stdout, System.err));
  }

  /**
   * Serves one session on the given streams until {@code in} ends (returns 0), a fault tool ends
   * it (returns that tool's exit code) or the arguments are wrong (returns 2).
   */
  public static int run(String[] args, InputStream in, OutputStream out, OutputStream err) {
    PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
    StandInOptions options;
    try {
      options = StandInOptions.parse(args);
    } catch (IllegalArgumentException e) {
      errors.println("standin: " + e.getMessage());
      errors.println("usage: StandInServer [--record FILE] [--read-only] [--experimental-agent-scripts]"
          + " [--no-healthomics-tool] [--test-tools] [--successor] [--tasks] [--task-notifications] [--page-size N] [--describe TOOL=TEXT] [--require-mutation-consent]"
          + " [--scenario " + String.join("|", StandInOptions.SCENARIOS) + "]");
      return 2;
    }
    String startup = System.getenv("STANDIN_STARTUP_STDERR");
    if (startup != null) {
      errors.println(startup);
    }
    // Python's json (ensure_ascii=False, as FastMCP writes) emits 4-byte UTF-8, not escaped surrogates.
    ObjectMapper json = com.fasterxml.jackson.databind.json.JsonMapper.builder()
        .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
        .build();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    AtomicInteger workerNumber = new AtomicInteger();
    ExecutorService workers = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "standin-call-" + workerNumber.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    FrameWriter frames = new FrameWriter(out, json);
    ClientRequests clientRequests = new ClientRequests();
    String region = System.getenv().getOrDefault("AWS_REGION", "us-east-1");
    JsonNode initializeResult = Recordings.Resources.json(json, "standin/initialize.json").path("response").path("result");
    ToolCatalog catalog = new ToolCatalog(json, options);
    if (options.successor()) { // the successor announces no end of development (synthesized)
      initializeResult = ((com.fasterxml.jackson.databind.node.ObjectNode) initializeResult.deepCopy())
          .put("instructions", "Stand-in for the AWS MCP Server (tools prefixed aws___).");
    }
    if (options.tasks()) { // 2025-11-25: task-augmented tools/call, cancellable
      initializeResult = initializeResult.deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) initializeResult.path("capabilities"))
          .putObject("tasks").<com.fasterxml.jackson.databind.node.ObjectNode>set("cancel",
              json.createObjectNode()).putObject("requests").putObject("tools").putObject("call");
    }
    Dispatcher dispatcher = new Dispatcher(json, frames, errors, initializeResult,
        catalog,
        new AwsTools(Recordings.load(json), clientRequests, options, region),
        new FaultTools(errors, clientRequests, exit::complete, catalog),
        options, clientRequests, workers);

    Thread reader = new Thread(() -> exit.complete(readAll(in, options, dispatcher, errors)), "standin-stdin");
    reader.setDaemon(true);
    reader.start();
    try {
      return exit.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (ExecutionException e) {
      e.getCause().printStackTrace(errors);
      return 1;
    } finally {
      errors.flush();
    }
  }

  private static int readAll(InputStream in, StandInOptions options, Dispatcher dispatcher, PrintStream errors) {
    BoundedLineReader lines = new BoundedLineReader(in, MAX_LINE_BYTES);
    try (OutputStream record = options.record().isPresent()
        ? Files.newOutputStream(options.record().get(), StandardOpenOption.CREATE, StandardOpenOption.APPEND)
        : OutputStream.nullOutputStream()) {
      for (BoundedLineReader.Line line = lines.next(); line != null; line = lines.next()) {
        record.write(line.bytes());
        record.write('\n');
        record.flush();
        String text = new String(line.bytes(), StandardCharsets.UTF_8);
        if (text.isBlank()) {
          continue;
        }
        dispatcher.handle(text, line.truncated());
      }
      dispatcher.drain();
      return 0;
    } catch (IOException e) {
      errors.println("standin: stdin: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (RuntimeException e) { // top of the reader thread: report and end the session
      e.printStackTrace(errors);
      return 1;
    }
  }
}
