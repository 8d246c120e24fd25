package io.github.mcppolicyproxy.peers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.it.ProxyJar;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official TS SDK client behind the packaged proxy: when a policy reload changes the tools the
 * client may see, the client receives {@code notifications/tools/list_changed} and its next
 * {@code tools/list} is filtered by the new policy. The stand-in upstream declares
 * {@code tools: {}} without {@code listChanged}; the proxy declares it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ListChangedIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BEFORE = """
      {"version":"1","default":"deny","tools":{"standin_echo":{},"call_aws":{}}}
      """;
  private static final String AFTER = """
      {"version":"1","default":"deny","tools":{"standin_echo":{},"standin_notify":{},
        "call_aws":{"action":"deny","reason":"off for now"}}}
      """;

  @TempDir
  Path dir;

  @Test
  void aReloadThatChangesTheVisibleToolsReachesTheSdkClientAndItsNextList() throws Exception {
    NodePeers peers = NodePeers.locate();
    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, BEFORE, StandardCharsets.UTF_8);
    String java = ProxyJar.java();
    String jar = ProxyJar.path().toString();
    List<String> command = new ArrayList<>(peers.script("list-changed-client.mjs", "--", java,
        "-Dmcp-policy-proxy.policy-poll-ms=250", "-jar", jar, "--policy", policy.toString(),
        "--violation-log", dir.resolve("violations.jsonl").toString(), "--", java, "-cp", jar,
        "io.github.mcppolicyproxy.standin.StandInServer", "--test-tools"));
    Process client = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile())
        .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(client.getInputStream(),
          StandardCharsets.UTF_8))) {
        String l;
        while ((l = r.readLine()) != null) {
          lines.add(l);
        }
      } catch (java.io.IOException e) {
        // the client ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    try {
      JsonNode listed = JSON.readTree(next(lines, dir));
      assertThat(listed.path("step").asText()).isEqualTo("listed");
      assertThat(listed.path("before")).extracting(JsonNode::asText)
          .containsExactly("call_aws", "standin_echo");
      assertThat(listed.path("listChanged").asBoolean()).as("declared by the proxy").isTrue();

      Path tmp = dir.resolve(".policy.json.tmp");
      Files.writeString(tmp, AFTER, StandardCharsets.UTF_8);
      Files.move(tmp, policy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

      JsonNode changed = JSON.readTree(next(lines, dir));
      assertThat(changed.path("step").asText()).isEqualTo("changed");
      assertThat(changed.path("after")).extracting(JsonNode::asText)
          .containsExactly("standin_echo", "standin_notify");
      assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(client.exitValue()).isZero();
    } finally {
      client.descendants().forEach(ProcessHandle::destroyForcibly);
      client.destroyForcibly();
    }
  }

  private static String next(BlockingQueue<String> lines, Path dir) throws Exception {
    String l = lines.poll(60, TimeUnit.SECONDS);
    assertThat(l).as("a line from the client; its stderr:\n%s",
        Files.readString(dir.resolve("stderr.txt"))).isNotNull();
    return l;
  }
}
