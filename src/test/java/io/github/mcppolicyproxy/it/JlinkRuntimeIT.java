package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under {@code mvn -Pjlink verify} every end-to-end test starts the proxy with the container's
 * jlink runtime ({@code proxy.java}); this one proves that runtime is the trimmed one and that the
 * proxy, the policy engine and the stand-in run on it. Skipped without the profile.
 */
class JlinkRuntimeIT {
  @TempDir
  Path dir;

  @Test
  void theTrimmedRuntimeRunsTheProxyAndRefusesWhatThePolicyRefuses() throws Exception {
    String java = System.getProperty("proxy.java", "");
    assumeTrue(!java.isBlank(), "runs with -Pjlink only");
    Path home = Path.of(java).getParent().getParent();
    String release = Files.readString(home.resolve("release"), StandardCharsets.UTF_8);
    // java.net.http is in: the opt-in OTLP exporter (--otlp-endpoint) sends with the JDK's client
    assertThat(release).contains("java.base").contains("java.net.http")
        .doesNotContain("jdk.compiler").doesNotContain("jdk.httpserver");
    assertThat(home.resolve("lib/server/classes.jsa")).exists();
    Path policy = ProxyProcess.write(dir, "policy.json", "{\"version\":\"1\",\"default\":\"deny\","
        + "\"tools\":{\"suggest_aws_commands\":{}}}");
    List<String> args = new ArrayList<>(List.of("--policy", policy.toString(), "--violation-log",
        dir.resolve("v.jsonl").toString(), "--"));
    args.addAll(ProxyProcess.standIn());
    try (ProxyProcess p = ProxyProcess.start(args)) {
      assertThat(p.initialize(Duration.ofSeconds(90)).path("result").path("serverInfo").path("name").asText()).isNotEmpty();
      JsonNode refused = p.callTool(1, "call_aws", "{\"cli_command\":\"aws s3 ls\"}");
      assertThat(refused.path("result").path("isError").asBoolean()).isTrue();
      p.closeStdin();
      assertThat(p.waitFor(Duration.ofSeconds(60))).isZero();
    }
    assertThat(Files.readString(dir.resolve("v.jsonl"))).contains("\"tool\":\"call_aws\"");
  }
}
