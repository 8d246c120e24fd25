package io.github.mcppolicyproxy.peers;

import static io.github.mcppolicyproxy.peers.NodePeers.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's try-it-without-AWS line, {@code --policy config/seed.policy.json -- mcp-policy-proxy
 * stand-in}, driven by the official TS SDK client: the proxy runs its own stand-in as the upstream,
 * the client sees only the allowed tool, an allowed call answered from the recordings and a
 * refusal for the rest.
 */
class StandInThroughProxyIT {
  @TempDir
  Path work;

  @Test
  void theTsClientTalksToTheBuiltInStandInThroughTheSeedPolicy() throws Exception {
    NodePeers peers = NodePeers.locate();
    Path jar = Path.of(System.getProperty("proxy.jar", "target/mcp-policy-proxy.jar")).toAbsolutePath();
    String java = io.github.mcppolicyproxy.it.ProxyJar.java();
    List<String> proxy = List.of(java, "-Duser.home=" + work, "-jar", jar.toString(),
        "--policy", Path.of("config/seed.policy.json").toAbsolutePath().toString(),
        "--violation-log", work.resolve("violations.jsonl").toString(),
        "--", "mcp-policy-proxy", "stand-in");
    PeerProcess.Result run = PeerProcess.run(
        join(peers.script("ts-client.mjs", "--scenario", "standin", "--"), proxy),
        work, "standin", Duration.ofSeconds(90)).assertSucceeded();
    JsonNode steps = new ObjectMapper().readTree(run.stdoutText()).path("steps");
    List<String> tools = new ArrayList<>();
    step(steps, "tools/list").forEach(t -> tools.add(t.asText()));
    assertThat(tools).containsExactly("StartAHOReadSetExportJob");
    JsonNode export = step(steps, "StartAHOReadSetExportJob");
    assertThat(export.path("isError").asBoolean(false)).as("%s", export).isFalse();
    assertThat(export.path("content").get(0).path("text").asText()).contains("sequenceStoreId");
    JsonNode denied = step(steps, "call_aws (denied)");
    assertThat(denied.path("isError").asBoolean()).isTrue();
    assertThat(denied.path("content").get(0).path("text").asText())
        .startsWith("Policy violation: call_aws is not allowed by the policy");
  }

  private static JsonNode step(JsonNode steps, String name) {
    for (JsonNode s : steps) {
      if (s.path("name").asText().equals(name)) {
        return s.path("result");
      }
    }
    throw new AssertionError("no step " + name + " in " + steps);
  }
}
