package io.github.mcppolicyproxy.policy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.mcppolicyproxy.policy.Limit.Scope;
import io.github.mcppolicyproxy.policy.Policy.Action;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {
  private static final String FILE = "policy.json";
  private final PolicyLoader loader = new PolicyLoader();

  private Policy load(String json) throws PolicyException {
    return loader.parse(FILE, json.getBytes(UTF_8));
  }

  private List<PolicyProblem> problems(String json) {
    PolicyException e = catchThrowableOfType(PolicyException.class, () -> load(json));
    assertThat(e).as("expected %s to be refused", json).isNotNull();
    for (PolicyProblem p : e.problems()) {
      assertThat(p.file()).isEqualTo(FILE);
      assertThat(e.getMessage()).contains(p.toString());
    }
    return e.problems();
  }

  private PolicyProblem onlyProblem(String json) {
    List<PolicyProblem> all = problems(json);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void redactionAndPinningAreOnUnlessThePolicyTurnsThemOffWithBooleans() throws PolicyException {
    Policy plain = load("{\"version\":\"1\",\"default\":\"deny\"}");
    assertThat(plain.redactSecrets()).isTrue();
    assertThat(plain.pinTools()).isTrue();
    Policy off = load("{\"version\":\"1\",\"default\":\"deny\",\"redact_secrets\":false,"
        + "\"pin_tools\":false}");
    assertThat(off.redactSecrets()).isFalse();
    assertThat(off.pinTools()).isFalse();
    assertThat(onlyProblem("{\"version\":\"1\",\"default\":\"deny\",\"pin_tools\":\"no\"}")
        .toString()).contains("/pin_tools: must be true or false");
  }

  @Test
  void seedPolicyFromPolicyLayerLoadsUnchangedAndMeansWhatItSays() throws PolicyException {
    String seed = """
        {"version":"1","default":"deny","tools":{"StartAHOReadSetExportJob":{"limits":[{"counter":"startahoreadsetexportjob_rate","window":"minute","max":10,"scope":"grant"}]}}}""";

    Policy p = load(seed);

    assertThat(p.version()).isEqualTo("1");
    assertThat(p.defaultAction()).isEqualTo(Action.DENY);
    assertThat(p.mode()).isEqualTo(Policy.Mode.ENFORCE);
    assertThat(p.sha256()).isEqualTo(PolicyLoader.sha256(seed.getBytes(UTF_8)));
    assertThat(p.tools()).hasSize(1);
    Glob key = p.tools().keySet().iterator().next();
    assertThat(key.text()).isEqualTo("StartAHOReadSetExportJob");
    Entry e = p.tools().get(key);
    assertThat(e.pointer()).isEqualTo("/tools/StartAHOReadSetExportJob");
    assertThat(e.action()).isEqualTo(Action.ALLOW);
    assertThat(e.limits()).containsExactly(new Limit("/tools/StartAHOReadSetExportJob/limits/0",
        "startahoreadsetexportjob_rate", Duration.ofMinutes(1), "minute", 10, Scope.GRANT));
  }

  @Test
  void everyBundledPolicyLoads() throws IOException, PolicyException {
    List<Path> files;
    try (Stream<Path> s = Files.list(Paths.get("config"))) {
      files = s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      assertThat(loader.load(f).source()).isEqualTo(f.toString());
      assertThat(loader.loadBuiltin(f.getFileName().toString()).source())
          .isEqualTo("builtin:" + f.getFileName());
    }
  }

  @Test
  void fullPolicyWithEveryFieldLoads() throws PolicyException {
    Policy p = load("""
        {
          "$schema": "https://example.invalid/policy.schema.json",
          "description": "everything",
          "version": "1",
          "default": "allow",
          "mode": "monitor",
          "hide": ["secret_*"],
          "all_tools": {"limits": [{"counter": "all", "window": 30, "max": 100}]},
          "tools": {
            "call_aws": {
              "action": "require_approval",
              "reason": "mutations need a person",
              "approval": {"timeout_seconds": 60},
              "require": [{"path": "args.region", "op": "in", "value": ["us-east-1"]}],
              "deny_if": [{"path": "args.cli_command", "op": "regex", "value": ".*delete.*"},
                          {"path": "args.x", "op": "exists"}]
            }
          },
          "operations": {"omics:Start*": {"limits": [{"counter": "starts", "window": "hour", "max": 5, "scope": "global"}]},
                         "*:Delete*": {"action": "deny"}, "*": {}}
        }
        """);

    assertThat(p.mode()).isEqualTo(Policy.Mode.MONITOR);
    assertThat(p.hasOperations()).isTrue();
    assertThat(p.operations()).hasSize(3);
    assertThat(p.allTools().orElseThrow().limits().get(0).window()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.allTools().orElseThrow().limits().get(0).describe()).isEqualTo("100 calls per 30 seconds");
    assertThat(p.allTools().orElseThrow().limits().get(0).scope()).isEqualTo(Scope.SESSION);
    Entry callAws = p.tools().values().iterator().next();
    assertThat(callAws.approvalTimeoutSeconds()).contains(60);
    assertThat(callAws.denyIf()).hasSize(2);
  }

  @Test
  void unknownFieldIsRefusedAtEveryLevelWithPointerExpectedFieldsAndPosition() {
    List<PolicyProblem> all = problems("""
        {"version":"1","default":"deny","colour":"red",
         "all_tools":{"limitz":[]},
         "tools":{"t":{"limits":[{"counter":"c","window":"minute","max":1,"burst":2}],
                       "require":[{"path":"args.a","op":"eq","value":1,"strict":true}],
                       "action":"require_approval","approval":{"timeout_seconds":5,"channel":"x"}}}}""");

    assertThat(all).extracting(PolicyProblem::pointer).containsExactlyInAnyOrder(
        "/colour", "/all_tools/limitz", "/tools/t/limits/0/burst", "/tools/t/require/0/strict",
        "/tools/t/approval/channel");
    PolicyProblem top = all.stream().filter(x -> x.pointer().equals("/colour")).findFirst().orElseThrow();
    assertThat(top.toString()).isEqualTo("policy.json: /colour: unknown field \"colour\"; expected one of:"
        + " version, default, mode, hide, all_tools, tools, operations, aws_cli_tools,"
        + " redact_secrets, pin_tools (line 1, column 33)");
    PolicyProblem burst = all.stream().filter(x -> x.pointer().endsWith("burst")).findFirst().orElseThrow();
    assertThat(burst.message()).contains("unknown field \"burst\"", "counter, window, max, scope");
    assertThat(burst.line()).isEqualTo(3);
    assertThat(burst.column()).isGreaterThan(1);
    assertThat(all).allSatisfy(x -> assertThat(x.line()).isPositive());
  }

  @Test
  void wrongTypesAreRefusedSayingWhatWasExpectedAndWhatWasFound() {
    List<PolicyProblem> all = problems("""
        {"version":1,"default":true,"mode":"loud","hide":"x",
         "tools":{"a":[],"b":{"limits":{}},"c":{"reason":5,"require":{},"deny_if":"no"},
                  "d":{"action":"block"},"e":{"limits":[{"window":"minute","max":"10"}]}}}""");

    assertThat(all).extracting(PolicyProblem::pointer).containsExactly(
        "/version", "/default", "/mode", "/hide", "/tools/a", "/tools/b/limits", "/tools/c/reason",
        "/tools/c/require", "/tools/c/deny_if", "/tools/d/action", "/tools/e/limits/0/max");
    assertThat(all.get(0).message()).isEqualTo("must be \"1\", found 1");
    assertThat(all.get(1).message()).isEqualTo("true is not one of \"allow\" or \"deny\"");
    assertThat(all.get(2).message()).contains("\"loud\"", "\"enforce\" or \"monitor\"");
    assertThat(all.get(3).message()).contains("must be an array", "the string \"x\"");
    assertThat(all.get(4).message()).contains("must be an object (use {} to allow)", "an array");
    assertThat(all.get(9).message()).contains("\"block\"", "\"require_approval\"");
    assertThat(all.get(10).message()).isEqualTo("must be a whole number >= 1, found \"10\"");
    assertThat(all).allSatisfy(x -> assertThat(x.line()).isPositive());
  }

  @Test
  void windowFortnightIsRefusedNamingTheAcceptedWindows() {
    PolicyProblem p = onlyProblem("""
        {"version":"1","default":"deny",
         "tools":{"x":{"limits":[{"counter":"c","window":"fortnight","max":1}]}}}""");

    assertThat(p.toString()).startsWith("policy.json: /tools/x/limits/0/window: \"fortnight\" is not one of"
        + " \"second\", \"minute\", \"hour\", \"day\" or a whole number of seconds");
    assertThat(p.line()).isEqualTo(2);
  }

  @Test
  void windowOfZeroOrFractionalSecondsIsRefused() {
    assertThat(problems("""
        {"version":"1","default":"deny","tools":{"x":{"limits":[{"window":0,"max":1},{"window":1.5,"max":1}]}}}"""))
        .extracting(PolicyProblem::pointer)
        .containsExactly("/tools/x/limits/0/window", "/tools/x/limits/1/window");
  }

  @Test
  void maxZeroIsRefused() {
    PolicyProblem p = onlyProblem("""
        {"version":"1","default":"deny","tools":{"x":{"limits":[{"window":"minute","max":0}]}}}""");

    assertThat(p.pointer()).isEqualTo("/tools/x/limits/0/max");
    assertThat(p.message()).isEqualTo("must be a whole number >= 1, found 0");
    assertThat(p.column()).isPositive();
  }

  @Test
  void unknownScopeIsRefused() {
    PolicyProblem p = onlyProblem("""
        {"version":"1","default":"deny","tools":{"x":{"limits":[{"window":"minute","max":1,"scope":"user"}]}}}""");

    assertThat(p.pointer()).isEqualTo("/tools/x/limits/0/scope");
    assertThat(p.message()).isEqualTo("\"user\" is not one of \"session\", \"grant\" or \"global\"");
  }

  @Test
  void unknownOpIsRefusedAndOpsAreCaseSensitive() {
    List<PolicyProblem> all = problems("""
        {"version":"1","default":"deny","tools":{"x":{"require":[
          {"path":"args.a","op":"like","value":"x"},{"path":"args.a","op":"EQ","value":"x"},
          {"path":"args.a","op":"not-in","value":["x"]}]}}}""");

    assertThat(all).extracting(PolicyProblem::pointer).containsExactly(
        "/tools/x/require/0/op", "/tools/x/require/1/op", "/tools/x/require/2/op");
    assertThat(all.get(0).message()).isEqualTo("\"like\" is not one of eq, neq, in, not_in, lt, lte,"
        + " gt, gte, regex, contains, exists");
  }

  @Test
  void badRegexIsRefusedWithWhereItBroke() {
    PolicyProblem p = onlyProblem("""
        {"version":"1","default":"deny","tools":{"x":{"deny_if":[{"path":"args.a","op":"regex","value":"(ab"}]}}}""");

    assertThat(p.pointer()).isEqualTo("/tools/x/deny_if/0/value");
    assertThat(p.message()).startsWith("is not a valid regular expression:").contains("near index");
  }

  @Test
  void inAndNotInWithoutAnArrayAreRefused() {
    List<PolicyProblem> all = problems("""
        {"version":"1","default":"deny","tools":{"x":{"require":[
          {"path":"args.a","op":"in","value":"us-east-1"},{"path":"args.a","op":"not_in"},
          {"path":"args.a","op":"lt","value":"3"},{"path":"args.a","op":"exists","value":"yes"},
          {"path":"args.a","op":"eq"},{"op":"eq","value":1},{"path":"args..a","op":"eq","value":1}]}}}""");

    assertThat(all).extracting(PolicyProblem::pointer).containsExactly(
        "/tools/x/require/0/value", "/tools/x/require/1/value", "/tools/x/require/2/value",
        "/tools/x/require/3/value", "/tools/x/require/4/value", "/tools/x/require/5/path",
        "/tools/x/require/6/path");
    assertThat(all.get(0).message()).isEqualTo("for in must be an array, found \"us-east-1\"");
    assertThat(all.get(1).message()).isEqualTo("for not_in must be an array, found nothing");
  }

  @Test
  void duplicateKeyIsRefusedNamingTheKeyItsPointerAndPosition() {
    PolicyProblem p = onlyProblem("""
        {"version":"1","default":"deny",
         "tools":{"x":{},
                  "x":{"action":"deny"}}}""");

    assertThat(p.message()).contains("x").containsIgnoringCase("duplicate");
    assertThat(p.pointer()).isEqualTo("/tools/x");
    assertThat(p.line()).isEqualTo(3);
  }

  @Test
  void sharedCounterDeclaredDifferentlyIsRefusedNamingBothPlaces() {
    PolicyProblem p = onlyProblem("""
        {"version":"1","default":"deny","tools":{
          "a":{"limits":[{"counter":"shared","window":"minute","max":10}]},
          "b":{"limits":[{"counter":"shared","window":"minute","max":20}]}}}""");

    assertThat(p.pointer()).isEqualTo("/tools/b/limits/0");
    assertThat(p.message()).contains("\"shared\"", "/tools/a/limits/0", "declared differently");
    assertThat(p.line()).isEqualTo(3);
  }

  @Test
  void sharedCounterDeclaredTheSameIsOne() throws PolicyException {
    Policy p = load("""
        {"version":"1","default":"deny","tools":{
          "a":{"limits":[{"counter":"shared","window":"minute","max":10}]},
          "b":{"limits":[{"counter":"shared","window":60,"max":10}]}}}""");

    assertThat(p.tools()).hasSize(2);
  }

  @Test
  void textThatIsNotJsonIsRefusedWithLineAndColumn() {
    PolicyProblem p = onlyProblem("{\"version\":\"1\",\n \"default\": deny}");

    assertThat(p.message()).startsWith("is not valid JSON:");
    assertThat(p.line()).isEqualTo(2);
    assertThat(p.column()).isPositive();
  }

  @Test
  void notAnObjectIsRefused() {
    assertThat(onlyProblem("[]").message()).isEqualTo("must be a JSON object, found an array");
  }

  @Test
  void missingVersionAndDefaultAreBothReported() {
    List<PolicyProblem> all = problems("{}");

    assertThat(all).extracting(PolicyProblem::toString).containsExactly(
        "policy.json: /version: is required: \"1\"",
        "policy.json: /default: is required: \"allow\" or \"deny\"");
  }

  @Test
  void operationKeysMustBeServiceColonOperation() {
    List<PolicyProblem> all = problems("""
        {"version":"1","default":"deny","operations":{
          "StartReadSetExportJob":{}, "omics start-read-set-export-job":{}, "Omics:Start":{},
          "omics:StartReadSetExportJob":{}, "s3:Get*":{}, "*:Delete*":{}, "iam:*":{}, "*":{}}}""");

    assertThat(all).extracting(PolicyProblem::pointer).containsExactly(
        "/operations/StartReadSetExportJob", "/operations/omics start-read-set-export-job",
        "/operations/Omics:Start");
    assertThat(all.get(0).message()).contains("expected service:Operation", "omics:StartReadSetExportJob");
    assertThat(all.get(0).line()).isEqualTo(2);
  }

  @Test
  void approvalWithoutRequireApprovalAndBadTimeoutAreRefused() {
    List<PolicyProblem> all = problems("""
        {"version":"1","default":"deny","tools":{
          "a":{"approval":{"timeout_seconds":30}},
          "b":{"action":"require_approval","approval":{"timeout_seconds":0}}}}""");

    assertThat(all).extracting(PolicyProblem::pointer)
        .containsExactly("/tools/a/approval", "/tools/b/approval/timeout_seconds");
  }

  @Test
  void severalProblemsAcrossTheFileAreReportedAtOnceInFileOrder() {
    PolicyException e = catchThrowableOfType(PolicyException.class, () -> load("""
        {"version":"2","default":"deny","tools":{
          "a":{"limits":[{"counter":"c","window":"fortnight","max":0,"scope":"team"}]}}}"""));

    assertThat(e.problems()).extracting(PolicyProblem::pointer).containsExactly(
        "/version", "/tools/a/limits/0/window", "/tools/a/limits/0/max", "/tools/a/limits/0/scope");
    assertThat(e.getMessage().lines()).hasSize(4);
  }

  @Test
  void fileThatCannotBeReadNamesTheFile(@TempDir Path dir) {
    Path missing = dir.resolve("nope.json");

    assertThatThrownBy(() -> loader.load(missing))
        .isInstanceOf(PolicyException.class)
        .hasMessageStartingWith(missing + ": /: cannot be read");
  }

  @Test
  void problemsFromAFileNameThatFile(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("mine.policy.json");
    Files.writeString(f, "{\"version\":\"1\",\"default\":\"maybe\"}");

    assertThatThrownBy(() -> loader.load(f))
        .hasMessage(f + ": /default: \"maybe\" is not one of \"allow\" or \"deny\" (line 1, column 16)");
  }

  @Test
  void awsCliToolsNamesToolsExactlyOnceAndWithoutGlobs() throws PolicyException {
    Policy ok = load("{\"version\":\"1\",\"default\":\"deny\",\"aws_cli_tools\":[\"my_cli\"]}");
    assertThat(ok.awsCliTools()).containsExactly("my_cli");
    assertThat(ok.carriesAwsCli("my_cli")).isTrue();
    assertThat(ok.carriesAwsCli("call_aws")).isTrue();
    assertThat(ok.carriesAwsCli("aws___call_aws")).isTrue();
    assertThat(ok.carriesAwsCli("aws___run_script")).isFalse();

    assertThat(onlyProblem("{\"version\":\"1\",\"default\":\"deny\",\"aws_cli_tools\":\"x\"}")
        .pointer()).isEqualTo("/aws_cli_tools");
    List<PolicyProblem> all = problems("{\"version\":\"1\",\"default\":\"deny\","
        + "\"aws_cli_tools\":[\"a*\",\"\",3,\"b\",\"b\"]}");
    assertThat(all).extracting(PolicyProblem::pointer).containsExactly("/aws_cli_tools/0",
        "/aws_cli_tools/1", "/aws_cli_tools/2", "/aws_cli_tools/4");
    assertThat(all.get(0).message()).contains("no * or ?");
    assertThat(all.get(3).message()).contains("twice");
  }

  @Test
  void aToolPredicateWhosePathDoesNotStartAtArgsIsRefusedNamingTheRoot() {
    List<PolicyProblem> all = problems("""
        {"version":"1","default":"deny",
         "all_tools":{"require":[{"path":"region","op":"eq","value":"us-east-1"}]},
         "tools":{"put":{"deny_if":[{"path":"bucket","op":"eq","value":"prod"},
                                    {"path":"params.bucket","op":"exists"},
                                    {"path":"args","op":"exists"},
                                    {"path":"args.bucket.name","op":"eq","value":"x"}]}}}""");

    assertThat(all).extracting(PolicyProblem::pointer).containsExactly(
        "/all_tools/require/0/path", "/tools/put/deny_if/0/path", "/tools/put/deny_if/1/path");
    assertThat(all.get(1).message()).isEqualTo("\"bucket\" can never match: on a tool a path starts"
        + " with \"args.\" (the call's arguments), e.g. \"args.bucket\"; did you mean \"args.bucket\"?");
    assertThat(all.get(0).message()).contains("\"region\" exists only for entries under \"operations\"");
    assertThat(all.get(2).line()).isEqualTo(4);
  }

  @Test
  void anOperationPredicateOutsideParamsRegionProfileAndArgsIsRefusedNamingTheValidRoots()
      throws PolicyException {
    List<PolicyProblem> all = problems("""
        {"version":"1","default":"deny","operations":{"omics:StartReadSetExportJob":{
          "require":[{"path":"destination","op":"regex","value":"s3://mine/.*"},
                     {"path":"params","op":"exists"},
                     {"path":"params.--destination","op":"exists"},
                     {"path":"params.destination.bucket","op":"eq","value":"x"},
                     {"path":"region.name","op":"eq","value":"us-east-1"}]}}}""");

    assertThat(all).extracting(PolicyProblem::pointer).containsExactly(
        "/operations/omics:StartReadSetExportJob/require/0/path",
        "/operations/omics:StartReadSetExportJob/require/1/path",
        "/operations/omics:StartReadSetExportJob/require/2/path",
        "/operations/omics:StartReadSetExportJob/require/3/path",
        "/operations/omics:StartReadSetExportJob/require/4/path");
    assertThat(all.get(0).message()).contains("can never match", "\"params.NAME\"", "\"region\"",
        "\"profile\"", "\"args.\"", "did you mean \"params.destination\"?");
    assertThat(all.get(2).message()).contains("\"params.destination\" for --destination");
    assertThat(all.get(3).message()).contains("nothing follows \"params.destination\"");
    assertThat(all.get(4).message()).contains("\"region\" is a single value");

    Policy ok = load("""
        {"version":"1","default":"deny","operations":{"omics:*":{
          "require":[{"path":"params.destination","op":"regex","value":"s3://mine/.*"},
                     {"path":"region","op":"in","value":["us-east-1"]},
                     {"path":"profile","op":"neq","value":"admin"},
                     {"path":"args.cli_command","op":"exists"}]}}}""");
    assertThat(ok.operations().values().iterator().next().require()).hasSize(4);
  }

  @Test
  void emptyOrNestedChoicesAndArrayOperandsOfEqAreRefusedBecauseTheyCanNeverDecide() {
    List<PolicyProblem> all = problems("""
        {"version":"1","default":"deny","tools":{"x":{"deny_if":[
          {"path":"args.a","op":"in","value":[]},
          {"path":"args.a","op":"not_in","value":[]},
          {"path":"args.a","op":"in","value":[["a","b"]]},
          {"path":"args.a","op":"eq","value":["a"]},
          {"path":"args.a","op":"neq","value":["a"]},
          {"path":"args.a","op":"in","value":["a",{"k":1}]}]}}}""");

    assertThat(all).extracting(PolicyProblem::pointer).containsExactly(
        "/tools/x/deny_if/0/value", "/tools/x/deny_if/1/value", "/tools/x/deny_if/2/value",
        "/tools/x/deny_if/3/value", "/tools/x/deny_if/4/value");
    assertThat(all.get(0).message()).startsWith("an empty list for in matches no value");
    assertThat(all.get(1).message()).startsWith("an empty list for not_in excludes no value");
    assertThat(all.get(2).message()).contains("an array choice never matches");
    assertThat(all.get(3).message()).contains("eq never matches; use in");
    assertThat(all.get(4).message()).contains("use not_in");
  }

  @Test
  void toolKeysAndHideEntriesWithSurroundingWhiteSpaceAreRefused() {
    List<PolicyProblem> all = problems("""
        {"version":"1","default":"allow","hide":["secret_* "],
         "tools":{" call_aws":{"action":"deny"},"ok_tool":{}}}""");

    assertThat(all).extracting(PolicyProblem::pointer).containsExactly("/hide/0", "/tools/ call_aws");
    assertThat(all.get(1).message()).contains("never matches", "write \"call_aws\"");
  }

  @Test
  void approvalOnAnEntryThatDoesNotAskAndArgumentsSchemaOnAnOperationAreRefused() {
    List<PolicyProblem> all = problems("""
        {"version":"1","default":"deny",
         "tools":{"a":{"action":"deny","approval":{"timeout_seconds":30}}},
         "operations":{"s3:Put*":{"arguments_schema":{"type":"object"}}}}""");

    assertThat(all).extracting(PolicyProblem::pointer)
        .containsExactly("/tools/a/approval", "/operations/s3:Put*/arguments_schema");
    assertThat(all.get(1).message()).contains("applies to tools only");
  }

  @Test
  void anEmptyFileSaysItIsEmpty() {
    assertThat(onlyProblem("").message()).startsWith("is empty");
  }

  @Test
  void aMissingFileSaysSoWithoutAJavaExceptionName(@TempDir Path dir) {
    Path missing = dir.resolve("nope.json");

    assertThatThrownBy(() -> loader.load(missing))
        .hasMessage(missing + ": /: cannot be read: no such file")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Exception"));
  }

  @Test
  void aDirectoryGivenAsThePolicyIsNamedWithoutAJavaExceptionName(@TempDir Path dir) {
    assertThatThrownBy(() -> loader.load(dir))
        .hasMessageStartingWith(dir + ": /: cannot be read: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Exception"));
  }

  @Test
  void invalidJsonNeverMentionsTheParsersRedactedSource() {
    PolicyProblem p = onlyProblem("{\"version\":\"1\", \"default\": 'deny'}");

    assertThat(p.message()).startsWith("is not valid JSON:").doesNotContain("REDACTED")
        .doesNotContain("StreamReadFeature").doesNotContain("Source:");
  }
}
