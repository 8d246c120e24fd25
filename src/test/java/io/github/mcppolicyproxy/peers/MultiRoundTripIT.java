package io.github.mcppolicyproxy.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcppolicyproxy.it.ProxyJar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 2026-07-28 multi round-trip call (input_required, then the same call again with
 * inputResponses) through the proxy with a limit of one call a minute on that tool: the retry
 * finishes the call the policy allowed, so it must not be charged again.
 */
class MultiRoundTripIT {
  private static NodePeers peers;

  @TempDir
  Path dir;

  @BeforeAll
  static void locate() {
    peers = NodePeers.locate();
  }

  @Test
  void theRetryOfAnInputRequiredCallTakesNoSecondPermit() throws Exception {
    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, "{\"version\":\"1\",\"default\":\"allow\",\"tools\":{\"confirm\":"
        + "{\"limits\":[{\"counter\":\"confirm\",\"window\":\"minute\",\"max\":1}]}}}",
        StandardCharsets.UTF_8);
    Path log = dir.resolve("violations.jsonl");
    List<String> command = new ArrayList<>(peers.script("v2-client.mjs", "--mode", "pin",
        "--scenario", "v2server", "--"));
    command.addAll(List.of(ProxyJar.java(), "-jar", ProxyJar.path().toString(), "--policy",
        policy.toString(), "--violation-log", log.toString(), "--"));
    command.addAll(peers.v2Server());

    PeerProcess.Result r = PeerProcess.run(command, dir, "v2-limited", Duration.ofSeconds(60));

    r.assertSucceeded();
    assertThat(r.stdoutText()).contains("input required");
    assertThat(Files.exists(log) ? Files.readAllLines(log) : List.<String>of())
        .as("no refusal (the session's summary is an event)")
        .allMatch(l -> l.contains("\"event\":\"session_summary\""));
  }
}
