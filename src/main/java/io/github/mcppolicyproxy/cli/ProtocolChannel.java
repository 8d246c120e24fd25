package io.github.mcppolicyproxy.cli;

import java.io.FileDescriptor;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;

/**
 * Opens the stream that carries protocol frames. By default it is the process's stdout. The
 * launcher starts the JVM with the client's stdout on file descriptor 3 and fd 1 pointing at
 * stderr, and says so with {@code -Dmcp-policy-proxy.protocol-fd=3}: then whatever the JVM itself
 * prints on stdout before or beside {@code main} (JFR's start-up lines, {@code -verbose:gc},
 * {@code -XX:+PrintFlagsFinal}) lands on stderr, and only this stream reaches the client.
 */
final class ProtocolChannel {
  /** The system property naming the descriptor that carries frames. */
  static final String FD_PROPERTY = "mcp-policy-proxy.protocol-fd";

  private ProtocolChannel() {}

  /**
   * The protocol stream: fd 1, or the descriptor {@link #FD_PROPERTY} names.
   *
   * @throws IllegalStateException when the named descriptor cannot be opened
   */
  static OutputStream open() {
    String spec = System.getProperty(FD_PROPERTY);
    if (spec == null || spec.isBlank() || spec.equals("1")) {
      return new FileOutputStream(FileDescriptor.out);
    }
    int fd;
    try {
      fd = Integer.parseInt(spec.strip());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("-D" + FD_PROPERTY + "=" + spec + " is not a file descriptor number");
    }
    if (fd < 1) {
      throw new IllegalStateException("-D" + FD_PROPERTY + "=" + spec + " is not an output descriptor");
    }
    try {
      // The descriptor itself, whatever it is (a pipe, a socket, a file): the jar's manifest opens
      // java.io for this (Add-Opens), there is no public way to wrap a descriptor number.
      FileDescriptor d = new FileDescriptor();
      Field f = FileDescriptor.class.getDeclaredField("fd");
      f.setAccessible(true);
      f.setInt(d, fd);
      return new FileOutputStream(d);
    } catch (ReflectiveOperationException | RuntimeException e) {
      try {
        return new FileOutputStream("/dev/fd/" + fd); // a pipe or a file, not a socket
      } catch (FileNotFoundException e2) {
        throw new IllegalStateException("cannot open file descriptor " + fd
            + " for the protocol (" + e + "; /dev/fd/" + fd + ": " + e2.getMessage() + ")");
      }
    }
  }
}
