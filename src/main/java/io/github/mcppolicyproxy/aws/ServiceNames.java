package io.github.mcppolicyproxy.aws;

import java.util.Map;
import java.util.Optional;

/**
 * Maps the service word of a CLI command to the IAM service prefix that policies name.
 *
 * <p>Two layers differ from the CLI word. (1) aws-cli renames three botocore services
 * ({@code utils.rename_command}): {@code s3 -> s3api}, {@code config -> configservice},
 * {@code codedeploy -> deploy}, and adds a hidden alias {@code runtime.sagemaker} for
 * {@code sagemaker-runtime}. (2) The IAM prefix (Service Authorization Reference) differs from the
 * botocore service name for the services in {@link #IAM_PREFIX}. Every CLI word not in the table is
 * its own IAM prefix, which holds for most services (ec2, iam, sts, omics, logs, events, ce,
 * cognito-idp, lambda, ...). Sources: aws-cli 1.45 {@code awscli/customizations} (renames, checked in
 * its source) and the IAM Service Authorization Reference (prefixes written down from it, not
 * machine-checked in this build, which has no network). A missing entry means a policy on the
 * IAM prefix does not see that service's operations: add entries as they are found.
 */
final class ServiceNames {

  /** CLI service word to IAM prefix, where they differ. */
  private static final Map<String, String> IAM_PREFIX = Map.ofEntries(
      Map.entry("s3api", "s3"),
      Map.entry("s3control", "s3"),
      Map.entry("s3outposts", "s3-outposts"),
      Map.entry("configservice", "config"),
      Map.entry("deploy", "codedeploy"),
      Map.entry("elb", "elasticloadbalancing"),
      Map.entry("elbv2", "elasticloadbalancing"),
      Map.entry("emr", "elasticmapreduce"),
      Map.entry("efs", "elasticfilesystem"),
      Map.entry("stepfunctions", "states"),
      Map.entry("opensearch", "es"),
      Map.entry("opensearchserverless", "aoss"),
      Map.entry("resourcegroupstaggingapi", "tag"),
      Map.entry("sesv2", "ses"),
      Map.entry("pinpoint-email", "ses"),
      Map.entry("pinpoint-sms-voice-v2", "sms-voice"),
      Map.entry("apigatewayv2", "apigateway"),
      Map.entry("apigatewaymanagementapi", "execute-api"),
      Map.entry("dynamodbstreams", "dynamodb"),
      Map.entry("kinesisanalyticsv2", "kinesisanalytics"),
      Map.entry("kinesis-video-archived-media", "kinesisvideo"),
      Map.entry("kinesis-video-media", "kinesisvideo"),
      Map.entry("kinesis-video-signaling", "kinesisvideo"),
      Map.entry("lex-models", "lex"),
      Map.entry("lex-runtime", "lex"),
      Map.entry("lexv2-models", "lex"),
      Map.entry("lexv2-runtime", "lex"),
      Map.entry("iot-data", "iot"),
      Map.entry("iotevents-data", "iotevents"),
      Map.entry("mediastore-data", "mediastore"),
      Map.entry("sagemaker-runtime", "sagemaker"),
      Map.entry("runtime.sagemaker", "sagemaker"),
      Map.entry("sagemaker-a2i-runtime", "sagemaker"),
      Map.entry("sagemaker-featurestore-runtime", "sagemaker"),
      Map.entry("sagemaker-edge", "sagemaker"),
      Map.entry("bedrock-runtime", "bedrock"),
      Map.entry("bedrock-agent", "bedrock"),
      Map.entry("bedrock-agent-runtime", "bedrock"),
      Map.entry("meteringmarketplace", "aws-marketplace"),
      Map.entry("marketplace-catalog", "aws-marketplace"),
      Map.entry("marketplace-entitlement", "aws-marketplace"),
      Map.entry("timestream-query", "timestream"),
      Map.entry("timestream-write", "timestream"),
      Map.entry("cloudhsmv2", "cloudhsm"),
      Map.entry("cloudsearchdomain", "cloudsearch"),
      Map.entry("connect-contact-lens", "connect"),
      Map.entry("appconfigdata", "appconfig"),
      Map.entry("personalize-runtime", "personalize"),
      Map.entry("personalize-events", "personalize"),
      Map.entry("qldb-session", "qldb"),
      Map.entry("mwaa", "airflow"),
      Map.entry("docdb", "rds"),
      Map.entry("neptune", "rds"),
      Map.entry("alexaforbusiness", "a4b"),
      Map.entry("sso-admin", "sso"),
      Map.entry("sso-oidc", "sso-oauth"),
      Map.entry("migrationhub-config", "mgh"),
      Map.entry("servicecatalog-appregistry", "servicecatalog"));

  /**
   * Services whose endpoint lives in one fixed region; the upstream overrides any region for them
   * (aws_api_mcp_server/core/aws/regions.py GLOBAL_SERVICE_REGIONS, keyed by botocore name, which
   * equals the CLI word for all of these).
   */
  private static final Map<String, String> FIXED_REGION = Map.of(
      "devicefarm", "us-west-2",
      "ecr-public", "us-east-1",
      "globalaccelerator", "us-west-2",
      "marketplace-catalog", "us-east-1",
      "route53-recovery-control-config", "us-west-2",
      "route53-recovery-readiness", "us-west-2",
      "route53domains", "us-east-1",
      "sagemaker-geospatial", "us-west-2");

  private ServiceNames() {
  }

  /** The IAM service prefix for a CLI service word. */
  static String iamPrefix(String cliService) {
    return IAM_PREFIX.getOrDefault(cliService, cliService);
  }

  /** Whether the word is a known alias that does not have the usual kebab shape. */
  static boolean isIrregularAlias(String cliService) {
    return cliService.equals("runtime.sagemaker");
  }

  /** The region the upstream forces for this service's API operations, if any. */
  static Optional<String> fixedRegion(String cliService) {
    return Optional.ofNullable(FIXED_REGION.get(cliService));
  }

  /** Number of table entries; for the report of coverage. */
  static int size() {
    return IAM_PREFIX.size();
  }
}
