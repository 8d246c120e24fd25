package io.github.mcppolicyproxy.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The AWS CLI's customizations (commands that are not one API operation) that the upstream server
 * runs, mapped to the API operations (IAM actions) they perform for the options given.
 *
 * <p>Sources: aws-cli 1.45 {@code awscli/customizations} (what each command calls) and the
 * upstream server's ALLOWED_CUSTOM_OPERATIONS (which customizations it runs at all). Lists are
 * what each command can call in its ordinary run, so a policy that denies any of them denies the
 * command; options that make a command call more (an assumed role, an upload bucket) add those
 * calls. A customization that is not listed here is refused: its calls would be a guess.
 */
final class CustomCommands {

  private static final Map<String, List<String>> OPERATIONS = Map.ofEntries(
      Map.entry("ecr get-login-password", List.of("ecr:GetAuthorizationToken")),
      Map.entry("ecr get-login", List.of("ecr:GetAuthorizationToken")),
      Map.entry("ecr-public get-login-password", List.of("ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken")),
      Map.entry("eks get-token", List.of("sts:GetCallerIdentity")),
      Map.entry("eks update-kubeconfig", List.of("eks:DescribeCluster")),
      Map.entry("codeartifact login", List.of("codeartifact:GetAuthorizationToken",
          "codeartifact:GetRepositoryEndpoint", "sts:GetServiceBearerToken")),
      Map.entry("rds generate-db-auth-token", List.of("rds-db:connect")),
      Map.entry("cloudformation package", List.of("s3:HeadObject", "s3:PutObject")),
      Map.entry("cloudformation deploy", List.of("cloudformation:DescribeStacks", "cloudformation:CreateChangeSet",
          "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet")),
      Map.entry("cloudtrail validate-logs", List.of("cloudtrail:DescribeTrails", "s3:GetBucketLocation",
          "s3:ListObjects", "s3:GetObject")),
      // subscribe ends by printing the recorders and channels it set up (configservice/subscribe.py)
      Map.entry("configservice subscribe", List.of("s3:HeadBucket", "s3:CreateBucket", "sns:CreateTopic",
          "config:PutConfigurationRecorder", "config:PutDeliveryChannel", "config:StartConfigurationRecorder",
          "config:DescribeConfigurationRecorders", "config:DescribeDeliveryChannels")),
      Map.entry("configservice get-status", List.of("config:DescribeConfigurationRecorderStatus",
          "config:DescribeDeliveryChannelStatus")),
      Map.entry("datapipeline list-runs", List.of("datapipeline:QueryObjects", "datapipeline:DescribeObjects")),
      // the create-default-role(s) commands print each new role's managed policy: GetPolicy, then
      // GetPolicyVersion of its default version
      Map.entry("datapipeline create-default-roles", List.of("iam:GetRole", "iam:GetPolicy", "iam:GetPolicyVersion",
          "iam:CreateRole", "iam:AttachRolePolicy", "iam:GetInstanceProfile", "iam:CreateInstanceProfile",
          "iam:AddRoleToInstanceProfile")),
      Map.entry("dlm create-default-role", List.of("iam:GetRole", "iam:GetPolicy", "iam:GetPolicyVersion",
          "iam:CreateRole", "iam:AttachRolePolicy")),
      Map.entry("emr create-default-roles", List.of("iam:GetRole", "iam:GetPolicy", "iam:GetPolicyVersion",
          "iam:CreateRole", "iam:AttachRolePolicy", "iam:GetInstanceProfile", "iam:CreateInstanceProfile",
          "iam:AddRoleToInstanceProfile")),
      Map.entry("emr create-cluster", List.of("elasticmapreduce:RunJobFlow")),
      Map.entry("emr describe-cluster", List.of("elasticmapreduce:DescribeCluster",
          "elasticmapreduce:ListInstanceGroups", "elasticmapreduce:ListInstanceFleets",
          "elasticmapreduce:ListBootstrapActions")),
      Map.entry("emr terminate-clusters", List.of("elasticmapreduce:TerminateJobFlows")),
      Map.entry("emr modify-cluster-attributes", List.of("elasticmapreduce:SetVisibleToAllUsers",
          "elasticmapreduce:SetTerminationProtection", "elasticmapreduce:SetKeepJobFlowAliveWhenNoSteps",
          "elasticmapreduce:SetUnhealthyNodeReplacement")),
      Map.entry("emr install-applications", List.of("elasticmapreduce:DescribeCluster", "elasticmapreduce:AddJobFlowSteps")),
      Map.entry("emr add-steps", List.of("elasticmapreduce:DescribeCluster", "elasticmapreduce:AddJobFlowSteps")),
      Map.entry("emr add-instance-groups", List.of("elasticmapreduce:AddInstanceGroups")),
      Map.entry("emr restore-from-hbase-backup", List.of("elasticmapreduce:DescribeCluster", "elasticmapreduce:AddJobFlowSteps")),
      Map.entry("emr create-hbase-backup", List.of("elasticmapreduce:DescribeCluster", "elasticmapreduce:AddJobFlowSteps")),
      Map.entry("emr schedule-hbase-backup", List.of("elasticmapreduce:DescribeCluster", "elasticmapreduce:AddJobFlowSteps")),
      Map.entry("emr disable-hbase-backups", List.of("elasticmapreduce:DescribeCluster", "elasticmapreduce:AddJobFlowSteps")),
      Map.entry("emr-containers update-role-trust-policy", List.of("sts:GetCallerIdentity", "eks:DescribeCluster",
          "iam:GetRole", "iam:UpdateAssumeRolePolicy")),
      Map.entry("gamelift upload-build", List.of("gamelift:CreateBuild", "gamelift:RequestUploadCredentials",
          "s3:PutObject")),
      Map.entry("gamelift get-game-session-log", List.of("gamelift:GetGameSessionLogUrl")),
      Map.entry("deploy push", List.of("s3:PutObject", "codedeploy:RegisterApplicationRevision")),
      Map.entry("deploy register", List.of("iam:CreateUser", "iam:PutUserPolicy", "iam:CreateAccessKey",
          "codedeploy:RegisterOnPremisesInstance", "codedeploy:AddTagsToOnPremisesInstances")),
      Map.entry("deploy deregister", List.of("codedeploy:GetOnPremisesInstance",
          "codedeploy:RemoveTagsFromOnPremisesInstances", "codedeploy:DeregisterOnPremisesInstance",
          "iam:ListUserPolicies", "iam:DeleteUserPolicy", "iam:ListAccessKeys", "iam:DeleteAccessKey",
          "iam:DeleteUser")),
      Map.entry("ecs deploy", List.of("ecs:DescribeServices", "ecs:RegisterTaskDefinition",
          "codedeploy:GetApplication", "codedeploy:GetDeploymentGroup", "codedeploy:CreateDeployment")),
      Map.entry("servicecatalog generate product", List.of("s3:PutObject", "servicecatalog:CreateProduct")),
      Map.entry("servicecatalog generate provisioning-artifact", List.of("s3:PutObject",
          "servicecatalog:CreateProvisioningArtifact")));

  /** The customizations the server runs (its ALLOWED_CUSTOM_OPERATIONS); others it refuses. */
  private static final Set<String> RUN_BY_SERVER = Set.of(
      "s3 ls", "s3 website", "s3 sync", "s3 cp", "s3 mv", "s3 rm", "s3 mb", "s3 rb", "s3 presign",
      "cloudformation package", "cloudformation deploy", "cloudfront sign", "cloudtrail validate-logs",
      "codeartifact login", "codecommit credential-helper", "datapipeline list-runs",
      "datapipeline create-default-roles", "dlm create-default-role", "ecr get-login", "ecr get-login-password",
      "ecr-public get-login-password", "ecs deploy", "eks update-kubeconfig", "eks get-token",
      "emr add-instance-groups", "emr describe-cluster", "emr terminate-clusters", "emr modify-cluster-attributes",
      "emr install-applications", "emr create-cluster", "emr add-steps", "emr restore-from-hbase-backup",
      "emr create-hbase-backup", "emr schedule-hbase-backup", "emr disable-hbase-backups", "emr create-default-roles",
      "emr-containers update-role-trust-policy", "gamelift upload-build", "gamelift get-game-session-log",
      "rds generate-db-auth-token", "servicecatalog generate", "deploy push", "deploy register", "deploy deregister",
      "configservice subscribe", "configservice get-status");

  /** Commands with a second word (aws servicecatalog generate product). */
  private static final Set<String> NESTED = Set.of("servicecatalog generate");

  private static final Map<String, String> REFUSED = Map.ofEntries(
      Map.entry("configure", "aws configure reads and changes the local CLI configuration and credentials; it is not an API call"),
      Map.entry("history", "aws history reads the local CLI history; it is not an API call"),
      Map.entry("ddb", "aws ddb (the AWS CLI v2 high-level DynamoDB commands) is not in the server's CLI; use aws dynamodb"),
      Map.entry("emr ssh", "aws emr ssh runs a local ssh client"),
      Map.entry("emr socks", "aws emr socks runs a local ssh tunnel"),
      Map.entry("emr get", "aws emr get runs a local scp client"),
      Map.entry("emr put", "aws emr put runs a local scp client"),
      Map.entry("deploy install", "aws deploy install installs the CodeDeploy agent on this machine"),
      Map.entry("deploy uninstall", "aws deploy uninstall removes the CodeDeploy agent from this machine"),
      Map.entry("codecommit credential-helper", "aws codecommit credential-helper is a local git credential helper"),
      Map.entry("cloudfront sign", "aws cloudfront sign signs a URL locally with a private key file; it is not an API call"));

  private CustomCommands() {
  }

  /** Why a whole service word is refused ({@code configure}, {@code history}), if it is. */
  static Optional<String> refusedService(String cliService) {
    return Optional.ofNullable(REFUSED.get(cliService));
  }

  /** The services some of whose commands are refused ({@code emr} for {@code emr ssh}). */
  private static final Set<String> REFUSING = REFUSED.keySet().stream().filter(k -> k.indexOf(' ') > 0)
      .map(k -> k.substring(0, k.indexOf(' '))).collect(java.util.stream.Collectors.toUnmodifiableSet());

  /** Why {@code service operation} is refused, if it is. */
  static Optional<String> refused(String cliService, String cliOperation) {
    if (!REFUSING.contains(cliService)) {
      return Optional.empty(); // no key of REFUSED starts with this service and a space
    }
    return Optional.ofNullable(REFUSED.get(cliService + " " + cliOperation));
  }

  /** Whether the server runs this customization at all. */
  static boolean isRunByServer(String cliService, String cliOperation) {
    return RUN_BY_SERVER.contains(cliService + " " + cliOperation);
  }

  /** Whether {@code service operation} takes a further command word. */
  static boolean isNested(String cliService, String cliOperation) {
    return NESTED.contains(cliService + " " + cliOperation);
  }

  /**
   * The operations of a customization ({@code operation} may be two words) with these parameters
   * (by their full CLI names, as the CLI resolved them), in the order it calls them.
   *
   * @throws UnparseableCommandException when the customization is not known
   */
  static List<AwsOperation> operations(String cliService, String cliOperation, Map<String, List<String>> params)
      throws UnparseableCommandException {
    String command = cliService + " " + cliOperation;
    List<String> keys = OPERATIONS.get(command);
    if (keys == null) {
      throw new UnparseableCommandException("aws " + command + " is an AWS CLI customization whose API calls the proxy"
          + " does not know; use the API operations it stands for");
    }
    List<String> calls = new ArrayList<>(keys);
    switch (command) {
      case "eks get-token" -> {
        if (params.containsKey("role-arn")) {
          calls.add(0, "sts:AssumeRole");
        }
      }
      case "eks update-kubeconfig" -> {
        if (params.containsKey("assume-role-arn")) {
          calls.add(0, "sts:AssumeRole");
        }
      }
      case "cloudformation deploy" -> {
        if (params.containsKey("no-execute-changeset")) {
          calls.remove("cloudformation:ExecuteChangeSet");
        }
        if (params.containsKey("s3-bucket")) {
          calls.add(0, "s3:PutObject");
          calls.add(0, "s3:HeadObject");
        }
      }
      default -> {
      }
    }
    List<AwsOperation> ops = new ArrayList<>();
    for (String key : calls) {
      ops.add(AwsOperation.of(key));
    }
    return ops;
  }

  /** Number of mapped and refused commands; for the report of coverage. */
  static int size() {
    return OPERATIONS.size() + REFUSED.size();
  }
}
