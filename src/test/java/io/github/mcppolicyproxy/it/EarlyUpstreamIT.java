package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream is spawned while the proxy still loads (to overlap the two starts), so every way the
 * start can fail must stop it, before the client is told why, and pass it nothing.
 */
class EarlyUpstreamIT {
  @TempDir
  Path dir;

  /**
   * An upstream that writes its pid to {@code pids} and copies what it reads to {@code received}.
   * The proxy may stop it before it has written its pid; it never gets a frame either way.
   */
  private List<String> recordingUpstream() {
    return List.of("sh", "-c", "echo $$ >> '" + dir.resolve("pids") + "'; exec cat >> '"
        + dir.resolve("received") + "'");
  }

  private List<String> proxy(String... options) {
    List<String> a = new ArrayList<>(List.of(options));
    a.add("--");
    a.addAll(recordingUpstream());
    return a;
  }

  /** Every upstream that started is gone, and none of them was sent a byte. */
  private void assertNoUpstreamLivesOrHeardAnything() throws Exception {
    Path pids = dir.resolve("pids");
    if (Files.exists(pids)) {
      for (String pid : Files.readAllLines(pids)) {
        assertThat(ProcessHandle.of(Long.parseLong(pid.strip())).map(ProcessHandle::isAlive))
            .as("upstream " + pid).isNotEqualTo(java.util.Optional.of(true));
      }
    }
    Path received = dir.resolve("received");
    assertThat(Files.exists(received) ? Files.readAllBytes(received) : new byte[0]).isEmpty();
  }

  @Test
  void aPolicyThatDoesNotLoadStopsTheUpstreamBeforeTheClientHearsWhy() throws Exception {
    Path bad = ProxyProcess.write(dir, "bad.json", "{\"version\":\"1\",\"default\":\"sometimes\"}");
    try (ProxyProcess p = ProxyProcess.start(proxy("--policy", bad.toString(), "--violation-log",
        dir.resolve("v.jsonl").toString()))) {
      JsonNode error = p.initialize().path("error");
      assertThat(error.path("code").asInt()).isEqualTo(-32010);
      assertThat(error.path("message").asText()).contains("policy does not load");
      assertNoUpstreamLivesOrHeardAnything(); // already when the answer arrives
      assertThat(p.waitFor(Duration.ofSeconds(20))).isEqualTo(2);
      assertThat(p.stderr()).doesNotContain("upstream pid");
    }
    assertNoUpstreamLivesOrHeardAnything();
  }

  @Test
  void aBadOptionValueFoundAfterTheScanStopsTheUpstream() throws Exception {
    Path policy = ProxyProcess.write(dir, "p.json", "{\"version\":\"1\",\"default\":\"allow\"}");
    for (String[] options : new String[][] {
        {"--refusal-style", "loud"}, // refused once the proxy starts
        {"--max-pending", "many"}, // refused by picocli's parse
    }) {
      List<String> args = new ArrayList<>(List.of("--policy", policy.toString(),
          "--violation-log", dir.resolve("v.jsonl").toString()));
      args.addAll(List.of(options));
      try (ProxyProcess p = ProxyProcess.start(proxy(args.toArray(String[]::new)))) {
        p.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}");
        assertThat(p.waitFor(Duration.ofSeconds(20))).as(String.join(" ", options)).isEqualTo(2);
        assertThat(p.stdoutLines()).isEmpty();
      }
      assertNoUpstreamLivesOrHeardAnything();
    }
  }

  @Test
  void aStartThatSucceedsServesTheClientWithTheUpstreamStartedEarly() throws Exception {
    Path policy = ProxyProcess.write(dir, "p.json", "{\"version\":\"1\",\"default\":\"allow\"}");
    try (ProxyProcess p = ProxyProcess.start(List.of("--policy", policy.toString(),
        "--violation-log", dir.resolve("v.jsonl").toString(), "--", "sh", "-c",
        "echo $$ >> '" + dir.resolve("pids") + "'; exec cat"))) {
      // cat echoes the request back: it reached the one upstream started, which is still alive
      p.send("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}");
      assertThat(p.next().path("id").asInt()).isEqualTo(7);
      List<String> pids = Files.readAllLines(dir.resolve("pids"));
      assertThat(pids).hasSize(1);
      p.assertStderrContains("upstream pid " + pids.get(0).strip());
    }
  }
}
