package io.github.mcppolicyproxy.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The child's stdout read through the proxy's own pipe: real children, real pipes. */
class StdoutPipeTest {
  private final PrintStream stderr = new PrintStream(new ByteArrayOutputStream(), true);

  @BeforeEach
  void linuxOnly() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc");
  }

  private static long pipesOpen() throws Exception {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(p -> {
        try {
          return Files.readSymbolicLink(p).toString().startsWith("pipe:[");
        } catch (Exception e) {
          return false;
        }
      }).count();
    }
  }

  @Test
  void theChildsOutputArrivesWholeAndInOrderThroughTheOwnPipe() throws Exception {
    // 2 MiB of counted lines, read while they are written, then the child exits at once.
    String script = "i=0; while [ $i -lt 60000 ]; do echo \"line $i of the output, in order\"; "
        + "i=$((i+1)); done";
    MessageDigest want = MessageDigest.getInstance("SHA-256");
    long wantBytes = 0;
    for (int i = 0; i < 60000; i++) {
      byte[] line = ("line " + i + " of the output, in order\n").getBytes(StandardCharsets.US_ASCII);
      want.update(line);
      wantBytes += line.length;
    }
    String expected = HexFormat.of().formatHex(want.digest());
    ChildProcess child = ChildProcess.start(List.of("sh", "-c", script), Map.of(), stderr);
    assertThat(child.ownStdoutPipe()).isTrue();
    MessageDigest got = MessageDigest.getInstance("SHA-256");
    long gotBytes = 0;
    try (InputStream in = child.stdout()) {
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        got.update(buf, 0, n);
        gotBytes += n;
      }
    }
    assertThat(gotBytes).isEqualTo(wantBytes);
    assertThat(HexFormat.of().formatHex(got.digest())).isEqualTo(expected);
    assertThat(child.awaitExit(Duration.ofSeconds(30))).hasValue(0);
  }

  @Test
  void whatAChildWroteBeforeItExitedIsReadAfterItsExit() throws Exception {
    // 60,000 bytes fit the pipe: the child writes them all and exits before a byte is read. The
    // JDK's reaper would drain them into a buffer of its own at that moment; here nothing else
    // reads the pipe, so they must all be there, in order, and then the end.
    String script = "i=0; while [ $i -lt 2000 ]; do printf 'line %05d of 30 bytes.......\\n' $i; "
        + "i=$((i+1)); done";
    StringBuilder want = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      want.append(String.format("line %05d of 30 bytes.......\n", i));
    }
    assertThat(want.length()).isEqualTo(60000);
    ChildProcess child = ChildProcess.start(List.of("sh", "-c", script), Map.of(), stderr);
    assertThat(child.ownStdoutPipe()).isTrue();
    assertThat(child.awaitExit(Duration.ofSeconds(30))).hasValue(0);
    try (InputStream in = child.stdout()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(want.toString());
    }
  }

  @Test
  void lastBytesOfAChildThatExitsAtOnceAreNeverLost() throws Exception {
    for (int round = 0; round < 40; round++) {
      ChildProcess child = ChildProcess.start(List.of("printf", "first\\nlast " + round),
          Map.of(), stderr);
      try (InputStream in = child.stdout()) {
        if (round % 2 == 0) {
          child.awaitExit(Duration.ofSeconds(10)); // read after the exit, or while it exits
        }
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo("first\nlast " + round);
      }
      child.stop(Duration.ofSeconds(1));
    }
  }

  @Test
  void theChildHoldsNoDescriptorOfThePipeButItsStdout() throws Exception {
    // The shell lists its own descriptors: 0, 1, 2 only (the read end must not leak into the child,
    // or the stream would never end; the proxy's copy of the write end must not stay open either).
    ChildProcess child = ChildProcess.start(List.of("sh", "-c", "ls /proc/$$/fd"), Map.of(), stderr);
    assertThat(child.ownStdoutPipe()).isTrue();
    try (InputStream in = child.stdout()) {
      String fds = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
      assertThat(fds.split("\\s+")).containsExactly("0", "1", "2");
    }
    assertThat(child.awaitExit(Duration.ofSeconds(10))).hasValue(0);
  }

  @Test
  void closingTheStreamGivesBothDescriptorsBack() throws Exception {
    long before = pipesOpen();
    for (int i = 0; i < 20; i++) {
      ChildProcess child = ChildProcess.start(List.of("echo", "hello"), Map.of(), stderr);
      try (InputStream in = child.stdout()) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello\n");
      }
      child.stop(Duration.ofSeconds(1));
      child.stdin().close();
    }
    // stdin and stderr are the JDK's pipes (closed by stop and the drain); stdout is ours, closed
    // above: nothing accumulates over twenty children
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (pipesOpen() > before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(pipesOpen()).isLessThanOrEqualTo(before);
  }

  @Test
  void aFailedSpawnGivesThePipeBack() throws Exception {
    long before = pipesOpen();
    for (int i = 0; i < 10; i++) {
      try {
        ChildProcess.start(List.of("/nonexistent/upstream-" + i), Map.of(), stderr);
      } catch (UpstreamStartException expected) {
        assertThat(expected.getMessage()).contains("cannot start upstream");
      }
    }
    assertThat(pipesOpen()).isLessThanOrEqualTo(before);
  }

  @Test
  void thePropertyChoosesTheJdksPipe() throws Exception {
    System.setProperty(ChildProcess.JDK_PIPE_PROPERTY, "true");
    try {
      ChildProcess child = ChildProcess.start(List.of("printf", "a\\nb"), Map.of(), stderr);
      assertThat(child.ownStdoutPipe()).isFalse();
      try (InputStream in = child.stdout()) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("a\nb");
      }
    } finally {
      System.clearProperty(ChildProcess.JDK_PIPE_PROPERTY);
    }
  }

  @Test
  void anOpenedPipeNamesItsWriteEnd() throws Exception {
    StdoutPipe p = StdoutPipe.open().orElseThrow();
    try {
      String target = Files.readSymbolicLink(p.writeEnd().toPath()).toString();
      assertThat(target).startsWith("pipe:[");
      String flags = Files.readAllLines(Path.of("/proc/self/fdinfo", p.writeEnd().getName()))
          .stream().filter(l -> l.startsWith("flags:")).findFirst().orElseThrow();
      assertThat(Integer.parseInt(flags.substring(6).strip(), 8) & 3).isEqualTo(1);
    } finally {
      p.close();
    }
  }
}
