package io.github.mcppolicyproxy.process;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The child's stdout as a pipe of the proxy's own, read through a plain {@link FileInputStream}
 * (Linux). The JDK's pipe stream ({@code ProcessPipeInputStream}, a {@code BufferedInputStream})
 * asks the kernel how much is left ({@code fstat} and {@code ioctl(FIONREAD)}) after every read
 * that brings less than asked, which is every read of a small frame: two system calls per answer
 * that a relay does not need (measured: 11% of the answering thread's time). Its reaper also drains
 * the pipe into a buffer of its own when the child exits, which is why the JDK's stream cannot
 * simply be bypassed: here the JDK never holds the read end, so nothing but this stream reads it,
 * and the last bytes the child wrote are read in order like the others.
 *
 * <p>The pipe is made by {@link Pipe#open()}; the child gets its write end by path
 * ({@code /proc/self/fd/N}, which {@link ProcessBuilder.Redirect#to} opens in the parent and
 * closes after the spawn), and the proxy's copy of the write end is closed once the child runs, so
 * the stream ends when the child (and whatever inherited its stdout) has closed it. Where any of
 * this is not available (no {@code /proc}, a pipe that cannot be told apart), {@link #open()}
 * returns empty and the caller uses the JDK's pipe.
 */
final class StdoutPipe implements AutoCloseable {
  private static final Path FDS = Path.of("/proc/self/fd");

  private final Pipe pipe;
  private final int writeFd;
  private final int readFd;
  private InputStream in;

  private StdoutPipe(Pipe pipe, int writeFd, int readFd) {
    this.pipe = pipe;
    this.writeFd = writeFd;
    this.readFd = readFd;
  }

  /** A new pipe whose ends are known by number; empty where that cannot be found out for sure. */
  static Optional<StdoutPipe> open() {
    if (!Files.isDirectory(FDS)) {
      return Optional.empty();
    }
    Pipe pipe = null;
    StdoutPipe found = null;
    try {
      Map<Integer, String> before = pipes();
      pipe = Pipe.open();
      Map<Integer, String> after = pipes();
      // What is new (a number reused for another pipe counts as new): this pipe's two ends, which
      // name one inode, always are; another thread's pipe made meanwhile would make it ambiguous,
      // and then the JDK's pipe is used.
      after.entrySet().removeAll(before.entrySet());
      Map<String, List<Integer>> byPipe = new HashMap<>();
      after.forEach((fd, target) -> byPipe.computeIfAbsent(target, t -> new ArrayList<>()).add(fd));
      List<Integer> ends = byPipe.size() == 1 ? byPipe.values().iterator().next() : List.of();
      if (ends.size() == 2) {
        int a = ends.get(0);
        int b = ends.get(1);
        boolean aWrites = writes(a);
        if (aWrites != writes(b)) {
          found = aWrites ? new StdoutPipe(pipe, a, b) : new StdoutPipe(pipe, b, a);
        }
      }
      return Optional.ofNullable(found);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } finally {
      if (found == null && pipe != null) {
        closeBoth(pipe);
      }
    }
  }

  /** Where the child's stdout goes: the pipe's write end, by path. */
  File writeEnd() {
    return new File(FDS.toFile(), Integer.toString(writeFd));
  }

  /**
   * Once the child runs: opens the read end as a plain stream and closes the proxy's own
   * descriptors of the pipe (the write end, so that the stream ends with the child's output).
   */
  InputStream started() throws IOException {
    // Only the reads of FileInputStream: JDK 17's readAllBytes asks a file opened by path for its
    // position, which a pipe has not ("Illegal seek"); InputStream's own does not.
    in = new java.io.FilterInputStream(
        new FileInputStream(new File(FDS.toFile(), Integer.toString(readFd)))) {};
    closeBoth(pipe);
    return in;
  }

  /** Gives the pipe back: after a failed spawn, or to stop reading. */
  @Override
  public void close() {
    closeBoth(pipe);
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  private static void closeBoth(Pipe pipe) {
    try {
      pipe.sink().close();
    } catch (IOException ignored) {
      // closed already
    }
    try {
      pipe.source().close();
    } catch (IOException ignored) {
      // closed already
    }
  }

  /** The descriptors of this process that are pipes, with their {@code pipe:[inode]} name. */
  private static Map<Integer, String> pipes() throws IOException {
    Map<Integer, String> pipes = new HashMap<>();
    try (Stream<Path> fds = Files.list(FDS)) {
      for (Path p : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(p).toString();
          if (target.startsWith("pipe:[")) {
            pipes.put(Integer.parseInt(p.getFileName().toString()), target);
          }
        } catch (NoSuchFileException | NumberFormatException e) {
          // closed meanwhile (the listing's own descriptor among them), or not a descriptor
        }
      }
    }
    return pipes;
  }

  /** True when descriptor {@code fd} was opened for writing only ({@code flags} in fdinfo). */
  private static boolean writes(int fd) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(fd)))) {
      if (line.startsWith("flags:")) {
        int flags = Integer.parseInt(line.substring("flags:".length()).strip(), 8);
        return (flags & 3) == 1; // O_WRONLY
      }
    }
    throw new IOException("no flags for descriptor " + fd);
  }
}
