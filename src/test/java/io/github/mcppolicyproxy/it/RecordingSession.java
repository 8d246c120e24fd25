package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The packaged proxy in front of a stand-in upstream that records every line it receives
 * ({@code --record}), so a test can prove what reached the upstream and what did not. Frames up to
 * a sentinel are known to be recorded once the sentinel's answer came back: the stand-in records
 * each line before it handles it, and reads its input in order.
 */
final class RecordingSession implements AutoCloseable {
  /** The only tool the default test policy allows. */
  static final String DENY_BUT_ECHO =
      "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"standin_echo\":{}}}";

  private final ProxyProcess proxy;
  private final Path record;
  private final Path violations;
  private final AtomicInteger sentinels = new AtomicInteger(900_000);

  private RecordingSession(ProxyProcess proxy, Path record, Path violations) {
    this.proxy = proxy;
    this.record = record;
    this.violations = violations;
  }

  /** Starts the proxy with {@code policy}, extra proxy options and JVM options. */
  static RecordingSession start(Path dir, String policy, List<String> proxyOptions,
      List<String> jvmOptions) throws IOException {
    Path p = ProxyProcess.write(dir, "policy-" + System.nanoTime() + ".json", policy);
    Path record = dir.resolve("received-" + System.nanoTime() + ".jsonl");
    Path violations = dir.resolve("violations.jsonl");
    List<String> a = new ArrayList<>(proxyOptions);
    a.addAll(List.of("--policy", p.toString(), "--session-id", "hostile"));
    if (proxyOptions.stream().noneMatch("--violation-log"::equals)) {
      a.addAll(List.of("--violation-log", violations.toString()));
    }
    a.add("--");
    a.addAll(ProxyProcess.standIn("--test-tools", "--record", record.toString()));
    return new RecordingSession(ProxyProcess.start(a, Map.of(), jvmOptions), record, violations);
  }

  static RecordingSession start(Path dir, String policy) throws IOException {
    return start(dir, policy, List.of(), List.of());
  }

  ProxyProcess proxy() {
    return proxy;
  }

  Path violations() {
    return violations;
  }

  void send(String frame) throws IOException {
    proxy.send(frame);
  }

  /** The next frame from the proxy that satisfies {@code wanted}, skipping others. */
  JsonNode next(Predicate<JsonNode> wanted) throws InterruptedException, IOException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < end) {
      JsonNode n = ProxyProcess.JSON.readTree(proxy.nextLine(Duration.ofSeconds(20)));
      if (wanted.test(n)) {
        return n;
      }
    }
    throw new AssertionError("no wanted frame; stderr:\n" + proxy.stderr());
  }

  /** The answer (a response, not a request) whose id is the JSON text {@code rawId}. */
  JsonNode answerTo(String rawId) throws InterruptedException, IOException {
    JsonNode want = ProxyProcess.JSON.readTree(rawId);
    return next(n -> n.isObject() && !n.has("method") && n.has("id") && n.get("id").equals(want));
  }

  /** Sends {@code frame} and returns the answer with id {@code rawId}. */
  JsonNode exchange(String rawId, String frame) throws IOException, InterruptedException {
    send(frame);
    return answerTo(rawId);
  }

  /**
   * Calls the allowed echo tool and waits for its answer, so that everything sent before it has
   * been recorded by the upstream.
   */
  void sync() throws IOException, InterruptedException {
    int id = sentinels.incrementAndGet();
    JsonNode r = exchange(Integer.toString(id), toolsCall(Integer.toString(id), "standin_echo",
        "{\"sentinel\":" + id + "}"));
    assertThat(r.path("result").path("structuredContent").path("sentinel").asInt())
        .as("the sentinel went through: " + r).isEqualTo(id);
  }

  /** Everything the upstream has received, as text. */
  String received() throws IOException {
    return Files.exists(record) ? Files.readString(record, StandardCharsets.UTF_8) : "";
  }

  /** Syncs, then asserts that no line the upstream received contains {@code marker}. */
  void assertNeverReachedUpstream(String marker) throws IOException, InterruptedException {
    sync();
    assertThat(received()).as("what the upstream received").doesNotContain(marker);
  }

  /** Syncs, then asserts that the upstream received {@code marker}. */
  void assertReachedUpstream(String marker) throws IOException, InterruptedException {
    sync();
    assertThat(received()).as("what the upstream received").contains(marker);
  }

  /** The violation log's lines, parsed. */
  List<JsonNode> violationLines() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    if (Files.exists(violations)) {
      for (String l : Files.readAllLines(violations, StandardCharsets.UTF_8)) {
        if (!l.isBlank()) {
          out.add(ProxyProcess.JSON.readTree(l));
        }
      }
    }
    return out;
  }

  static String toolsCall(String rawId, String tool, String arguments) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + rawId + ",\"method\":\"tools/call\",\"params\":{"
        + "\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}";
  }

  @Override
  public void close() {
    proxy.close();
  }
}
