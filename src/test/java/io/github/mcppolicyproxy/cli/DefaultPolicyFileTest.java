package io.github.mcppolicyproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcppolicyproxy.policy.PolicyLoader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultPolicyFileTest {
  @TempDir
  Path home;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);

  @Test
  void theFirstStartCreatesTheUserFileFromTheBundledPolicyAndSaysWhere() throws Exception {
    Path file = DefaultPolicyFile.path(home);
    assertThat(DefaultPolicyFile.ensure(file, stderr)).isEqualTo(file);
    byte[] bundled;
    try (InputStream in = PolicyLoader.class.getResourceAsStream("/config/" + PolicyLoader.BUILTIN_DEFAULT)) {
      bundled = in.readAllBytes();
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(bundled);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("created the policy file " + file);
    assertThat(Files.list(file.getParent())).containsExactly(file);
  }

  @Test
  void anEditedUserFileIsNeverOverwritten() throws Exception {
    Path file = DefaultPolicyFile.path(home);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"version\":\"1\",\"default\":\"allow\"}");
    assertThat(DefaultPolicyFile.ensure(file, stderr)).isEqualTo(file);
    assertThat(Files.readString(file)).isEqualTo("{\"version\":\"1\",\"default\":\"allow\"}");
    assertThat(err.size()).isZero();
  }

  @Test
  void aHomeWhereTheFileCannotBeMadeFallsBackToTheBundledPolicyAndSaysWhy() throws Exception {
    Files.writeString(home.resolve(".mcp-policy-proxy"), "a file where the directory should be");
    Path file = DefaultPolicyFile.path(home);
    assertThat(DefaultPolicyFile.ensure(file, stderr)).isNull();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot create " + file)
        .contains("running the bundled config/aws-api-mcp-server.policy.json");
  }
}
