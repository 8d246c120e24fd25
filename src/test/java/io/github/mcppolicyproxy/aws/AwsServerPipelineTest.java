package io.github.mcppolicyproxy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.policy.CommandInspector.Command;
import io.github.mcppolicyproxy.policy.CommandInspector.Inspection;
import io.github.mcppolicyproxy.policy.PolicyEngine;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import io.github.mcppolicyproxy.policy.ToolCall;
import io.github.mcppolicyproxy.policy.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The classes of issue 8: what the server (argparse, its rewrites, awscli's customizations) really runs. */
class AwsServerPipelineTest {

  private static final AwsDefaults SERVER = AwsDefaults.fromEnvironment(Map.of(
      "AWS_REGION", "us-east-1", "AWS_DEFAULT_REGION", "eu-west-1", "AWS_API_MCP_PROFILE_NAME", "server"));
  private final AwsCliParser parser = new AwsCliParser(SERVER);

  // class 1: --name=value words, also with spaces and abbreviated, are options; the last one wins
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "aws omics start-read-set-export-job --sequence-store-id 1 --sources x --destination s3://good/ '--destination=s3://elsewhere/x y/' --role-arn r | s3://elsewhere/x y/",
      "aws omics start-read-set-export-job --sequence-store-id 1 --sources x --destination s3://good/ '--dest=s3://elsewhere/x y/' --role-arn r | s3://elsewhere/x y/",
      "aws omics start-read-set-export-job --sequence-store-id 1 '--dest=s3://a b/' --destination s3://good/ --role-arn r | s3://good/",
      "aws omics start-read-set-export-job --sequence-store-id 1 --destin s3://x/ --sources y --role-arn r | s3://x/"})
  void equalsFormsAndAbbreviationsAreTheOptionAndTheLastOneWins(String command, String destination) {
    assertThat(parsed(command).paramValues("destination")).containsExactly(destination);
  }

  @Test
  void aWordWithASpaceAndNoOptionBeforeItsEqualsIsAValue() {
    AwsCommand c = parsed("aws ec2 create-tags --resources i-1 --tags '--Key=a b'");
    assertThat(c.paramValues("tags")).containsExactly("--Key=a b");
  }

  @Test
  void anAmbiguousAbbreviationOfAnOperationParameterIsDroppedAsTheServerDropsIt() {
    AwsCommand c = parsed("aws s3api put-object --bucket b --key k --ch");
    assertThat(c.params()).containsOnlyKeys("bucket", "key");
    assertThat(reason("aws s3api put-object --bucket b --key k --ch=x")).contains("unknown option \"--ch=x\"");
    assertThat(reason("aws s3api put-object --bucket b --key k --ch x")).contains("unexpected argument \"x\"");
    assertThat(parsed("aws s3api put-object --bucket b --key k --").params()).containsOnlyKeys("bucket", "key");
    assertThat(reason("aws s3 cp a s3://b/k --s x")).contains("is ambiguous"); // awscli itself stops there
  }

  @Test
  void aListOptionLeftWithoutAValueIsRefusedForTheServerSendsAnEmptyList() {
    assertThat(reason("aws secretsmanager untag-resource --secret-id s --tag-keys --"))
        .contains("--tag-keys is given no value");
    assertThat(reason("aws lightsail attach-instances-to-load-balancer --load-balancer-name l --instance-names --"))
        .contains("--instance-names is given no value");
    assertThat(parsed("aws secretsmanager untag-resource --secret-id s --tag-keys k --").params().get("tag-keys"))
        .containsExactly("k");
  }

  // class 2 and 5: customizations call more APIs for some options, abbreviations and booleans included
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "aws eks get-token --cluster-name c --role-arn arn:aws:iam::1:role/r | sts:AssumeRole,sts:GetCallerIdentity",
      "aws eks get-token --cluster-name c --role arn:aws:iam::1:role/r | sts:AssumeRole,sts:GetCallerIdentity",
      "aws eks get-token --cluster-name c | sts:GetCallerIdentity",
      "aws eks update-kubeconfig --name c --assume-role-arn arn:aws:iam::1:role/r | sts:AssumeRole,eks:DescribeCluster",
      "aws eks update-kubeconfig --name c --assume arn:aws:iam::1:role/r | sts:AssumeRole,eks:DescribeCluster",
      "aws cloudformation deploy --template-file t --stack-name s --s3-b bucket | s3:HeadObject,s3:PutObject,cloudformation:DescribeStacks,cloudformation:CreateChangeSet,cloudformation:DescribeChangeSet,cloudformation:ExecuteChangeSet",
      "aws cloudformation deploy --template-file t --stack-name s --no-execute | cloudformation:DescribeStacks,cloudformation:CreateChangeSet,cloudformation:DescribeChangeSet",
      "aws cloudformation package --template-file t --s3-bucket b | s3:HeadObject,s3:PutObject",
      "aws configservice subscribe --s3-b b --sns-t t --iam-r arn:aws:iam::1:role/r | s3:HeadBucket,s3:CreateBucket,sns:CreateTopic,config:PutConfigurationRecorder,config:PutDeliveryChannel,config:StartConfigurationRecorder,config:DescribeConfigurationRecorders,config:DescribeDeliveryChannels",
      "aws dlm create-default-role --resource-type=image | iam:GetRole,iam:GetPolicy,iam:GetPolicyVersion,iam:CreateRole,iam:AttachRolePolicy",
      "aws datapipeline create-default-roles | iam:GetRole,iam:GetPolicy,iam:GetPolicyVersion,iam:CreateRole,iam:AttachRolePolicy,iam:GetInstanceProfile,iam:CreateInstanceProfile,iam:AddRoleToInstanceProfile",
      "aws emr create-default-roles | iam:GetRole,iam:GetPolicy,iam:GetPolicyVersion,iam:CreateRole,iam:AttachRolePolicy,iam:GetInstanceProfile,iam:CreateInstanceProfile,iam:AddRoleToInstanceProfile",
      "aws s3 cp s3://a/k s3://b/k | s3:CopyObject,s3:GetObject",
      "aws s3 sync . s3://b/ --del | s3:ListObjectsV2,s3:PutObject,s3:DeleteObject"})
  void customizationsListEveryCallTheirOptionsMake(String command, String operations) {
    assertThat(parsed(command).operationKeys()).containsExactly(operations.split(","));
  }

  @Test
  void dryRunFollowedByNoDryRunIsNotADryRun() {
    AwsCommand c = parsed("aws ec2 run-instances --image-id ami-1 --dry-run --no-dry-run");
    assertThat(c.hasParam("dry-run")).isFalse();
    assertThat(c.hasParam("no-dry-run")).isTrue();
    assertThat(parsed("aws ec2 run-instances --image-id ami-1 --no-dry-run --dry").hasParam("dry-run")).isTrue();
  }

  @Test
  void customizationsTheServerDoesNotRunOrWhoseCallsAreUnknownAreRefused() {
    assertThat(reason("aws logs start-live-tail --log-group-identifiers g")).contains("does not run");
    assertThat(reason("aws cloudtrail create-subscription --name n")).contains("does not run");
    assertThat(reason("aws ec2 wait instance-running")).contains("waiters");
  }

  @Test
  void aCopyThatReadsItsSourceInAnotherRegionIsRefusedForTheProxyJudgesOneRegion() {
    assertThat(reason("aws s3 cp s3://a/k s3://b/k --source-region eu-west-1 --region us-east-1"))
        .contains("--source-region eu-west-1");
    assertThat(reason("aws s3 sync s3://a s3://b --source-reg eu-west-1 --region us-east-1"))
        .contains("--source-region eu-west-1");
    assertThat(parsed("aws s3 cp s3://a/k s3://b/k --source-region us-east-1 --region us-east-1").region())
        .contains("us-east-1");
  }

  // class 3: the server's rewrites
  @Test
  void customizationsRunWithTheServersProfileUnlessAWordIsExactlyDashDashProfile() {
    assertThat(parsed("aws s3 ls s3://b --profile=readonly").profile()).contains("server");
    assertThat(parsed("aws s3 ls s3://b --prof readonly").profile()).contains("server");
    assertThat(parsed("aws s3 ls s3://b --profile readonly").profile()).contains("readonly");
    assertThat(parsed("aws ec2 describe-instances --prof readonly").profile()).contains("readonly");
  }

  @Test
  void customizationsTakeTheirRegionFromAwsDefaultRegionAndApiOperationsFromAwsRegion() {
    assertThat(parsed("aws s3 ls s3://b").region()).contains("eu-west-1");
    assertThat(parsed("aws ec2 describe-instances").region()).contains("us-east-1");
  }

  @Test
  void generateCliSkeletonIsIgnoredByTheServerSoTheOperationRuns() {
    AwsCommand c = parsed("aws omics start-read-set-export-job --sequence-store-id 1 --generate-cli-skeleton");
    assertThat(c.operationKeys()).containsExactly("omics:StartReadSetExportJob");
  }

  @Test
  void regionWildcardIsListRegionsAndTheCommandInEveryRegionEachWithItsOwnPermit(@TempDir Path dir) throws Exception {
    AwsCommandInspector inspector = new AwsCommandInspector(SERVER);
    Inspection found = inspector.inspect(call("aws omics start-read-set-export-job --sequence-store-id 1 --sources x"
        + " --role-arn r --destination 's3://lab-share/--region *' --region *"));
    List<Command> commands = ((Inspection.Commands) found).commands();
    assertThat(commands.get(0).operations()).containsExactly("account:ListRegions");
    assertThat(commands).hasSize(1 + CliModel.get().regions().size());
    assertThat(commands.get(1).facts().get("params").get("destination").asText()).startsWith("s3://lab-share/--region ");
    assertThat(commands.stream().skip(1).map(c -> c.facts().get("region").asText())).contains("us-east-1", "eu-west-1");

    Path policy = dir.resolve("p.json");
    Files.writeString(policy, """
        {"version": "1", "default": "deny", "tools": {"call_aws": {}}, "operations": {
          "account:ListRegions": {},
          "omics:StartReadSetExportJob": {"limits": [{"counter": "x", "window": "minute", "max": 10}]}}}
        """);
    PolicyEngine engine = new PolicyEngine(new PolicyLoader().load(policy), inspector);
    Verdict v = engine.decide(call("aws omics start-read-set-export-job --sequence-store-id 1 --sources x --role-arn r"
        + " --destination s3://b/ --region *"));
    assertThat(v).isInstanceOf(Verdict.Allow.class);
    assertThat(((Verdict.Allow) v).permits().values()).containsExactly(CliModel.get().regions().size());
  }

  // class 4: operation names from botocore
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "aws rds add-option-to-option-group --option-group-name g --options x | rds:ModifyOptionGroup",
      "aws rds remove-option-from-option-group --option-group-name g --options x | rds:ModifyOptionGroup",
      "aws rds describe-db-instances | rds:DescribeDBInstances",
      "aws s3api list-objects-v2 --bucket b | s3:ListObjectsV2",
      "aws accessanalyzer list-analyzers | access-analyzer:ListAnalyzers",
      "aws location list-maps | geo:ListMaps",
      "aws keyspaces list-keyspaces | cassandra:ListKeyspaces"})
  void operationNamesAndPrefixesComeFromBotocoreModels(String command, String key) {
    assertThat(parsed(command).operationKeys()).containsExactly(key);
  }

  // class 6: rules may use the CLI name or the IAM prefix
  @Test
  void aRuleOnTheCliNameOfAServiceMatchesItsIamPrefixedOperations(@TempDir Path dir) throws Exception {
    Path policy = dir.resolve("p.json");
    Files.writeString(policy, """
        {"version": "1", "default": "deny", "tools": {"call_aws": {}}, "operations": {
          "accessanalyzer:List*": {}, "location:*": {"action": "deny"}, "geo:ListMaps": {}}}
        """);
    PolicyEngine engine = new PolicyEngine(new PolicyLoader().load(policy), new AwsCommandInspector(SERVER));
    assertThat(engine.decide(call("aws accessanalyzer list-analyzers"))).isInstanceOf(Verdict.Allow.class);
    assertThat(engine.decide(call("aws location list-maps"))).isInstanceOf(Verdict.Refuse.class);
    assertThat(AwsRuleKeys.isKnownService("keyspaces")).isTrue();
    assertThat(AwsRuleKeys.isKnownService("cassandra")).isTrue();
    assertThat(AwsRuleKeys.isKnownService("omcis")).isFalse();
  }

  // class 8: over-refusals the server would run
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '!', value = {
      "aws --region US-EAST-1 ec2 describe-instances ! us-east-1",
      "aws ec2 describe-instances --region eu-west-1 --region eu-west-2 ! eu-west-2",
      "aws ec2 describe-instances --filters 'Name=tag:x,Values=a;b|c&d>e' ! us-east-1",
      "aws ec2 describe-instances --max-items -5 ! us-east-1",
      "aws s3 cp - s3://b/k ! eu-west-1",
      "aws s3 rm --profile p -- s3://b/-x ! eu-west-1"})
  void commandsTheServerRunsParse(String command, String region) {
    assertThat(parsed(command).region()).contains(region);
  }

  @Test
  void theProfileTheServerAppendsAfterDashDashIsAPathForTheCliSoTheCommandFails() {
    assertThat(reason("aws s3 rm -- s3://b/-x")).contains("--profile");
  }

  private AwsCommand parsed(String command) {
    AwsParseResult result = parser.parse(command);
    assertThat(result).as("parse of %s", command).isInstanceOf(AwsParseResult.Parsed.class);
    return ((AwsParseResult.Parsed) result).command();
  }

  private String reason(String command) {
    AwsParseResult result = parser.parse(command);
    assertThat(result).as("parse of %s", command).isInstanceOf(AwsParseResult.Unparseable.class);
    return ((AwsParseResult.Unparseable) result).reason();
  }

  private static ToolCall call(String command) {
    ObjectNode args = new ObjectMapper().createObjectNode().put("cli_command", command);
    return new ToolCall("call_aws", args);
  }
}
