package io.github.mcppolicyproxy.peers;

import static io.github.mcppolicyproxy.peers.NodePeers.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Tasks requester ({@code @modelcontextprotocol/ext-tasks} on the TS SDK v2 client,
 * 2025-11-25 tasks) through the packaged proxy to the stand-in in task mode: a task that completes
 * keeps its permit, a task cancelled with {@code tasks/cancel} gives it back (the same slow tool,
 * limited to one call a minute, runs again), and the log follows each task to its end.
 */
class TasksPeersIT {
  @TempDir
  Path work;

  @Test
  void theOfficialTasksClientRunsCompletesAndCancelsTasksThroughTheProxy() throws Exception {
    NodePeers peers = NodePeers.locate();
    Path jar = Path.of(System.getProperty("proxy.jar", "target/mcp-policy-proxy.jar"))
        .toAbsolutePath();
    String java = io.github.mcppolicyproxy.it.ProxyJar.java();
    Path policy = Files.writeString(work.resolve("policy.json"), """
        {"version":"1","default":"allow","tools":{
          "standin_sleep":{"limits":[{"counter":"sleep","window":"minute","max":1}]}}}
        """);
    Path log = work.resolve("violations.jsonl");
    Path record = work.resolve("received.jsonl");
    List<String> proxy = List.of(java, "-Duser.home=" + work, "-jar", jar.toString(),
        "--policy", policy.toString(), "--violation-log", log.toString(),
        "--", java, "-cp", jar.toString(), "io.github.mcppolicyproxy.standin.StandInServer",
        "--test-tools", "--tasks", "--record", record.toString());
    PeerProcess.Result run = PeerProcess.run(join(peers.script("tasks-client.mjs", "--"), proxy),
        work, "tasks", Duration.ofSeconds(90)).assertSucceeded();
    JsonNode steps = new ObjectMapper().readTree(run.stdoutText()).path("steps");

    assertThat(step(steps, "capabilities").at("/requests/tools/call").isObject()).isTrue();
    JsonNode echo = step(steps, "echo");
    assertThat(echo.path("status").asText()).as("%s", echo).isEqualTo("completed");
    assertThat(echo.path("result").toString()).contains("task-peer");
    for (String name : List.of("slow", "slow again")) {
      JsonNode slow = step(steps, name);
      assertThat(slow.path("kind").asText()).as("%s: %s", name, slow).isEqualTo("task");
      assertThat(slow.path("settled").asText()).isEqualTo("cancelled");
    }
    String received = Files.readString(record, StandardCharsets.UTF_8);
    assertThat(received).contains("\"task\":{").contains("tasks/cancel");
    List<String> ended = Files.readAllLines(log).stream()
        .filter(l -> l.contains("\"event\":\"task_ended\"")).toList();
    assertThat(ended).hasSize(3);
    assertThat(ended.get(0)).contains("\"status\":\"completed\"").contains("\"permits\":\"none\"");
    assertThat(ended.subList(1, 3)).allSatisfy(l -> assertThat(l)
        .contains("\"status\":\"cancelled\"").contains("\"permits\":\"refunded\""));
  }

  private static JsonNode step(JsonNode steps, String name) {
    for (JsonNode s : steps) {
      if (s.path("name").asText().equals(name)) {
        assertThat(s.has("error")).as("%s failed: %s", name, s).isFalse();
        return s.path("result");
      }
    }
    throw new AssertionError("no step " + name + " in " + steps);
  }
}
