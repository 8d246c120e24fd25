package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.approval.ApprovalsDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The person's side of out-of-band approval, run from another terminal of the user who runs the
 * proxy: {@code approvals} lists held calls, {@code approve ID} and {@code deny ID [--reason TEXT]}
 * decide one. Exit codes: 0 done, 1 no such held call, 2 the directory cannot be used.
 */
final class ApprovalCommands {
  private ApprovalCommands() {}

  /** Options every approval subcommand shares. */
  abstract static class Base implements Callable<Integer> {
    @ParentCommand
    Commands.ProxyCommand parent;

    @Option(names = "--approvals-dir", paramLabel = "DIR",
        description = "The directory of held calls (default: ~/.mcp-policy-proxy/approvals).")
    Path dir;

    PrintStream out() {
      return new PrintStream(parent.stdout(), true, StandardCharsets.UTF_8);
    }

    ApprovalsDirectory open() throws IOException {
      return ApprovalsDirectory.open(dir == null ? ApprovalOptions.defaultDir() : dir,
          Wiring.mapper());
    }

    @Override
    public Integer call() {
      try {
        return run(open());
      } catch (IOException | IllegalArgumentException e) {
        parent.stderr().println("mcp-policy-proxy: " + e.getMessage());
        return Cli.EXIT_USAGE;
      }
    }

    abstract int run(ApprovalsDirectory d) throws IOException;
  }

  @Command(name = "approvals", mixinStandardHelpOptions = true,
      description = "Lists the calls held for approval: ID, session, tool, AWS operations,"
          + " arguments (shortened), age.")
  static final class List extends Base {
    @Override
    int run(ApprovalsDirectory d) throws IOException {
      PrintStream out = out();
      java.util.List<JsonNode> held = new ArrayList<>();
      for (String id : d.heldIds()) {
        d.readRequest(id).ifPresent(held::add);
      }
      held.sort(Comparator.comparing(r -> r.path("created").asText()));
      Instant now = Instant.now();
      for (JsonNode r : held) {
        java.util.List<String> ops = new ArrayList<>();
        r.path("operations").forEach(o -> ops.add(o.asText()));
        long age = Duration.between(Instant.parse(r.path("created").asText()), now).toSeconds();
        out.println(String.join("  ", r.path("id").asText(), r.path("session").asText(),
            r.path("tool").asText(), ops.isEmpty() ? "-" : String.join(",", ops),
            r.path("arguments_view").asText(), Math.max(0, age) + "s"));
      }
      if (held.isEmpty()) {
        parent.stderr().println("mcp-policy-proxy: no calls are held in " + d.path());
      }
      return 0;
    }
  }

  /** approve and deny: one decision on one held call. */
  abstract static class Decide extends Base {
    @Parameters(index = "0", paramLabel = "ID", description = "The held call's ID (see approvals).")
    String id;

    abstract String decision();

    String reason() {
      return null;
    }

    @Override
    int run(ApprovalsDirectory d) throws IOException {
      JsonNode request = d.readRequest(id).orElse(null);
      if (request == null) {
        parent.stderr().println("mcp-policy-proxy: no call is held as " + id + " in " + d.path()
            + " (decided already, timed out, or never held)");
        return 1;
      }
      ObjectNode answer = Wiring.mapper().createObjectNode();
      answer.put("id", id);
      answer.put("digest", request.path("digest").asText());
      answer.put("decision", decision());
      if (reason() != null) {
        answer.put("reason", reason());
      }
      answer.put("by", System.getProperty("user.name"));
      answer.put("pid", ProcessHandle.current().pid());
      answer.put("time", Instant.now().toString());
      d.writeAnswer(id, answer);
      out().println((decision().equals("approve") ? "approved " : "denied ") + id + ": "
          + request.path("tool").asText() + " " + request.path("arguments_view").asText());
      return 0;
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Approves one held call: it is forwarded once.")
  static final class Approve extends Decide {
    @Override
    String decision() {
      return "approve";
    }
  }

  @Command(name = "deny", mixinStandardHelpOptions = true,
      description = "Denies one held call: the agent is told it was declined (approval_declined).")
  static final class Deny extends Decide {
    @Option(names = "--reason", paramLabel = "TEXT", description = "Told to the agent.")
    String reason;

    @Override
    String decision() {
      return "deny";
    }

    @Override
    String reason() {
      return reason;
    }
  }
}
