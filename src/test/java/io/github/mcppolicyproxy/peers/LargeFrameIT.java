package io.github.mcppolicyproxy.peers;

import static io.github.mcppolicyproxy.peers.NodePeers.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large frames: a 20 MB and a 60 MB tool result from {@code big-server.mjs} (TS SDK 1.x server)
 * reach a raw client ({@code big-client.mjs}; the SDK's own client transport stops at 10 MB)
 * whole, through the proxy exactly as without it: the answer frames have the same length and
 * SHA-256, and the result text has the size asked for. How the proxy's memory grows with the
 * frame size is measured by {@code frame-memory.mjs}, on demand.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class LargeFrameIT {

  private static final String SIZES = "20000000,60000000";
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path work;

  @Test
  void twentyAndSixtyMegabyteResultsPassByteForByte() throws IOException {
    NodePeers peers = NodePeers.locate();
    ProxyUnderTest proxy = ProxyUnderTest.select(peers, work);
    List<String> client = peers.script("big-client.mjs", "--sizes", SIZES, "--");
    List<String> server = peers.script("big-server.mjs");

    PeerProcess.Result direct = PeerProcess.run(join(client, server), work, "direct", LIMIT).assertSucceeded();
    PeerProcess.Result proxied = PeerProcess.run(join(client, proxy.prefix(), server), work, "proxied", LIMIT).assertSucceeded();

    List<JsonNode> expected = answers(direct);
    List<JsonNode> actual = answers(proxied);
    assertThat(expected).extracting(a -> a.path("textBytes").asLong()).containsExactly(20_000_000L, 60_000_000L);
    assertThat(expected.get(1).path("frameBytes").asLong()).isGreaterThan(60_000_000L);
    for (int i = 0; i < expected.size(); i++) {
      for (String field : List.of("frameBytes", "frameSha256", "textBytes", "textSha256")) {
        assertThat(actual.get(i).path(field)).as("%s of answer %d through %s", field, i, proxy)
            .isEqualTo(expected.get(i).path(field));
      }
    }
    assertThat(proxied.stderr()).doesNotContain("dropped", "exceeds");
  }

  private static List<JsonNode> answers(PeerProcess.Result run) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String line : run.stdoutText().strip().split("\n")) {
      out.add(json.readTree(line));
    }
    return out;
  }
}
