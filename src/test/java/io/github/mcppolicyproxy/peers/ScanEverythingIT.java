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
    // its annotations: openWorldHint on a write (it fetches a URL) makes it an execute, and a
    // closed-world read stays a read with its hints named
    assertThat(root.path("tools").path("gzip-file-as-resource").path("description").asText())
        .startsWith("[execute] annotations: not read-only, not destructive").contains("open world");
    assertThat(root.path("tools").path("get-sum").path("description").asText())
        .isEqualTo("[read] annotations: readOnlyHint, idempotent, closed world");
  }
}
