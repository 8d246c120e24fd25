package io.github.mcppolicyproxy.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLocatorTest {
  @TempDir
  Path home;

  private Path executable(Path dir, String name, String script) throws Exception {
    Files.createDirectories(dir);
    Path p = dir.resolve(name);
    Files.writeString(p, script, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  private CommandLocator stripped(String path) {
    return new CommandLocator(path, CommandLocator.fallbacks(home.toString(), Map.of(), false), false);
  }

  @Test
  void aProgramOnThePathIsLeftAsItIs() throws Exception {
    Path bin = home.resolve("on-path");
    executable(bin, "uvx", "#!/bin/sh\n");
    executable(home.resolve(".local/bin"), "uvx", "#!/bin/sh\n");
    CommandLocator.Located l = stripped(bin.toString()).locate(List.of("uvx", "server@latest"));
    assertThat(l.command()).containsExactly("uvx", "server@latest");
    assertThat(l.env()).isEmpty();
    assertThat(l.note()).isEmpty();
  }

  @Test
  void uvxMissingFromAStrippedPathIsTakenFromLocalBinAndSaidSo() throws Exception {
    Path uvx = executable(home.resolve(".local/bin"), "uvx", "#!/bin/sh\n");
    executable(home.resolve(".cargo/bin"), "uvx", "#!/bin/sh\n");
    CommandLocator.Located l = stripped("/nonexistent").locate(List.of("uvx", "server@latest"));
    assertThat(l.command()).containsExactly(uvx.toString(), "server@latest");
    assertThat(l.env()).containsEntry("PATH", "/nonexistent" + File.pathSeparator + home.resolve(".local/bin"));
    assertThat(l.note()).hasValueSatisfying(n -> assertThat(n)
        .isEqualTo("uvx is not on the PATH; using " + uvx + " (and adding " + home.resolve(".local/bin")
            + " to the upstream's PATH)"));
  }

  @Test
  void cargoBinIsTriedAfterLocalBin() throws Exception {
    Path uvx = executable(home.resolve(".cargo/bin"), "uvx", "#!/bin/sh\n");
    assertThat(stripped("").locate(List.of("uvx")).command()).containsExactly(uvx.toString());
  }

  @Test
  void aFileThatIsNotExecutableDoesNotCount() throws Exception {
    Files.createDirectories(home.resolve(".local/bin"));
    Files.writeString(home.resolve(".local/bin/uvx"), "not a program");
    assertThatThrownBy(() -> stripped("/nonexistent").locate(List.of("uvx")))
        .isInstanceOf(UpstreamStartException.class);
  }

  @Test
  void uvxFoundNowhereNamesEveryPlaceTriedAndTheInstallOfUv() {
    assertThatThrownBy(() -> stripped("/nonexistent").locate(List.of("uvx", "server@latest")))
        .isInstanceOfSatisfying(UpstreamStartException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(127);
          assertThat(e.getMessage())
              .startsWith("cannot start upstream uvx: not found on the PATH (/nonexistent) nor in ")
              .contains(home.resolve(".local/bin").toString(), home.resolve(".cargo/bin").toString(),
                  "/opt/homebrew/bin", "/usr/local/bin")
              .contains("curl -LsSf https://astral.sh/uv/install.sh | sh");
        });
  }

  @Test
  void npxFoundNowhereSaysItComesWithNode() {
    assertThatThrownBy(() -> stripped("/nonexistent").locate(List.of("npx", "-y", "x")))
        .hasMessageContaining("Node.js 20+");
  }

  @Test
  void windowsShimsWithExeOrCmdAreFound() throws Exception {
    Path shim = home.resolve(".local/bin/uvx.cmd");
    Files.createDirectories(shim.getParent());
    Files.writeString(shim, "@echo off\r\n");
    CommandLocator windows = new CommandLocator("",
        CommandLocator.fallbacks(home.toString(), Map.of(), true), true);
    assertThat(windows.locate(List.of("uvx")).command()).containsExactly(shim.toString());
    assertThatThrownBy(() -> windows.locate(List.of("npx")))
        .hasMessageNotContaining("/opt/homebrew/bin");
  }

  @Test
  void aPathOrAnAbsoluteProgramIsNotSearched() throws Exception {
    assertThat(stripped("").locate(List.of("./server.sh")).command()).containsExactly("./server.sh");
    assertThat(stripped("").locate(List.of("/usr/bin/env", "x")).note()).isEmpty();
  }

  @Test
  void theChildStartedFromAFallbackDirectoryRunsWithThatDirectoryOnItsPath() throws Exception {
    Path bin = home.resolve(".local/bin");
    executable(bin, "uvx", "#!/bin/sh\nprintf '%s' \"$PATH\" >&2\nexit 3\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    ChildProcess child = ChildProcess.start(List.of("uvx"), Map.of(), stderr, stripped("/usr/bin:/bin"));
    assertThat(child.awaitExit(Duration.ofSeconds(20))).hasValue(3);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("mcp-policy-proxy: uvx is not on the PATH; using " + bin.resolve("uvx"))
        .contains("\n/usr/bin:/bin:" + bin + "\n");
  }
}
