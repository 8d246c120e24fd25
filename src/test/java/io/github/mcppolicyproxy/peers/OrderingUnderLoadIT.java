package io.github.mcppolicyproxy.peers;

import static io.github.mcppolicyproxy.peers.NodePeers.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.peers.Transcript.Direction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordering under load: 8 concurrent callers of the TS SDK 1.x client make 10,000 tool calls over
 * one connection through the proxy to server-everything, a tenth of them long runs whose progress
 * notifications interleave with the answers ({@code load-client.mjs}). With a wiretap on each side
 * of the proxy, every direction's frame sequence on the client's side equals, frame for frame and
 * byte for byte, the one on the server's side: nothing lost, duplicated or reordered. The client
 * itself checks that every answer matches its call and every progress notification arrived.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class OrderingUnderLoadIT {

  private static final int CALLS = 10_000;
  private static final int CALLERS = 8;
  /** Measured on 2 shared cores: about 5 s for the whole run, proxy start included. */
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @Test
  void tenThousandConcurrentCallsWithInterleavedProgressPassInOrderInBothDirections() throws IOException {
    NodePeers peers = NodePeers.locate();
    ProxyUnderTest proxy = ProxyUnderTest.select(peers, work);
    Path clientSideLog = work.resolve("client-side.jsonl");
    Path serverSideLog = work.resolve("server-side.jsonl");

    long started = System.nanoTime();
    PeerProcess.Result run = PeerProcess.run(join(
        peers.script("load-client.mjs", "--calls", "" + CALLS, "--callers", "" + CALLERS, "--progress-every", "10", "--"),
        peers.wiretap(clientSideLog), proxy.prefix(), peers.wiretap(serverSideLog), peers.serverEverything()),
        work, "load", LIMIT).assertSucceeded();
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("OrderingUnderLoadIT: %s through %s in %d ms%n", run.stdoutText().strip(), proxy, elapsedMs);

    JsonNode stats = JSON.readTree(run.stdoutText());
    assertThat(stats.path("calls").asInt()).isEqualTo(CALLS);
    assertThat(stats.path("progress").asInt()).isEqualTo(3 * CALLS / 10);
    Transcript clientSide = Transcript.read(clientSideLog);
    Transcript serverSide = Transcript.read(serverSideLog);
    for (Direction direction : Direction.values()) {
      assertSameSequence(direction, clientSide.frames(direction), serverSide.frames(direction));
    }
    assertEveryRequestAnsweredOnce(clientSide);
  }

  private static void assertSameSequence(Direction direction, List<String> clientSide, List<String> serverSide) {
    for (int i = 0; i < Math.min(clientSide.size(), serverSide.size()); i++) {
      if (!clientSide.get(i).equals(serverSide.get(i))) {
        throw new AssertionError(direction + " frame #" + i + " differs between the two sides of the proxy"
            + "\n client side: " + Transcript.show(clientSide.get(i)) + "\n server side: " + Transcript.show(serverSide.get(i)));
      }
    }
    assertThat(serverSide.size()).as("%s frames on the server's side vs the client's", direction).isEqualTo(clientSide.size());
  }

  /** The client's requests and the answers it got pair up one to one. */
  private static void assertEveryRequestAnsweredOnce(Transcript clientSide) {
    Map<String, Integer> requests = new HashMap<>();
    for (String frame : clientSide.frames(Direction.C2S)) {
      if (frame.contains("\"method\":") && !frame.contains("\"method\":\"notifications/")) {
        requests.merge(id(frame), 1, Integer::sum);
      }
    }
    Map<String, Integer> answers = new HashMap<>();
    int progress = 0;
    for (String frame : clientSide.frames(Direction.S2C)) {
      if (frame.contains("\"method\":\"notifications/progress\"")) {
        progress++;
      } else if (frame.contains("\"result\":") || frame.contains("\"error\":")) {
        answers.merge(id(frame), 1, Integer::sum);
      }
    }
    assertThat(requests.values()).as("requests sent twice").allMatch(n -> n == 1);
    assertThat(answers).as("answers per request id").isEqualTo(requests);
    assertThat(requests).hasSizeGreaterThan(CALLS);
    assertThat(progress).isEqualTo(3 * CALLS / 10);
  }

  private static String id(String frame) {
    try {
      JsonNode id = JSON.readTree(frame.getBytes(StandardCharsets.ISO_8859_1)).get("id");
      if (id == null) {
        throw new AssertionError("no id in " + Transcript.show(frame));
      }
      return id.toString();
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + Transcript.show(frame), e);
    }
  }
}
