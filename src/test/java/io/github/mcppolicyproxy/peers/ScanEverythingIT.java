package io.github.mcppolicyproxy.peers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mcppolicyproxy.it.ScanIT;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code scan} against the reference server-everything: its starter policy loads and checks. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ScanEverythingIT {
  @TempDir
  Path dir;

  @Test
  void serverEverythingsToolsBecomeALoadableStarterPolicy() throws Exception {
    JsonNode root = ScanIT.scanAndCheck(dir, NodePeers.locate().serverEverything());
    assertThat(root.path("tools").size()).isGreaterThan(5);
    assertThat(root.has("operations")).as("no call_aws here").isFalse();
    root.path("tools").forEach(e -> assertThat(e.path("description").asText()).matches(
        "\\[(destructive|execute|write|read)\\] .+"));
  }
}
