package io.github.mcppolicyproxy.aws.differential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.mcppolicyproxy.aws.differential.Comparison.Finding;
import io.github.mcppolicyproxy.aws.differential.Comparison.Outcome;
import io.github.mcppolicyproxy.aws.differential.Comparison.Verdict;
import org.junit.jupiter.api.Test;

/**
 * The comparison on its own, with oracle answers written by hand for a command every parser
 * version reads the same way ({@code aws sts get-caller-identity}): what counts as a bypass.
 */
class ComparisonTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode COMMAND = new TextNode("aws sts get-caller-identity");
  private final Comparison comparison = new Comparison(OracleProcess.UPSTREAM_ENV);

  private static JsonNode answer(String calls, String region, String profile, String bound) throws Exception {
    return JSON.readTree("""
        {"id": 1, "items": [{"expanded": false, "runs": [{"text": "aws sts get-caller-identity",
          "kind": "operation", "status": "ran", "region": "%s", "effectiveProfile": "%s",
          "argNames": ["cli-input-json", "generate-cli-skeleton", "role-arn"], "positionals": [],
          "bound": %s, "ignored": {}, "calls": [%s]}]}]}
        """.formatted(region, profile, bound, calls));
  }

  private static String call(String service, String operation) {
    return """
        {"service": "%s", "signingName": "%s", "endpointPrefix": "%s", "operation": "%s",
         "region": "eu-west-1", "params": {}, "kind": "call"}""".formatted(service, service, service, operation);
  }

  @Test
  void theSameCallInTheSameRegionWithTheSameProfileIsAgreement() throws Exception {
    Outcome o = comparison.compare(COMMAND, answer(call("sts", "GetCallerIdentity"), "eu-west-1", "mcp-server", "{}"));
    assertThat(o.verdict()).isEqualTo(Verdict.BOTH_RAN);
    assertThat(o.findings()).noneMatch(Finding::failing);
  }

  @Test
  void aCallTheProxyDoesNotNameIsABypass() throws Exception {
    Outcome o = comparison.compare(COMMAND, answer(call("sts", "AssumeRole") + "," + call("sts", "GetCallerIdentity"),
        "eu-west-1", "mcp-server", "{}"));
    assertThat(o.verdict()).isEqualTo(Verdict.BYPASS);
    assertThat(o.findings()).anyMatch(f -> f.kind().equals(Finding.OPERATION_MISSING) && f.detail().contains("sts:AssumeRole"));
  }

  /** An oracle answer to {@code aws iot-data publish --topic t}, the call made to {@code service}. */
  private static JsonNode iotDataAnswer(String service, String signingName, String endpointPrefix)
      throws Exception {
    return JSON.readTree("""
        {"id": 1, "items": [{"expanded": false, "runs": [{"text": "aws iot-data publish --topic t",
          "kind": "operation", "status": "ran", "region": "eu-west-1", "effectiveProfile": "mcp-server",
          "argNames": ["cli-input-json", "generate-cli-skeleton", "topic"], "positionals": [],
          "bound": {"topic": "t"}, "ignored": {}, "calls": [{"service": "%s", "signingName": "%s",
          "endpointPrefix": "%s", "operation": "Publish", "region": "eu-west-1",
          "params": {"topic": "t"}, "kind": "call"}]}]}]}
        """.formatted(service, signingName, endpointPrefix));
  }

  @Test
  void aServiceWhoseIamPrefixIsNoneOfItsBotocoreNamesIsNamedByThatPrefix() throws Exception {
    JsonNode command = new TextNode("aws iot-data publish --topic t");
    // IoT's data plane signs as iotdata at data-ats.iot, and IAM authorizes it as iot:Publish,
    // the name the proxy gives it
    Outcome iot = comparison.compare(command, iotDataAnswer("iot-data", "iotdata", "data-ats.iot"));
    assertThat(iot.findings()).noneMatch(Finding::failing);
    assertThat(iot.verdict()).isEqualTo(Verdict.BOTH_RAN);
    // the same operation name in another service whose IAM prefix is not iot stays a bypass
    Outcome other = comparison.compare(command,
        iotDataAnswer("iotevents-data", "ioteventsdata", "data.iotevents"));
    assertThat(other.verdict()).isEqualTo(Verdict.BYPASS);
    assertThat(other.findings()).anyMatch(f -> f.kind().equals(Finding.OPERATION_MISSING));
  }

  @Test
  void anotherRegionOrProfileIsABypass() throws Exception {
    Outcome region = comparison.compare(COMMAND, answer(call("sts", "GetCallerIdentity"), "us-west-2", "mcp-server", "{}"));
    Outcome profile = comparison.compare(COMMAND, answer(call("sts", "GetCallerIdentity"), "eu-west-1", "admin", "{}"));
    assertThat(region.findings()).anyMatch(f -> f.kind().equals(Finding.REGION));
    assertThat(profile.findings()).anyMatch(f -> f.kind().equals(Finding.PROFILE));
    assertThat(region.verdict()).isEqualTo(Verdict.BYPASS);
    assertThat(profile.verdict()).isEqualTo(Verdict.BYPASS);
  }

  @Test
  void aParameterTheServerBindsButTheProxyDoesNotSeeIsABypass() throws Exception {
    Outcome o = comparison.compare(COMMAND, answer(call("sts", "GetCallerIdentity"), "eu-west-1", "mcp-server",
        "{\"role-arn\": \"arn:aws:iam::123456789012:role/x\"}"));
    assertThat(o.findings()).anyMatch(f -> f.kind().equals(Finding.PARAM_MISSING));
  }

  @Test
  void anAnswerWithATimeoutIsInconclusiveNotAgreement() throws Exception {
    JsonNode answer = JSON.readTree("""
        {"id": 1, "items": [{"runs": [{"text": "aws sts get-caller-identity", "status": "timeout", "calls": []}]}]}""");
    assertThat(comparison.compare(COMMAND, answer).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
  }

  @Test
  void s3CallsAuthorizedByTheNamedActionAreReportedNotFailed() {
    assertThat(IamEquivalents.covers("s3:GetObject", "s3", "HeadObject")).isTrue();
    assertThat(IamEquivalents.covers("s3:PutObject", "s3", "UploadPart")).isTrue();
    assertThat(IamEquivalents.covers("s3:GetObject", "s3", "PutObject")).isFalse();
    assertThat(IamEquivalents.covers("sts:GetCallerIdentity", "sts", "AssumeRole")).isFalse();
  }
}
