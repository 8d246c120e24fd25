package io.github.mcppolicyproxy.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.audit.JsonLinesViolationLog;
import io.github.mcppolicyproxy.audit.Violation;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import io.github.mcppolicyproxy.policy.Refusal;
import io.github.mcppolicyproxy.policy.ToolCall;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log record of a refused (or, in monitor mode, would-be refused) call_aws call. */
class CallAwsRecordsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private JsonNode record(String policyJson, String cliCommand) throws Exception {
    Policy policy = new PolicyLoader().parse("p.json", policyJson.getBytes(UTF_8));
    ToolCall call = new ToolCall("call_aws",
        JSON.createObjectNode().put("cli_command", cliCommand));
    Refusal r = Wiring.judge(policy, Map.of("AWS_REGION", "us-east-1")).judge(call, "s");
    assertThat(r).as("refused").isNotNull();
    Path file = dir.resolve("v-" + System.nanoTime() + ".jsonl");
    JsonLinesViolationLog log = JsonLinesViolationLog.open(file,
        new PrintStream(new ByteArrayOutputStream(), true, UTF_8), JSON, false);
    log.append(new Violation(Instant.EPOCH, "s", "1", "call_aws", r,
        policy.mode() == Policy.Mode.ENFORCE, "0".repeat(64), List.of("cli_command"), null,
        policy.source(), policy.sha256()));
    log.close();
    return JSON.readTree(Files.readAllLines(file).get(0));
  }

  @Test
  void aMonitorModeRecordNamesTheOperationsWithoutAnOperationsBlock() throws Exception {
    JsonNode line = record("{\"version\":\"1\",\"default\":\"deny\",\"mode\":\"monitor\"}",
        "aws s3 rb s3://lab-data");

    assertThat(line.path("operations")).hasSize(1);
    assertThat(line.path("operations").get(0).asText()).isEqualTo("s3:DeleteBucket");
  }

  @Test
  void aDeniedCallAwsRecordNamesTheOperationsWithoutAnOperationsBlock() throws Exception {
    JsonNode line = record("{\"version\":\"1\",\"default\":\"allow\",\"tools\":{\"call_aws\":{"
        + "\"deny_if\":[{\"path\":\"args.cli_command\",\"op\":\"regex\",\"value\":\".*delete.*\"}]}}}",
        "aws ec2 delete-vpc --vpc-id vpc-1");

    assertThat(line.path("operations").get(0).asText()).isEqualTo("ec2:DeleteVpc");
  }
}
