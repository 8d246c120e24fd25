package io.github.mcppolicyproxy.policy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.policy.CommandInspector.Command;
import io.github.mcppolicyproxy.policy.CommandInspector.Inspection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A stand-in for the AWS command parser: each command reads "service:Operation --name value ...";
   * a command starting with "??" cannot be parsed.
   */
  static final CommandInspector FAKE_AWS = call -> {
    JsonNode c = call.arguments().get("cli_command");
    if (c == null) {
      return new Inspection.Unparseable("no cli_command");
    }
    List<String> texts = new ArrayList<>();
    if (c.isArray()) {
      c.forEach(x -> texts.add(x.asText()));
    } else {
      texts.add(c.asText());
    }
    List<Command> commands = new ArrayList<>();
    for (String text : texts) {
      if (text.startsWith("??")) {
        return new Inspection.Unparseable("cannot read \"" + text + "\"");
      }
      String[] words = text.split(" ");
      ObjectNode facts = JSON.createObjectNode();
      ObjectNode params = facts.putObject("params");
      for (int i = 1; i + 1 < words.length; i += 2) {
        params.put(words[i].substring(2), words[i + 1]);
      }
      facts.put("region", "us-east-1");
      commands.add(new Command(text, List.of(words[0]), facts));
    }
    return new Inspection.Commands(commands);
  };

  static PolicyEngine engine(String policy) {
    try {
      return new PolicyEngine(new PolicyLoader().parse("test.json", policy.getBytes(UTF_8)), FAKE_AWS);
    } catch (PolicyException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  static ToolCall call(String tool, String argsJson) {
    try {
      return new ToolCall(tool, JSON.readTree(argsJson));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Refusal refusal(Verdict v) {
    assertThat(v).isInstanceOf(Verdict.Refuse.class);
    return ((Verdict.Refuse) v).refusal();
  }

  static Map<String, Integer> permitsByPointer(Verdict v) {
    Map<Limit, Integer> permits = v instanceof Verdict.Allow a ? a.permits() : ((Verdict.Ask) v).permits();
    return permits.entrySet().stream()
        .collect(Collectors.toMap(e -> e.getKey().counter(), Map.Entry::getValue));
  }

  @Test
  void hiddenToolIsRefusedAsHiddenEvenWhenAnEntryAllowsIt() {
    PolicyEngine e = engine("""
        {"version":"1","default":"allow","hide":["secret_*"],"tools":{"secret_tool":{}}}""");

    Refusal r = refusal(e.decide(call("secret_tool", "{}")));

    assertThat(r.code()).isEqualTo(Code.HIDDEN);
    assertThat(r.rule()).isEqualTo("/hide/0");
    assertThat(e.alwaysRefused("secret_tool")).isTrue();
    assertThat(e.alwaysRefused("public_tool")).isFalse();
  }

  @Test
  void explicitDenyWinsOverAnAllowOfTheSameTool() {
    PolicyEngine e = engine("""
        {"version":"1","default":"allow","tools":{"rm":{},"r*":{"action":"deny","reason":"no removals"}}}""");

    Refusal r = refusal(e.decide(call("rm", "{}")));

    assertThat(r.code()).isEqualTo(Code.DENIED);
    assertThat(r.rule()).isEqualTo("/tools/r*");
    assertThat(r.reason()).isEqualTo("rm is denied: no removals");
    assertThat(e.alwaysRefused("rm")).isTrue();
  }

  @Test
  void denyInAllToolsWinsOverAToolEntry() {
    PolicyEngine e = engine("""
        {"version":"1","default":"deny","all_tools":{"action":"deny"},"tools":{"x":{}}}""");

    assertThat(refusal(e.decide(call("x", "{}"))).rule()).isEqualTo("/all_tools");
    assertThat(e.alwaysRefused("x")).isTrue();
  }

  @Test
  void denyWinsOverRequireApproval() {
    PolicyEngine e = engine("""
        {"version":"1","default":"allow","tools":{"x":{"action":"require_approval"},"*":{"action":"deny"}}}""");

    assertThat(refusal(e.decide(call("x", "{}"))).rule()).isEqualTo("/tools/*");
  }

  @Test
  void unnamedToolFollowsTheDefault() {
    PolicyEngine deny = engine("{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"a\":{}}}");
    PolicyEngine allow = engine("{\"version\":\"1\",\"default\":\"allow\",\"tools\":{\"a\":{\"action\":\"deny\"}}}");

    Refusal r = refusal(deny.decide(call("b", "{}")));
    assertThat(r.code()).isEqualTo(Code.DENIED);
    assertThat(r.rule()).isEqualTo("/default");
    assertThat(deny.decide(call("a", "{}"))).isInstanceOf(Verdict.Allow.class);
    assertThat(deny.alwaysRefused("b")).isTrue();
    assertThat(allow.decide(call("b", "{}"))).isInstanceOf(Verdict.Allow.class);
    assertThat(allow.alwaysRefused("b")).isFalse();
  }

  @Test
  void allToolsDoesNotNameAToolForTheDefault() {
    PolicyEngine e = engine("""
        {"version":"1","default":"deny","all_tools":{"limits":[{"window":"minute","max":5}]}}""");

    assertThat(refusal(e.decide(call("x", "{}"))).rule()).isEqualTo("/default");
  }

  @Test
  void emptyEntryAllowsWithNothingToCharge() {
    Verdict v = engine("{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"x\":{}}}").decide(call("x", "{}"));

    assertThat(v).isEqualTo(new Verdict.Allow(Map.of(), List.of()));
  }

  @Test
  void globsMatchExactlyAndCaseSensitively() {
    PolicyEngine e = engine("""
        {"version":"1","default":"deny","tools":{"call_aws":{},"get_?":{},"list_*_items":{}}}""");
    String args = "{\"cli_command\":\"s3:ListBuckets\"}";

    assertThat(e.decide(call("call_aws", args))).isInstanceOf(Verdict.Allow.class);
    assertThat(e.decide(call("get_x", "{}"))).isInstanceOf(Verdict.Allow.class);
    assertThat(e.decide(call("list__items", "{}"))).isInstanceOf(Verdict.Allow.class);
    assertThat(e.decide(call("list_a/b.c_items", "{}"))).isInstanceOf(Verdict.Allow.class);
    for (String sly : List.of("Call_aws", "CALL_AWS", "call_aws\u200b", "\u200bcall_aws",
        "ｃａｌｌ_ａｗｓ", "call_aws ", "call_aw", "call_awss", "get_", "get_xy", "get_X\n",
        "xlist_a_items", "list_a_itemsx", "ca\u0301ll_aws")) {
      Verdict v = e.decide(call(sly, args));
      assertThat(v).as(sly).isInstanceOf(Verdict.Refuse.class);
      assertThat(refusal(v).rule()).as(sly).isEqualTo("/default");
    }
  }

  @Test
  void requireApprovalAsksAPersonAndCarriesItsTimeoutAndPermits() {
    PolicyEngine e = engine("""
        {"version":"1","default":"deny","tools":{"pay":{"action":"require_approval",
          "approval":{"timeout_seconds":45},"limits":[{"counter":"pay","window":"day","max":3}]}}}""");

    Verdict v = e.decide(call("pay", "{}"));

    assertThat(v).isInstanceOf(Verdict.Ask.class);
    Verdict.Ask ask = (Verdict.Ask) v;
    assertThat(ask.rule()).isEqualTo("/tools/pay");
    assertThat(ask.timeoutSeconds()).isEqualTo(45);
    assertThat(permitsByPointer(v)).isEqualTo(Map.of("pay", 1));
    assertThat(e.alwaysRefused("pay")).isFalse();
  }

  @Test
  void requireApprovalWithoutTimeoutUsesTheDefault() {
    Verdict v = engine("{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"x\":{\"action\":\"require_approval\"}}}")
        .decide(call("x", "{}"));

    assertThat(((Verdict.Ask) v).timeoutSeconds()).isEqualTo(PolicyEngine.DEFAULT_APPROVAL_TIMEOUT_SECONDS);
  }

  @Test
  void monitorModeNeverHidesAToolFromTheList() {
    PolicyEngine e = engine("""
        {"version":"1","default":"deny","mode":"monitor","hide":["x"],"tools":{"y":{"action":"deny"}}}""");

    assertThat(e.alwaysRefused("x")).isFalse();
    assertThat(e.alwaysRefused("y")).isFalse();
    assertThat(e.alwaysRefused("z")).isFalse();
    // the verdict is still computed, so that the would-be refusal can be logged
    assertThat(e.decide(call("x", "{}"))).isInstanceOf(Verdict.Refuse.class);
  }

  @Test
  void toolWhoseFateDependsOnArgumentsStaysVisible() {
    PolicyEngine e = engine("""
        {"version":"1","default":"deny","tools":{"x":{"deny_if":[{"path":"args.a","op":"exists"}]}}}""");

    assertThat(e.alwaysRefused("x")).isFalse();
  }

  @Test
  void limitsOfEveryMatchingEntryAreChargedOncePerCounter() {
    PolicyEngine e = engine("""
        {"version":"1","default":"deny",
         "all_tools":{"limits":[{"counter":"all","window":"minute","max":100}]},
         "tools":{"x":{"limits":[{"counter":"x","window":"minute","max":10},{"counter":"all","window":"minute","max":100}]},
                  "*":{"limits":[{"counter":"star","window":"hour","max":50}]}}}""");

    assertThat(permitsByPointer(e.decide(call("x", "{}"))))
        .isEqualTo(Map.of("x", 1, "all", 1, "star", 1));
  }

  // --- operations (call_aws) ---

  private static final String OPS = """
      {"version":"1","default":"deny","tools":{"call_aws":{}},
       "operations":{
         "omics:Start*":{"limits":[{"counter":"starts","window":"minute","max":10}],
                         "deny_if":[{"path":"params.destination","op":"regex","value":"s3://public-.*"}]},
         "omics:StartDangerousJob":{"action":"deny","reason":"too risky"},
         "s3:List*":{},
         "*:Delete*":{"action":"deny"}}}""";

  @Test
  void operationDenyWinsOverAnOperationAllow() {
    Refusal r = refusal(engine(OPS).decide(call("call_aws",
        "{\"cli_command\":\"omics:StartDangerousJob --x y\"}")));

    assertThat(r.code()).isEqualTo(Code.DENIED);
    assertThat(r.rule()).isEqualTo("/operations/omics:StartDangerousJob");
    assertThat(r.reason()).isEqualTo("AWS operation omics:StartDangerousJob is denied: too risky");
    assertThat(r.operations()).containsExactly("omics:StartDangerousJob");
  }

  @Test
  void unlistedOperationFollowsDefaultDenyEvenWhenTheToolIsAllowed() {
    Refusal r = refusal(engine(OPS).decide(call("call_aws",
        "{\"cli_command\":[\"s3:ListBuckets\",\"ec2:RunInstances\"]}")));

    assertThat(r.rule()).isEqualTo("/default");
    assertThat(r.reason()).contains("ec2:RunInstances");
  }

  @Test
  void aBatchTakesTheLimitsOfEachCommandAlsoWhenTwoCommandsAreTheSame() {
    // the server runs each element of the array: the same text twice is two exports
    Verdict same = engine(OPS).decide(call("call_aws",
        "{\"cli_command\":[\"omics:StartReadSetExportJob --destination s3://x\","
            + "\"omics:StartReadSetExportJob --destination s3://x\"]}"));
    Verdict different = engine(OPS).decide(call("call_aws",
        "{\"cli_command\":[\"omics:StartReadSetExportJob --destination s3://x\","
            + "\"omics:StartReadSetExportJob --destination s3://y\"]}"));

    assertThat(permitsByPointer(same)).containsEntry("starts", 2);
    assertThat(permitsByPointer(different)).containsEntry("starts", 2);
  }

  @Test
  void deniedOperationAnywhereInABatchOfCommandsRefusesTheCall() {
    Refusal r = refusal(engine(OPS).decide(call("call_aws",
        "{\"cli_command\":[\"s3:ListBuckets\",\"s3:DeleteBucket --bucket b\"]}")));

    assertThat(r.rule()).isEqualTo("/operations/*:Delete*");
  }

  @Test
  void unparseableCommandIsRefusedNeverGuessed() {
    Refusal r = refusal(engine(OPS).decide(call("call_aws",
        "{\"cli_command\":[\"s3:ListBuckets\",\"?? $(rm -rf /)\"]}")));

    assertThat(r.code()).isEqualTo(Code.UNPARSEABLE_COMMAND);
    assertThat(r.rule()).isEqualTo("/operations");
  }

  @Test
  void unparseableCommandIsRefusedUnderDefaultDenyWithoutOperations() {
    PolicyEngine e = engine("{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"call_aws\":{}}}");

    Refusal r = refusal(e.decide(call("call_aws", "{\"cli_command\":\"?? x\"}")));

    assertThat(r.code()).isEqualTo(Code.UNPARSEABLE_COMMAND);
    assertThat(r.rule()).isEqualTo("/default");
  }

  @Test
  void anUnparseableCommandIsAllowedUnderDefaultAllowWithoutOperations() {
    PolicyEngine e = engine("{\"version\":\"1\",\"default\":\"allow\"}");

    assertThat(e.decide(call("call_aws", "{\"cli_command\":\"?? x\"}"))).isInstanceOf(Verdict.Allow.class);
  }

  @Test
  void operationLimitsAreCountedPerCommand() {
    Verdict v = engine(OPS).decide(call("call_aws", """
        {"cli_command":["omics:StartReadSetExportJob --destination s3://mine",
                        "omics:StartReadSetImportJob --destination s3://mine",
                        "s3:ListBuckets"]}"""));

    assertThat(v).isInstanceOf(Verdict.Allow.class);
    assertThat(permitsByPointer(v)).isEqualTo(Map.of("starts", 2));
    assertThat(v.operations()).containsExactly(
        "omics:StartReadSetExportJob", "omics:StartReadSetImportJob", "s3:ListBuckets");
  }

  @Test
  void operationPredicatesSeeTheCommandsParameters() {
    Refusal r = refusal(engine(OPS).decide(call("call_aws", """
        {"cli_command":["omics:StartReadSetExportJob --destination s3://mine",
                        "omics:StartReadSetExportJob --destination s3://public-bucket"]}""")));

    assertThat(r.code()).isEqualTo(Code.DENIED);
    assertThat(r.rule()).isEqualTo("/operations/omics:Start*/deny_if/0");
  }

  // --- predicates through the engine ---

  @Test
  void requireThatFailsRefusesAsInvalidArgumentsNamingThePredicate() {
    PolicyEngine e = engine("""
        {"version":"1","default":"deny","tools":{"x":{"reason":"only us-east-1",
          "require":[{"path":"args.region","op":"in","value":["us-east-1"]}]}}}""");

    Refusal r = refusal(e.decide(call("x", "{\"region\":\"eu-west-1\"}")));

    assertThat(r.code()).isEqualTo(Code.INVALID_ARGUMENTS);
    assertThat(r.rule()).isEqualTo("/tools/x/require/0");
    assertThat(r.reason()).isEqualTo("x requires args.region in [\"us-east-1\"]: only us-east-1");
    assertThat(e.decide(call("x", "{\"region\":\"us-east-1\"}"))).isInstanceOf(Verdict.Allow.class);
    assertThat(refusal(e.decide(call("x", "{}"))).code()).isEqualTo(Code.INVALID_ARGUMENTS);
  }

  @Test
  void denyIfThatMatchesRefusesAsDenied() {
    PolicyEngine e = engine("""
        {"version":"1","default":"deny","tools":{"x":{
          "deny_if":[{"path":"args.amount","op":"gt","value":100}]}}}""");

    Refusal r = refusal(e.decide(call("x", "{\"amount\":100.5}")));

    assertThat(r.code()).isEqualTo(Code.DENIED);
    assertThat(r.rule()).isEqualTo("/tools/x/deny_if/0");
    assertThat(e.decide(call("x", "{\"amount\":100}"))).isInstanceOf(Verdict.Allow.class);
    assertThat(e.decide(call("x", "{}"))).isInstanceOf(Verdict.Allow.class);
  }

  @Test
  void predicatesOfAllToolsApplyToEveryTool() {
    PolicyEngine e = engine("""
        {"version":"1","default":"allow","all_tools":{"deny_if":[{"path":"args.dry_run","op":"eq","value":false}]}}""");

    assertThat(refusal(e.decide(call("anything", "{\"dry_run\":false}"))).rule())
        .isEqualTo("/all_tools/deny_if/0");
    assertThat(e.decide(call("anything", "{\"dry_run\":true}"))).isInstanceOf(Verdict.Allow.class);
  }

  @Test
  void operationRulesApplyToCallAwsToThePrefixedCallAwsAndToToolsThePolicyNames() {
    PolicyEngine e = engine("""
        {"version":"1","default":"deny","aws_cli_tools":["run_cli"],
         "tools":{"call_aws":{},"aws___call_aws":{},"other___call_aws":{},"run_cli":{},"not_cli":{}},
         "operations":{"*:List*":{},"*:Delete*":{"action":"deny","reason":"no deletes"}}}""");

    for (String tool : List.of("call_aws", "aws___call_aws", "other___call_aws", "run_cli")) {
      Refusal r = refusal(e.decide(call(tool, "{\"cli_command\":\"s3:DeleteBucket --bucket prod\"}")));
      assertThat(r.code()).as(tool).isEqualTo(Code.DENIED);
      assertThat(r.rule()).as(tool).isEqualTo("/operations/*:Delete*");
      assertThat(r.operations()).as(tool).containsExactly("s3:DeleteBucket");
      assertThat(e.decide(call(tool, "{\"cli_command\":\"s3:ListBuckets\"}")))
          .as(tool).isInstanceOf(Verdict.Allow.class);
    }
    // a tool that neither ends in ___call_aws nor is named in aws_cli_tools is judged by name only
    assertThat(e.decide(call("not_cli", "{\"cli_command\":\"s3:DeleteBucket --bucket prod\"}")))
        .isInstanceOf(Verdict.Allow.class);
    assertThat(e.decide(call("aws___call_aws_v2", "{\"cli_command\":\"s3:ListBuckets\"}")))
        .isInstanceOf(Verdict.Refuse.class); // default deny by name, not a CLI tool
  }

  @Test
  void aPrefixedCallAwsWhoseCommandCannotBeReadIsRefusedLikeCallAws() {
    PolicyEngine e = engine("""
        {"version":"1","default":"allow","operations":{"*:Delete*":{"action":"deny"}}}""");

    Refusal r = refusal(e.decide(call("aws___call_aws", "{\"cli_command\":\"?? rm -rf\"}")));

    assertThat(r.code()).isEqualTo(Code.UNPARSEABLE_COMMAND);
  }

  @Test
  void theMostSpecificMatchingDenySpeaksWhateverTheFileOrder() {
    PolicyEngine e = engine("""
        {"version":"1","default":"allow","tools":{"call_aws":{},
           "r*":{"action":"deny","reason":"nothing starting with r"},
           "rm*":{"action":"deny","reason":"no removals"},
           "rm_all":{"action":"deny","reason":"rm_all wipes the disk"}},
         "operations":{"*:Delete*":{"action":"deny","reason":"no deletions"},
           "s3:Delete*":{"action":"deny","reason":"no S3 deletions"},
           "s3:DeleteBucket":{"action":"deny","reason":"buckets hold the lab's data"}}}""");

    Refusal tool = refusal(e.decide(call("rm_all", "{}")));
    assertThat(tool.rule()).isEqualTo("/tools/rm_all");
    assertThat(tool.reason()).isEqualTo("rm_all is denied: rm_all wipes the disk");
    assertThat(refusal(e.decide(call("rm_x", "{}"))).reason()).endsWith("no removals");

    Refusal bucket = refusal(e.decide(call("call_aws", "{\"cli_command\":\"s3:DeleteBucket\"}")));
    assertThat(bucket.rule()).isEqualTo("/operations/s3:DeleteBucket");
    assertThat(bucket.reason()).isEqualTo("AWS operation s3:DeleteBucket is denied: buckets hold the"
        + " lab's data");
    assertThat(refusal(e.decide(call("call_aws", "{\"cli_command\":\"s3:DeleteObject\"}")))
        .rule()).isEqualTo("/operations/s3:Delete*");
    assertThat(refusal(e.decide(call("call_aws", "{\"cli_command\":\"ec2:DeleteVpc\"}")))
        .reason()).endsWith("no deletions");
  }

  @Test
  void aToolsOwnDenySpeaksBeforeAllTools() {
    PolicyEngine e = engine("""
        {"version":"1","default":"allow","all_tools":{"action":"deny","reason":"closed"},
         "tools":{"x":{"action":"deny","reason":"x is broken"}}}""");

    assertThat(refusal(e.decide(call("x", "{}"))).rule()).isEqualTo("/tools/x");
    assertThat(refusal(e.decide(call("y", "{}"))).rule()).isEqualTo("/all_tools");
  }

  @Test
  void refusalsOfCallAwsNameTheParsedOperationsAlsoWithoutAnOperationsBlock() {
    String args = "{\"cli_command\":[\"s3:ListBuckets\",\"omics:StartReadSetExportJob --x 1\"]}";
    List<String> both = List.of("s3:ListBuckets", "omics:StartReadSetExportJob");

    PolicyEngine hidden = engine("""
        {"version":"1","default":"allow","hide":["call_aws"]}""");
    assertThat(refusal(hidden.decide(call("call_aws", args))).operations()).isEqualTo(both);
    PolicyEngine denied = engine("""
        {"version":"1","default":"allow","tools":{"call_aws":{"action":"deny"}}}""");
    assertThat(refusal(denied.decide(call("call_aws", args))).operations()).isEqualTo(both);
    PolicyEngine byDefault = engine("""
        {"version":"1","default":"deny","mode":"monitor"}""");
    assertThat(refusal(byDefault.decide(call("call_aws", args))).operations()).isEqualTo(both);
    PolicyEngine predicate = engine("""
        {"version":"1","default":"allow","tools":{"call_aws":{"deny_if":[
          {"path":"args.cli_command","op":"contains","value":"s3:ListBuckets"}]}}}""");
    assertThat(refusal(predicate.decide(call("call_aws", args))).operations()).isEqualTo(both);
    assertThat(predicate.decide(call("call_aws", "{\"cli_command\":\"ec2:DescribeVpcs\"}"))
        .operations()).containsExactly("ec2:DescribeVpcs");
  }
}
