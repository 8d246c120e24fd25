package io.github.mcppolicyproxy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.aws.AwsCommandInspector;
import io.github.mcppolicyproxy.aws.AwsDefaults;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.policy.PolicyEngine;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import io.github.mcppolicyproxy.proxy.CallJudge;
import io.github.mcppolicyproxy.policy.ToolCall;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The first {@code call_aws} decisions of a fresh JVM, one by one (issue 14): an AWS session makes
 * tens of calls, so most of its decisions run in the interpreter or in code C1 has just compiled,
 * not in the steady state JMH measures. Builds the judge as the proxy does, runs its warm-up (as
 * the proxy's warm-up thread does), then times N decisions of new command texts over four services
 * in turn and prints the medians of calls 1-10, 11-50, 51-200, 201-1000 and beyond, the sum of the
 * first 50, the first 16 one by one and the warm-up's time. Run it with the launcher's JVM flags:
 * <pre>
 * java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn4m -cp target/test-classes:target/classes:$(cat cp.txt) \
 *     io.github.mcppolicyproxy.bench.FirstDecisions config/aws-api-mcp-server.policy.json 2000
 * </pre>
 * (cp.txt: {@code mvn -q dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test}).
 */
public final class FirstDecisions {
  private static final String[] COMMANDS = {
      "aws ec2 describe-instances --instance-ids i-%d --region us-west-2",
      "aws s3api list-objects-v2 --bucket b%d --prefix logs/ --max-items 10",
      "aws omics start-read-set-export-job --sequence-store-id %d --destination s3://genomics-exports/run/"
          + " --role-arn arn:aws:iam::1:role/r --sources readSetId=rs-1 --region us-east-1",
      "aws logs describe-log-groups --log-group-name-prefix g%d --region eu-west-1"};

  private FirstDecisions() {}

  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    PolicyEngine engine = new PolicyEngine(new PolicyLoader().load(Path.of(args[0])),
        new AwsCommandInspector(AwsDefaults.none()));
    CallJudge judge = new CallJudge(engine, Quota.inMemory(System::nanoTime, java.time.Clock.systemUTC()));
    long wallStart = System.nanoTime();
    long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    judge.warmUp();
    long warmCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart;
    long warmWall = System.nanoTime() - wallStart;
    int n = Integer.parseInt(args[1]);
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      ToolCall call = new ToolCall("call_aws", json.createObjectNode()
          .put("cli_command", String.format(COMMANDS[i % COMMANDS.length], i)));
      long t0 = System.nanoTime();
      judge.judge(call, "s");
      t[i] = System.nanoTime() - t0;
    }
    StringBuilder out = new StringBuilder();
    for (int[] b : new int[][] {{0, 10}, {10, 50}, {50, 200}, {200, 1000}, {1000, n}}) {
      if (b[0] >= n) {
        break;
      }
      long[] s = Arrays.copyOfRange(t, b[0], Math.min(b[1], n));
      Arrays.sort(s);
      out.append(String.format("calls %d-%d: median %.0f us; ", b[0] + 1, Math.min(b[1], n), s[s.length / 2] / 1000.0));
    }
    out.append(String.format("sum of the first 50: %.1f ms, of all %d: %.1f ms; warm-up %.1f ms (its CPU %.1f ms)",
        Arrays.stream(t, 0, Math.min(50, n)).sum() / 1e6, n, Arrays.stream(t).sum() / 1e6, warmWall / 1e6, warmCpu / 1e6));
    System.out.println(out);
    StringBuilder first = new StringBuilder("first 16, one by one (us):");
    for (int i = 0; i < Math.min(16, n); i++) {
      first.append(' ').append(t[i] / 1000);
    }
    System.out.println(first);
  }
}
