package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.approval.ApprovalChannel;
import io.github.mcppolicyproxy.approval.ApprovalsDirectory;
import io.github.mcppolicyproxy.approval.OutOfBandApprovals;
import io.github.mcppolicyproxy.approval.RoutedApprovals;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/** The proxy's approval options: where a person is asked when the client cannot be. */
final class ApprovalOptions {
  @Option(names = "--approval-fallback", paramLabel = "refuse|out-of-band", defaultValue = "refuse",
      description = {"When a call needs approval and the client cannot be asked (no elicitation"
          + " capability, or inside a batch): refuse it (approval_unavailable; default) or hold it"
          + " for `mcp-policy-proxy approve|deny ID` from another terminal of this user."})
  String fallback;

  @Option(names = "--approval-via", paramLabel = "elicitation|out-of-band",
      defaultValue = "elicitation",
      description = "Ask the person at the client (default) or always out of band.")
  String via;

  @Option(names = "--approvals-dir", paramLabel = "DIR",
      description = {"The private directory (0700) of held calls. Default:",
          "~/.mcp-policy-proxy/approvals"})
  Path dir;

  /** The default directory of held calls. */
  static Path defaultDir() {
    return Path.of(System.getProperty("user.home"), ".mcp-policy-proxy", "approvals");
  }

  /**
   * The route for the session's approval channel; throws {@link IllegalArgumentException} for a
   * bad value and {@link IOException} for a directory that cannot be used.
   */
  UnaryOperator<ApprovalChannel> route(ObjectMapper mapper, PrintStream stderr)
      throws IOException {
    if (!fallback.equals("refuse") && !fallback.equals("out-of-band")) {
      throw new IllegalArgumentException("--approval-fallback must be refuse or out-of-band, not "
          + fallback);
    }
    if (!via.equals("elicitation") && !via.equals("out-of-band")) {
      throw new IllegalArgumentException("--approval-via must be elicitation or out-of-band, not "
          + via);
    }
    boolean first = via.equals("out-of-band");
    if (!first && fallback.equals("refuse")) {
      return UnaryOperator.identity();
    }
    ApprovalsDirectory directory = ApprovalsDirectory.open(dir == null ? defaultDir() : dir, mapper);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "out-of-band-approvals");
      t.setDaemon(true);
      return t;
    });
    OutOfBandApprovals outOfBand = new OutOfBandApprovals(directory, mapper, Clock.systemUTC(),
        timer, Duration.ofMillis(200), new SecureRandom(), stderr);
    stderr.println("mcp-policy-proxy: approvals " + (first ? "go" : "the client cannot answer go")
        + " out of band through " + directory.path());
    return client -> new RoutedApprovals(client, outOfBand, first);
  }
}
