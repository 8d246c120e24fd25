package io.github.mcppolicyproxy.peers;

import static io.github.mcppolicyproxy.peers.NodePeers.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcppolicyproxy.peers.Transcript.Direction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Third-party MCP peers from npm see the same frames with and without the proxy under test: each
 * scenario runs once as client → wiretap → server and once as client → wiretap → proxy → wiretap
 * → server, and both proxied transcripts (what the client saw, what the server saw) must match
 * the direct one frame by frame, in order, byte for byte, in each direction.
 *
 * <p>Directions are compared separately: the proxy cannot reorder frames within one pipe, while
 * how the two pipes interleave depends on timing alone. The scenarios wait for what each step
 * causes, so each direction's sequence is the same on every run; the only value the server itself
 * varies is listed in {@link Transcript#NORMALISATIONS}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class TransparencyIT {

  private static final Duration LIMIT = Duration.ofSeconds(60);

  private static NodePeers peers;

  @TempDir Path work;

  @BeforeAll
  static void locatePeers() {
    peers = NodePeers.locate();
  }

  /**
   * A client run direct (one transcript) and through the proxy under test (a transcript on the
   * client's side of the proxy and one on the server's side).
   */
  private record Runs(Transcript direct, Transcript clientSide, Transcript serverSide,
                      PeerProcess.Result directRun, PeerProcess.Result proxiedRun) {

    /** Both sides of the proxy saw exactly what client and server saw without it. */
    void assertRelayedByteForByte() {
      assertRelayedByteForByte(UnaryOperator.identity());
    }

    void assertRelayedByteForByte(UnaryOperator<Transcript> compared) {
      assertSameFrames(compared.apply(direct), compared.apply(clientSide));
      assertSameFrames(compared.apply(direct), compared.apply(serverSide));
    }
  }

  /**
   * Runs {@code client} (a function of the server-side command) as client → wiretap → server and
   * as client → wiretap → proxy → wiretap → server, and returns the three transcripts.
   */
  private Runs directAndProxied(String name, Function<List<String>, List<String>> client, List<String> server) {
    ProxyUnderTest proxy = ProxyUnderTest.select(peers, work);
    Path directLog = work.resolve(name + ".direct.jsonl");
    Path clientSideLog = work.resolve(name + ".proxied-client-side.jsonl");
    Path serverSideLog = work.resolve(name + ".proxied-server-side.jsonl");
    PeerProcess.Result direct = PeerProcess.run(
        client.apply(join(peers.wiretap(directLog), server)), work, name + ".direct", LIMIT).assertSucceeded();
    PeerProcess.Result proxied = PeerProcess.run(
        client.apply(join(peers.wiretap(clientSideLog), proxy.prefix(), peers.wiretap(serverSideLog), server)),
        work, name + ".proxied", LIMIT).assertSucceeded();
    return new Runs(Transcript.read(directLog), Transcript.read(clientSideLog), Transcript.read(serverSideLog), direct, proxied);
  }

  private static void assertSameFrames(Transcript direct, Transcript proxied) {
    for (Direction direction : Direction.values()) {
      List<String> expected = direct.frames(direction);
      List<String> actual = proxied.frames(direction);
      for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
        if (!expected.get(i).equals(actual.get(i))) {
          throw new AssertionError(direction + " frame #" + i + " differs through the proxy ("
              + proxied.source() + " vs " + direct.source() + ")\n direct:  " + Transcript.show(expected.get(i))
              + "\n proxied: " + Transcript.show(actual.get(i)));
        }
      }
      assertThat(actual.size()).as("%s frames in %s vs direct %s", direction,
          proxied.source(), direct.source()).isEqualTo(expected.size());
    }
  }

  private static Function<List<String>, List<String>> tsClient(String scenario, String... options) {
    return server -> join(peers.script("ts-client.mjs", "--scenario", scenario), List.of(options), List.of("--"), server);
  }

  @Test
  void everythingScenarioIsRelayedByteForByte() {
    Runs runs = directAndProxied("everything", tsClient("everything"), peers.serverEverything());

    assertThat(runs.direct().frames(Direction.S2C))
        .anyMatch(f -> f.contains("\"method\":\"sampling/createMessage\""))
        .anyMatch(f -> f.contains("\"method\":\"elicitation/create\""))
        .anyMatch(f -> f.contains("\"method\":\"roots/list\""))
        .anyMatch(f -> f.contains("\"method\":\"notifications/progress\""))
        .anyMatch(f -> f.contains("\"method\":\"notifications/resources/updated\""))
        .anyMatch(f -> f.contains("\"method\":\"notifications/tools/list_changed\""));
    assertThat(runs.direct().frames(Direction.C2S)).anyMatch(f -> f.contains("\"method\":\"notifications/cancelled\""));
    runs.assertRelayedByteForByte();
  }

  @ParameterizedTest(name = "initialize at {0}")
  @ValueSource(strings = {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"})
  void handshakeAtEachProtocolVersionIsRelayedByteForByte(String version) {
    Runs runs = directAndProxied("handshake-" + version, tsClient("handshake", "--protocol", version), peers.serverEverything());

    assertThat(runs.direct().frames(Direction.S2C))
        .anyMatch(f -> f.contains("\"protocolVersion\":\"" + version + "\""));
    runs.assertRelayedByteForByte();
  }

  @Test
  void filesystemScenarioWithNonAsciiNamesIsRelayedByteForByte() throws IOException {
    Path root = Files.createDirectories(work.resolve("root ü"));
    Files.writeString(root.resolve("résumé 😀.txt"), "Grüße aus Zürich 😀\n", StandardCharsets.UTF_8);
    Files.write(root.resolve("pixel.png"), Base64.getDecoder().decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="));
    Files.writeString(Files.createDirectories(root.resolve("sous-dossier 日本")).resolve("a.txt"), "x", StandardCharsets.UTF_8);

    Runs runs = directAndProxied("filesystem", tsClient("filesystem", "--root", root.toString()), peers.serverFilesystem(root));

    assertThat(runs.direct().frames(Direction.S2C)).hasSizeGreaterThanOrEqualTo(8);
    runs.assertRelayedByteForByte();
  }

  @Test
  void serverToClientPingAndElicitationOfTheV2ServerLegacyPathAreRelayedByteForByte() {
    Runs runs = directAndProxied("v2server-legacy", tsClient("v2server-legacy", "--protocol", "2025-06-18"), peers.v2Server());

    assertThat(runs.direct().frames(Direction.S2C))
        .anyMatch(f -> f.startsWith("{\"method\":\"ping\""))
        .anyMatch(f -> f.contains("\"method\":\"elicitation/create\""));
    runs.assertRelayedByteForByte();
  }

  @Test
  void rawFramesNoSdkWouldSendAreRelayedByteForByte() throws IOException {
    Path script = peers.dir().resolve("raw/everything-2025-03-26.jsonl");
    Function<List<String>, List<String>> rawClient = server -> join(
        peers.script("raw-client.mjs", "--script", script.toString(), "--out", work.resolve("raw-" + server.size() + ".out").toString(), "--"),
        server);

    Runs runs = directAndProxied("raw", rawClient, peers.serverEverything());

    assertThat(runs.direct().frames(Direction.C2S))
        .anyMatch(f -> f.startsWith("[{"))
        .anyMatch(f -> f.contains("\"id\":1.10,"))
        .anyMatch(f -> f.contains("1e400"))
        .anyMatch(f -> f.contains("\"id\":null"));
    runs.assertRelayedByteForByte();
  }

  @Test
  void v2ClientAndServerAt20260728AreRelayedByteForByte() {
    Runs runs = directAndProxied("v2-pinned",
        server -> join(peers.script("v2-client.mjs", "--mode", "pin", "--scenario", "v2server", "--"), server), peers.v2Server());

    assertThat(runs.direct().frames(Direction.C2S).get(0)).contains("\"method\":\"server/discover\"");
    assertThat(runs.direct().frames(Direction.S2C)).anyMatch(f -> f.contains("\"resultType\":\"input_required\""));
    runs.assertRelayedByteForByte();
  }

  @Test
  void v2ClientProbeAndFallbackToInitializeAreRelayedByteForByte() {
    Runs runs = directAndProxied("v2-auto",
        server -> join(peers.script("v2-client.mjs", "--mode", "auto", "--scenario", "legacy", "--"), server), peers.serverEverything());

    assertThat(runs.direct().frames(Direction.C2S).get(0)).contains("\"method\":\"server/discover\"");
    assertThat(runs.direct().frames(Direction.C2S)).anyMatch(f -> f.contains("\"method\":\"initialize\""));
    runs.assertRelayedByteForByte();
  }

  @Test
  void inspectorCliToolsListIsTheSameThroughTheProxy() {
    Runs runs = directAndProxied("inspector",
        server -> join(peers.inspectorCli("--method", "tools/list", "--"), server), peers.serverEverything());

    assertThat(runs.proxiedRun().stdoutText()).contains("\"name\": \"echo\"").isEqualTo(runs.directRun().stdoutText());
    // server-everything asks for roots 350 ms after initialization; whether that request goes out
    // before the Inspector hangs up is timing, so frames after the last response are not compared.
    runs.assertRelayedByteForByte(Transcript::upToLastServerResponse);
  }
}
