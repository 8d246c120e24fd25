package io.github.mcppolicyproxy.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The training run of the start-up archive (static AppCDS: {@code -XX:DumpLoadedClassList}, then
 * {@code -Xshare:dump}): a real session, so that the classes a client's first frames need are
 * archived too, not only those of the start. The proxy runs in this JVM with the arguments given (a policy, and the stand-in as the
 * upstream: {@code -- mcp-policy-proxy stand-in}); a client in this JVM sends it {@code initialize},
 * {@code notifications/initialized}, {@code tools/list}, four {@code tools/call} (an AWS CLI
 * customization, an API operation, two refusals) and a {@code ping}, each after the answer to the
 * one before, then closes its side. Run by {@code mvn package} and by
 * the launcher's {@code build}; exits with the proxy's code.
 */
public final class ArchiveTraining {
  private static final List<String> FRAMES = List.of(
      "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
          + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"archive\",\"version\":\"1\"}}}",
      "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
      "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"call_aws\","
          + "\"arguments\":{\"cli_command\":\"aws s3 ls\"}}}",
      // an API operation (s3 ls above is a customization, read by another path) ...
      "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"call_aws\","
          + "\"arguments\":{\"cli_command\":\"aws ec2 describe-instances --instance-ids i-1 --region us-west-2\"}}}",
      // ... and two refusals (an operation's deny, the default deny of an unknown tool), whose
      // answers and log records are what a session's first refusal would otherwise load
      "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"call_aws\","
          + "\"arguments\":{\"cli_command\":\"aws iam delete-user --user-name archive\"}}}",
      "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"no_such_tool\","
          + "\"arguments\":{}}}",
      "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}");

  private ArchiveTraining() {}

  public static void main(String[] args) throws Exception {
    LocaleData.rootUnlessChosen(); // as Main does: the archive holds the classes a start loads
    PrintStream stderr = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err),
        true, StandardCharsets.UTF_8);
    PipedOutputStream toProxy = new PipedOutputStream();
    PipedInputStream proxyIn = new PipedInputStream(toProxy, 1 << 16);
    PipedInputStream fromProxy = new PipedInputStream(1 << 20);
    OutputStream proxyOut = new PipedOutputStream(fromProxy);
    CompletableFuture<Void> client = CompletableFuture.runAsync(() -> talk(toProxy, fromProxy));
    int code = new Cli(proxyIn, proxyOut, stderr).run(args);
    client.get(30, TimeUnit.SECONDS);
    // picocli reads every command line QuickParse leaves to it, at the start: its classes belong
    // in the archive too
    Commands.ProxyCommand quick = new Commands.ProxyCommand(null, null, null, null);
    if (QuickParse.fill(quick, args)) {
      QuickParse.verify(args, quick).ifPresent(why -> stderr.println("training: " + why));
    }
    stderr.flush();
    System.exit(code);
  }

  /** Sends each frame once the answer to the one before has come (a notification needs none). */
  private static void talk(OutputStream toProxy, PipedInputStream fromProxy) {
    try (toProxy) {
      BufferedReader answers = new BufferedReader(new InputStreamReader(fromProxy,
          StandardCharsets.UTF_8));
      for (String frame : FRAMES) {
        toProxy.write((frame + "\n").getBytes(StandardCharsets.UTF_8));
        toProxy.flush();
        if (frame.contains("\"id\":")) {
          String answer;
          do {
            answer = answers.readLine(); // skips what the upstream sends unasked
          } while (answer != null && !answer.contains("\"result\"") && !answer.contains("\"error\""));
          if (answer == null) {
            return;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
