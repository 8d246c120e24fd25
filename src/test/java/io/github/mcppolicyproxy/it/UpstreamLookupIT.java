package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default upstream ({@code uvx awslabs.aws-api-mcp-server@latest}) under the short PATH a GUI
 * client gives its servers: found where uv's installer puts it and said so, or, found nowhere,
 * the client's initialize is answered with the places tried and the install of uv.
 */
class UpstreamLookupIT {
  @TempDir
  Path home;

  private ProxyProcess proxy() throws Exception {
    Path policy = ProxyProcess.write(home, "policy.json", "{\"version\":\"1\",\"default\":\"allow\"}");
    return ProxyProcess.start(List.of("--policy", policy.toString(), "--violation-log",
            home.resolve("violations.jsonl").toString()),
        Map.of("PATH", "/usr/bin:/bin", "HOME", home.toString()), List.of("-Duser.home=" + home));
  }

  @Test
  void uvxFoundNowhereAnswersInitializeWithThePlacesTriedAndTheInstallOfUv() throws Exception {
    try (ProxyProcess p = proxy()) {
      JsonNode answer = p.initialize(Duration.ofSeconds(90));
      assertThat(answer.path("error").path("code").asInt()).isEqualTo(-32002);
      assertThat(answer.path("error").path("message").asText())
          .contains("cannot start upstream uvx: not found on the PATH (/usr/bin:/bin)")
          .contains(home.resolve(".local/bin").toString(), home.resolve(".cargo/bin").toString(),
              "/opt/homebrew/bin", "/usr/local/bin")
          .contains("curl -LsSf https://astral.sh/uv/install.sh | sh");
      p.closeStdin();
      assertThat(p.waitFor(Duration.ofSeconds(60))).isEqualTo(127);
    }
  }

  @Test
  void uvxInLocalBinIsUsedAndNamedOnStderr() throws Exception {
    Path uvx = Files.createDirectories(home.resolve(".local/bin")).resolve("uvx");
    // Stands in for uv's uvx: runs the stand-in server whatever the package asked for.
    Files.writeString(uvx, "#!/bin/sh\nexec '" + ProxyJar.java() + "' -cp '" + ProxyJar.path().toAbsolutePath()
        + "' " + ProxyProcess.STAND_IN + "\n");
    Files.setPosixFilePermissions(uvx, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (ProxyProcess p = proxy()) {
      JsonNode init = p.initialize(Duration.ofSeconds(90));
      assertThat(init.path("result").path("serverInfo").path("name").asText()).isNotEmpty();
      p.assertStderrContains("mcp-policy-proxy: uvx is not on the PATH; using " + uvx);
      p.closeStdin();
      assertThat(p.waitFor(Duration.ofSeconds(60))).isZero();
    }
  }
}
