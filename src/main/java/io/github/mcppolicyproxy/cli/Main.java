package io.github.mcppolicyproxy.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The entry point. Takes stdout (or the descriptor the launcher reserved for frames, see {@link
 * ProtocolChannel}) for the protocol before anything else can write to it: from here on {@code
 * System.out} is stderr, and only the proxy's frame writer holds the protocol stream.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    LocaleData.rootUnlessChosen(); // before anything reads locale data
    PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
        StandardCharsets.UTF_8);
    OutputStream protocolOut;
    try {
      protocolOut = new BufferedOutputStream(ProtocolChannel.open(), 64 * 1024);
    } catch (IllegalStateException e) {
      stderr.println("mcp-policy-proxy: " + e.getMessage() + "; nothing was started.");
      System.exit(Cli.EXIT_USAGE);
      return;
    }
    System.setOut(stderr);
    System.setErr(stderr);
    int code = new Cli(new FileInputStream(FileDescriptor.in), protocolOut, stderr)
        .run(io.github.mcppolicyproxy.process.Argv.recover(args));
    stderr.flush();
    System.exit(code);
  }
}
