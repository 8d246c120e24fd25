package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.jsonrpc.FrameReader;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import io.github.mcppolicyproxy.process.ChildProcess;
import io.github.mcppolicyproxy.proxy.ProxyConfig;
import io.github.mcppolicyproxy.proxy.ProxySession;
import io.github.mcppolicyproxy.proxy.RefusalStyle;
import io.github.mcppolicyproxy.proxy.UpstreamQueue;
import io.github.mcppolicyproxy.standin.StandInServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * A scripted agent session through the real proxy pipeline (the same {@link ProxySession} the
 * proxy runs), against the stand-in AWS API MCP server started as a real child process, with the
 * seed policy. Prints to stdout: this is a command for people, not a protocol session.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Runs a scripted agent session through the real proxy against a built-in"
        + " stand-in of the AWS API MCP server, with the seed policy, and prints what happens.")
final class DemoCommand implements Callable<Integer> {
  @ParentCommand
  Commands.ProxyCommand parent;

  @Option(names = "--successor", description = "Play the session against a stand-in of the AWS MCP"
      + " Server (the successor, tools prefixed aws___) with config/aws-mcp-server.policy.json.")
  boolean successor;

  @Override
  public Integer call() throws Exception {
    PrintStream out = new PrintStream(parent.stdout(), true, StandardCharsets.UTF_8);
    ObjectMapper mapper = Wiring.mapper();
    String policyName = successor ? "aws-mcp-server.policy.json" : "seed.policy.json";
    Policy policy = new PolicyLoader().loadBuiltin(policyName);
    Path logFile = Files.createTempFile("mcp-policy-proxy-demo-", ".jsonl");
    ViolationLog log = Wiring.log(logFile.toString(), parent.stderr(), mapper, false);
    List<String> standIn = new java.util.ArrayList<>(List.of(Path.of(System.getProperty(
        "java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
        StandInServer.class.getName()));
    if (successor) {
      standIn.add("--successor");
    }
    ChildProcess child = ChildProcess.start(standIn, Map.of(), parent.stderr());
    ProxyConfig config = new ProxyConfig("demo", ProxyConfig.DEFAULT_MAX_FRAME_BYTES,
        ProxyConfig.DEFAULT_MAX_PENDING, UpstreamQueue.DEFAULT_MAX_BYTES, RefusalStyle.RESULT,
        Duration.ofSeconds(1), false, false,
        Clock.systemUTC(), parent.stderr());

    PipedOutputStream clientWrites = new PipedOutputStream();
    PipedInputStream proxyReads = new PipedInputStream(clientWrites, 1 << 16);
    PipedOutputStream proxyWrites = new PipedOutputStream();
    PipedInputStream clientReads = new PipedInputStream(proxyWrites, 1 << 20);
    ProxySession session = new ProxySession(proxyReads, proxyWrites, child,
        Wiring.judge(policy, System.getenv()), log, config, mapper);
    Thread proxy = new Thread(() -> {
      try {
        session.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "demo-proxy");
    proxy.start();
    BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      FrameReader r = new FrameReader(clientReads, ProxyConfig.DEFAULT_MAX_FRAME_BYTES);
      try {
        r.forEach(frame -> answers.add(mapper.readTree(frame)));
      } catch (IOException e) {
        // the proxy closed its side
      }
    }, "demo-client-reader");
    reader.setDaemon(true);
    reader.start();
    Script s = new Script(clientWrites, answers);

    out.println("mcp-policy-proxy demo: a scripted agent -> the proxy -> a stand-in of "
        + (successor ? "the AWS MCP Server (mcp-proxy-for-aws)" : "awslabs.aws-api-mcp-server")
        + " (child pid " + child.pid() + ")");
    JsonNode init = s.call("initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
        + "\"clientInfo\":{\"name\":\"demo-agent\",\"version\":\"1\"}}");
    if (successor) {
      out.println("Policy (config/" + policyName + "): reads allowed through aws___call_aws;"
          + " read-set exports 10 a minute, only to allow-listed buckets; deletes, IAM and credential"
          + " minting denied; other mutations need a person; aws___run_script denied.");
    } else {
      out.println("Policy (config/seed.policy.json):");
      out.println("  " + new String(PolicyLoader.class.getResourceAsStream("/config/seed.policy.json")
          .readAllBytes(), StandardCharsets.UTF_8).strip());
    }
    out.println();
    out.println("initialize  -> server " + init.path("result").path("serverInfo").path("name")
        .asText() + ", protocol " + init.path("result").path("protocolVersion").asText());
    s.notify("notifications/initialized");
    JsonNode list = s.call("tools/list", "{}");
    StringBuilder names = new StringBuilder();
    list.path("result").path("tools").forEach(t -> names.append(names.length() == 0 ? "" : ", ")
        .append(t.path("name").asText()));
    if (successor) {
      out.println("tools/list  -> the agent sees: " + names + "   (aws___run_script is removed: denied)");
      out.println();
      successorSession(s, out);
    } else {
      out.println("tools/list  -> the agent sees: " + names
          + "   (call_aws and suggest_aws_commands are removed: default deny)");
      out.println();
      seedSession(s, out);
    }
    clientWrites.close();
    proxy.join(5000);
    out.println("Violation log (" + logFile + "), one JSON object per refusal, then the"
        + " session's summary:");
    for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
      out.println("  " + line);
    }
    out.println();
    out.println("The upstream never saw the refused calls. Run it for real:");
    out.println(successor
        ? "  bin/mcp-policy-proxy --policy config/aws-mcp-server.policy.json -- uvx"
            + " mcp-proxy-for-aws@latest https://aws-mcp.us-east-1.api.aws/mcp"
        : "  bin/mcp-policy-proxy --policy config/aws-api-mcp-server.policy.json -- uvx"
            + " awslabs.aws-api-mcp-server@latest");
    Files.deleteIfExists(logFile);
    return 0;
  }

  /** The seed's scenario: ten exports a minute, the eleventh refused; call_aws denied by default. */
  private static void seedSession(Script s, PrintStream out) throws Exception {
    for (int i = 1; i <= 11; i++) {
      JsonNode r = s.call("tools/call", "{\"name\":\"StartAHOReadSetExportJob\",\"arguments\":{"
          + "\"sequence_store_id\":\"1234567890\",\"destination_s3_uri\":\"s3://genomics-exports/run-"
          + i + "/\",\"role_arn\":\"arn:aws:iam::123456789012:role/OmicsExport\","
          + "\"read_set_ids\":[\"rs-" + i + "\"]}}");
      out.printf("StartAHOReadSetExportJob #%-2d -> %s%n", i, s.describe(r));
    }
    out.println();
    JsonNode aws = s.call("tools/call", "{\"name\":\"call_aws\",\"arguments\":{"
        + "\"cli_command\":\"aws s3api delete-bucket --bucket prod-data\"}}");
    out.println("call_aws \"aws s3api delete-bucket --bucket prod-data\" -> " + s.describe(aws));
    out.println();
  }

  /** The successor's tools: operation rules inside aws___call_aws, and the script tool denied. */
  private static void successorSession(Script s, PrintStream out) throws Exception {
    String export = "aws omics start-read-set-export-job --sequence-store-id 1234567890"
        + " --role-arn arn:aws:iam::123456789012:role/OmicsExport --sources readSetId=rs-1"
        + " --destination ";
    for (String command : List.of("aws s3api list-buckets",
        export + "s3://genomics-exports/run-1/", export + "s3://elsewhere/run-1/",
        "aws s3api delete-bucket --bucket prod",
        "aws sts assume-role --role-arn arn:aws:iam::123456789012:role/Admin"
            + " --role-session-name agent")) {
      JsonNode r = s.call("tools/call", "{\"name\":\"aws___call_aws\",\"arguments\":{"
          + "\"cli_command\":\"" + command + "\"}}");
      out.println("aws___call_aws \"" + command + "\" -> " + s.describe(r));
    }
    JsonNode script = s.call("tools/call", "{\"name\":\"aws___run_script\",\"arguments\":{"
        + "\"script\":\"import boto3; boto3.client('s3').delete_bucket(Bucket='prod')\"}}");
    out.println("aws___run_script -> " + s.describe(script));
    out.println();
  }

  /** The scripted agent's side of the conversation. */
  private static final class Script {
    private final OutputStream to;
    private final BlockingQueue<JsonNode> from;
    private int nextId = 1;

    Script(OutputStream to, BlockingQueue<JsonNode> from) {
      this.to = to;
      this.from = from;
    }

    JsonNode call(String method, String params) throws IOException, InterruptedException {
      int id = nextId++;
      send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":"
          + params + "}");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        JsonNode n = from.poll(100, TimeUnit.MILLISECONDS);
        if (n != null && n.path("id").asInt(-1) == id && !n.has("method")) {
          return n;
        }
      }
      throw new IOException("no answer to " + method + " within 20 s");
    }

    void notify(String method) throws IOException {
      send("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\"}");
    }

    private void send(String frame) throws IOException {
      to.write((frame + "\n").getBytes(StandardCharsets.UTF_8));
      to.flush();
    }

    String describe(JsonNode answer) {
      JsonNode r = answer.path("result");
      String text = r.path("content").path(0).path("text").asText("");
      if (r.path("isError").asBoolean(false)) {
        return "REFUSED: " + text;
      }
      return "allowed: " + (text.length() > 90 ? text.substring(0, 90) + "..." : text);
    }
  }
}
