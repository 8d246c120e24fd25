package io.github.mcppolicyproxy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The floor relay of the benchmark must be a relay: byte-exact both ways, the child's exit code. */
class FloorRelayTest {

  private static Process floor(String... command) throws Exception {
    List<String> argv = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), FloorRelay.class.getName(), "--"));
    argv.addAll(List.of(command));
    return new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  @Test
  void bytesPassThroughUnchangedAndTheClosedInputEndsTheChild() throws Exception {
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    sent.write("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n".getBytes("UTF-8"));
    sent.write(new byte[] {(byte) 0xff, (byte) 0xfe, 0, '\r', '\n'}); // not UTF-8, a NUL, a CR
    byte[] big = new byte[300_000]; // longer than one 64 KiB chunk
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) ('a' + i % 26);
    }
    sent.write(big);
    sent.write("\nunterminated tail".getBytes("UTF-8"));
    Process relay = floor("cat");
    CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(relay));
    try (OutputStream in = relay.getOutputStream()) {
      in.write(sent.toByteArray());
    }
    assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(sent.toByteArray());
    assertThat(relay.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(relay.exitValue()).isZero();
  }

  @Test
  void exitsWithTheChildsExitCode() throws Exception {
    Process relay = floor("sh", "-c", "echo done; exit 7");
    relay.getOutputStream().close();
    assertThat(new String(readAll(relay), "UTF-8")).isEqualTo("done\n");
    assertThat(relay.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(relay.exitValue()).isEqualTo(7);
  }

  private static byte[] readAll(Process p) {
    try (InputStream out = p.getInputStream()) {
      return out.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
