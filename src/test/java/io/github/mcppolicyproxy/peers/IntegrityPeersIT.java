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
 * A real TS SDK client sees tool integrity: after the stand-in changes a tool's description and
 * announces {@code tools/list_changed}, the proxy lists the tools itself, refuses the changed tool
 * ({@code tool_changed}) and leaves it out of the list the client gets.
 */
class IntegrityPeersIT {
  @TempDir
  Path work;

  @Test
  void theSdkClientSeesAChangedToolRefusedAndLeftOutOfTheList() throws Exception {
    NodePeers peers = NodePeers.locate();
    ProxyUnderTest proxy = ProxyUnderTest.enforcing(work, ProxyUnderTest.ALLOW_ALL_POLICY);
    Path jar = Path.of(System.getProperty("proxy.jar", "target/mcp-policy-proxy.jar"));
    List<String> standIn = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", jar.toString(),
        "io.github.mcppolicyproxy.standin.StandInServer", "--test-tools"));
    PeerProcess.Result run = PeerProcess.run(join(peers.script("integrity-client.mjs", "--"),
        proxy.prefix(), standIn), work, "integrity", Duration.ofSeconds(90)).assertSucceeded();
    JsonNode out = new ObjectMapper().readTree(run.stdoutText());
    assertThat(out.path("before").toString()).contains("\"standin_echo\"");
    assertThat(out.path("refusal").path("code").asText()).isEqualTo("tool_changed");
    assertThat(out.path("refusal").path("rule").asText()).isEqualTo("/pin_tools");
    assertThat(out.path("after").toString()).doesNotContain("\"standin_echo\"")
        .contains("\"call_aws\"", "\"standin_redescribe\"");
  }
}
