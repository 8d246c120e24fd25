package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client always hears why the proxy cannot serve it: a policy that does not load, a violation
 * log that cannot be opened, an upstream that dies at start. Its first request is answered with a
 * JSON-RPC error naming the problem, never left to a closed pipe.
 */
class ClientHearsWhyIT {
  private static final String ALLOW_ALL = "{\"version\":\"1\",\"default\":\"allow\"}";
  /** Runs of the start race; -Dit.startRaceRuns=200 for a longer hunt. */
  private static final int RUNS = Integer.getInteger("it.startRaceRuns", 20);

  @TempDir
  Path dir;

  private List<String> proxy(Path policy, Path log, List<String> upstream) {
    List<String> a = new ArrayList<>(List.of("--policy", policy.toString(), "--violation-log",
        log.toString(), "--"));
    a.addAll(upstream);
    return a;
  }

  @Test
  void aPolicyThatDoesNotLoadAnswersInitializeWithTheFileAndTheProblemThenExitsTwo()
      throws Exception {
    Path bad = ProxyProcess.write(dir, "bad.json", "{\"version\":\"1\",\"default\":\"deny\","
        + "\"tools\":{\"put\":{\"deny_if\":[{\"path\":\"bucket\",\"op\":\"eq\",\"value\":\"p\"}]}}}");
    Path log = dir.resolve("v.jsonl");
    try (ProxyProcess p = ProxyProcess.start(proxy(bad, log, ProxyProcess.standIn()))) {
      long start = System.nanoTime();
      JsonNode r = p.initialize();
      JsonNode error = r.path("error");
      assertThat(error.path("code").asInt()).isEqualTo(-32010);
      assertThat(error.path("message").asText()).contains("policy does not load")
          .contains(bad.toString()).contains("/tools/put/deny_if/0/path")
          .contains("\"args.bucket\"");
      assertThat(error.path("data").path("policy").asText()).isEqualTo(bad.toString());
      assertThat(error.path("data").path("problems")).hasSize(1);
      assertThat(p.waitFor(Duration.ofSeconds(10))).isEqualTo(2);
      System.out.println("ClientHearsWhyIT: policy error answered and exited in "
          + (System.nanoTime() - start) / 1_000_000 + " ms");
      assertThat(p.stderr()).doesNotContain("upstream pid");
    }
    assertThat(log).doesNotExist();
  }

  @Test
  void atATerminalAPolicyThatDoesNotLoadEndsAtOnceWithoutWaitingForAClient() throws Exception {
    Path bad = ProxyProcess.write(dir, "bad.json", "{\"version\":\"1\"}");
    // script gives the proxy a terminal, as a person's shell would; its stdin stays open
    String cmd = "'" + ProxyJar.java() + "' -jar '" + ProxyJar.path() + "' --policy '" + bad
        + "' --violation-log '" + dir.resolve("v.jsonl") + "' -- true";
    try (ProxyProcess p = ProxyProcess.command(List.of("script", "-q", "-e", "-c", cmd,
        "/dev/null"), java.util.Map.of())) {
      long start = System.nanoTime();
      assertThat(p.waitFor(Duration.ofSeconds(8))).as(p.stderr()).isEqualTo(2);
      long millis = (System.nanoTime() - start) / 1_000_000;
      String out = String.join("\n", p.stdoutLines().stream()
          .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).toList());
      assertThat(out).contains("the policy did not load").doesNotContain("answering the client");
      assertThat(millis).as("no 10 s wait for a client at a terminal").isLessThan(8000);
    }
  }

  @Test
  void aStatelessClientsServerDiscoverIsAnsweredTooWithItsStringId() throws Exception {
    Path bad = ProxyProcess.write(dir, "bad.json", "{\"version\":\"1\",\"default\":\"sometimes\"}");
    try (ProxyProcess p = ProxyProcess.start(proxy(bad, dir.resolve("v.jsonl"),
        ProxyProcess.standIn()))) {
      p.send("{\"jsonrpc\":\"2.0\",\"id\":\"d-1\",\"method\":\"server/discover\",\"params\":{"
          + "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
          + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}");
      JsonNode r = p.next();
      assertThat(r.path("id").asText()).isEqualTo("d-1");
      assertThat(r.path("error").path("message").asText()).contains(bad.toString())
          .contains("/default");
      assertThat(p.waitFor(Duration.ofSeconds(10))).isEqualTo(2);
    }
  }

  @Test
  void aViolationLogThatCannotBeOpenedIsNamedToTheClientInWords() throws Exception {
    Path policy = ProxyProcess.write(dir, "p.json", ALLOW_ALL);
    Path notADir = ProxyProcess.write(dir, "file", "x");
    Path log = notADir.resolve("sub").resolve("v.jsonl");
    try (ProxyProcess p = ProxyProcess.start(proxy(policy, log, ProxyProcess.standIn()))) {
      JsonNode error = p.initialize().path("error");
      assertThat(error.path("code").asInt()).isEqualTo(-32010);
      assertThat(error.path("message").asText()).contains("cannot open the violation log " + log)
          .contains(notADir.toString()).doesNotContain("Exception");
      assertThat(p.waitFor(Duration.ofSeconds(10))).isEqualTo(2);
    }
  }

  @Test
  void everyInitializeIsAnsweredWhenTheUpstreamDiesAtStart() throws Exception {
    Path policy = ProxyProcess.write(dir, "p.json", ALLOW_ALL);
    List<String> dying = List.of("sh", "-c", "echo boom >&2; exit 3");
    long slowest = 0;
    for (int run = 0; run < RUNS; run++) {
      try (ProxyProcess p = ProxyProcess.start(proxy(policy, dir.resolve("v.jsonl"), dying))) {
        long start = System.nanoTime();
        p.send("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":"
            + "\"it\",\"version\":\"1\"}}}");
        if (run % 2 == 1) {
          p.closeStdin(); // a client that half-closes after its request must hear back too
        }
        JsonNode r = p.next();
        assertThat(r.path("id").asInt()).as("run %d", run).isZero();
        assertThat(r.path("error").path("code").asInt()).as("run %d: %s", run, r)
            .isEqualTo(-32002);
        assertThat(r.path("error").path("message").asText()).as("run %d", run)
            .contains("exited with code 3");
        assertThat(p.waitFor(Duration.ofSeconds(15))).as("run %d", run).isEqualTo(3);
        slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
      }
    }
    System.out.println("ClientHearsWhyIT: " + RUNS + " upstreams died at start, every initialize"
        + " answered; slowest answer-and-exit " + slowest + " ms");
  }
}
