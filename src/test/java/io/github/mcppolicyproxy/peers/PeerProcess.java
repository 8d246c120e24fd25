package io.github.mcppolicyproxy.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one peer command to completion within a time limit, keeping its stdout and stderr in files. */
public final class PeerProcess {

  private PeerProcess() {}

  /** What a finished command left behind. */
  public record Result(List<String> command, int exitCode, byte[] stdout, String stderr) {
    public Result {
      command = List.copyOf(command);
    }

    /** Stdout as UTF-8 text. */
    public String stdoutText() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    /** Fails unless the command exited 0. */
    public Result assertSucceeded() {
      if (exitCode != 0) {
        throw new AssertionError("exit code " + exitCode + " from " + String.join(" ", command)
            + "\n--- stderr ---\n" + stderr + "\n--- stdout ---\n" + stdoutText());
      }
      return this;
    }
  }

  /**
   * Runs {@code command} in {@code workDir} with stdin closed; kills it and its descendants and
   * fails when it outlives {@code limit}.
   */
  public static Result run(List<String> command, Path workDir, String name, Duration limit) {
    Path out = workDir.resolve(name + ".stdout");
    Path err = workDir.resolve(name + ".stderr");
    try {
      Process process = new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError(name + " did not finish within " + limit + ": " + String.join(" ", command)
            + "\n--- stderr ---\n" + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(command, process.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + name, e);
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
