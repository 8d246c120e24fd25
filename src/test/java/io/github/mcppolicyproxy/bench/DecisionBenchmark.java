package io.github.mcppolicyproxy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.aws.AwsCommandInspector;
import io.github.mcppolicyproxy.aws.AwsDefaults;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.PolicyEngine;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import io.github.mcppolicyproxy.policy.Refusal;
import io.github.mcppolicyproxy.policy.ToolCall;
import io.github.mcppolicyproxy.policy.Verdict;
import io.github.mcppolicyproxy.proxy.CallJudge;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The policy decision with 1,000 rules: 400 exact tool names, 100 tool globs, 400 operation rules
 * over 40 services (exact and {@code svc:Prefix*}), 100 wildcard-service operation globs
 * ({@code *:VerbN*}), plus the rules a real policy has. Sampled, so the report gives p50 and p99.
 *
 * <p>Run: {@code mvn -q test-compile exec:exec@bench -Dbench=DecisionBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecisionBenchmark {
  private PolicyEngine engine;
  private CallJudge judge;
  private ToolCall plainTool;
  private ToolCall globTool;
  private ToolCall deniedTool;
  private ToolCall oneCommand;
  private ToolCall batch20;
  private ObjectMapper json;
  private long serial;

  @Setup
  public void setUp() throws Exception {
    json = new ObjectMapper();
    StringBuilder p = new StringBuilder("{\"version\":\"1\",\"default\":\"deny\",\"tools\":{");
    p.append("\"call_aws\":{},\"delete_everything\":{\"action\":\"deny\",\"reason\":\"no\"}");
    for (int i = 0; i < 400; i++) {
      p.append(",\"tool_").append(i).append("\":{\"limits\":[{\"counter\":\"t").append(i)
          .append("\",\"window\":\"minute\",\"max\":1000000000}]}");
    }
    for (int i = 0; i < 100; i++) {
      p.append(",\"family").append(i).append("_*\":{}");
    }
    p.append("},\"operations\":{\"*:List*\":{},\"*:Describe*\":{},\"*:Get*\":{},")
        .append("\"*:Delete*\":{\"action\":\"deny\"},\"iam:*\":{\"action\":\"deny\"},")
        .append("\"omics:StartReadSetExportJob\":{\"limits\":[{\"counter\":\"exports\",")
        .append("\"window\":\"minute\",\"max\":1000000000}],\"deny_if\":[{\"path\":")
        .append("\"params.destination\",\"op\":\"regex\",\"value\":")
        .append("\"(?!s3://(genomics-exports|lab-share)/).*\"}]}");
    for (int s = 0; s < 40; s++) {
      for (int k = 0; k < 10; k++) {
        p.append(",\"svc").append(s).append(k % 2 == 0 ? ":Operation" + k : ":Prefix" + k + "*")
            .append("\":{}");
      }
    }
    for (int i = 0; i < 100; i++) {
      p.append(",\"*:Verb").append(i).append("*\":{\"action\":\"require_approval\"}");
    }
    p.append("}}");
    Policy policy = new PolicyLoader().parse("bench", p.toString().getBytes(StandardCharsets.UTF_8));
    engine = new PolicyEngine(policy,
        new AwsCommandInspector(AwsDefaults.none()));
    judge = new CallJudge(engine, Quota.inMemory(System::nanoTime, java.time.Clock.systemUTC()));
    plainTool = new ToolCall("tool_217", json.readTree("{\"a\":1,\"b\":\"x\"}"));
    globTool = new ToolCall("family42_read", json.readTree("{}"));
    deniedTool = new ToolCall("unknown_tool", json.readTree("{}"));
    String export = "aws omics start-read-set-export-job --sequence-store-id 1234567890"
        + " --destination s3://genomics-exports/run/ --role-arn arn:aws:iam::1:role/r"
        + " --sources readSetId=rs-1 --region us-east-1";
    oneCommand = new ToolCall("call_aws", json.createObjectNode().put("cli_command", export));
    com.fasterxml.jackson.databind.node.ArrayNode cmds = json.createArrayNode();
    for (int i = 0; i < 19; i++) {
      cmds.add("aws ec2 describe-instances --instance-ids i-" + i + " --region us-west-2");
    }
    cmds.add(export);
    batch20 = new ToolCall("call_aws", json.createObjectNode().set("cli_command", cmds));
    check(judge.judge(plainTool, "s"), null);
    if (!(engine.decide(deniedTool) instanceof Verdict.Refuse)) {
      throw new IllegalStateException("unknown tool must be refused");
    }
    check(judge.judge(oneCommand, "s"), null);
    check(judge.judge(batch20, "s"), null);
    check(callAwsOneReadCommand(), null);
    check(callAwsOneCommandFreshText(), null);
  }

  private static void check(Refusal r, Object expected) {
    if (r != expected) {
      throw new IllegalStateException("unexpected decision: " + (r == null ? "allow" : r.agentText()));
    }
  }

  /** A tool named exactly, with a limit: rules, then quota. The headline number. */
  @Benchmark
  public Refusal exactToolWithLimit() {
    return judge.judge(plainTool, "s");
  }

  @Benchmark
  public Verdict toolMatchedByGlob() {
    return engine.decide(globTool);
  }

  @Benchmark
  public Verdict toolRefusedByDefault() {
    return engine.decide(deniedTool);
  }

  /** call_aws with one command: CLI parse, operation rules, a regex predicate, quota. */
  @Benchmark
  public Refusal callAwsOneCommand() {
    return judge.judge(oneCommand, "s");
  }

  /**
   * The issue 14 goal (≤ 2 µs p50): call_aws with one everyday read command, a new command text on
   * every call (so no memo of an earlier parse can answer), CLI parse, operation rules and quota;
   * building the call's arguments (one string and one object node) is included.
   */
  @Benchmark
  public Refusal callAwsOneReadCommand() {
    String command = "aws ec2 describe-instances --instance-ids i-" + (serial++)
        + " --region us-west-2";
    return judge.judge(new ToolCall("call_aws", json.createObjectNode().put("cli_command", command)),
        "s");
  }

  /** As {@link #callAwsOneCommand}, but a new command text on every call (the parse cannot be memoised). */
  @Benchmark
  public Refusal callAwsOneCommandFreshText() {
    String command = "aws omics start-read-set-export-job --sequence-store-id " + (serial++)
        + " --destination s3://genomics-exports/run/ --role-arn arn:aws:iam::1:role/r"
        + " --sources readSetId=rs-1 --region us-east-1";
    return judge.judge(new ToolCall("call_aws", json.createObjectNode().put("cli_command", command)),
        "s");
  }

  /** call_aws with a batch of 20 commands. */
  @Benchmark
  public Refusal callAwsBatchOf20() {
    return judge.judge(batch20, "s");
  }

}
