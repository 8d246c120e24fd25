package io.github.mcppolicyproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtocolChannelTest {
  @TempDir
  Path dir;

  @AfterEach
  void clear() {
    System.clearProperty(ProtocolChannel.FD_PROPERTY);
  }

  @Test
  void framesGoToTheDescriptorTheLauncherNames() throws Exception {
    Path file = dir.resolve("frames");
    try (FileOutputStream held = new FileOutputStream(file.toFile())) {
      System.setProperty(ProtocolChannel.FD_PROPERTY, String.valueOf(descriptorNumber(file)));
      OutputStream out = ProtocolChannel.open();
      out.write("{\"jsonrpc\":\"2.0\"}\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    assertThat(Files.readString(file)).isEqualTo("{\"jsonrpc\":\"2.0\"}\n");
  }

  @Test
  void aDescriptorThatIsNotANumberIsRefusedWithTheProperty() {
    System.setProperty(ProtocolChannel.FD_PROPERTY, "three");
    assertThatThrownBy(ProtocolChannel::open).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("-Dmcp-policy-proxy.protocol-fd=three is not a file descriptor number");
  }

  @Test
  void stdinIsNotAnOutputDescriptor() {
    System.setProperty(ProtocolChannel.FD_PROPERTY, "0");
    assertThatThrownBy(ProtocolChannel::open).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is not an output descriptor");
  }

  /** The number of the descriptor this process holds open on {@code file} (Linux /proc). */
  private static int descriptorNumber(Path file) throws Exception {
    try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          if (Files.readSymbolicLink(fd).equals(file.toRealPath())) {
            return Integer.parseInt(fd.getFileName().toString());
          }
        } catch (java.io.IOException e) {
          // a descriptor closed meanwhile
        }
      }
    }
    throw new AssertionError("no descriptor open on " + file);
  }
}
