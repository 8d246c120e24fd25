package io.github.mcppolicyproxy.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgvTest {
  private static final List<String> PRINT_ARGS = List.of("/bin/sh", "-c",
      "for a; do printf '[%s]' \"$a\"; done", "sh");

  @Test
  void argumentsTheCharsetCanCarryAreLeftAlone() {
    List<String> cmd = List.of("node", "server.js", "/data");
    assertThat(Argv.forChild(cmd, StandardCharsets.US_ASCII)).isSameAs(cmd);
  }

  @Test
  void nonAsciiArgumentsReachTheChildAsTheirExactUtf8BytesThroughAnAsciiOnlyScript()
      throws Exception {
    List<String> cmd = new java.util.ArrayList<>(PRINT_ARGS);
    cmd.addAll(List.of("-x", "--", "rootü 𝄞", "a'b\"c$HOME`x`", "trail\n", "%d\\n", ""));

    List<String> wrapped = Argv.forChild(cmd, StandardCharsets.US_ASCII);

    assertThat(wrapped.get(0)).isEqualTo("/bin/sh");
    assertThat(String.join(" ", wrapped).chars().allMatch(c -> c < 128)).isTrue();
    Process p = new ProcessBuilder(wrapped).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    assertThat(out).isEqualTo("[-x][--][rootü 𝄞][a'b\"c$HOME`x`][trail\n][%d\\n][]");
  }

  @Test
  void theWrappedCommandKeepsTheExitCode() throws Exception {
    List<String> wrapped = Argv.forChild(List.of("/bin/sh", "-c", "exit 7", "ü"),
        StandardCharsets.US_ASCII);
    assertThat(new ProcessBuilder(wrapped).start().waitFor()).isEqualTo(7);
  }
}
