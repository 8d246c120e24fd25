package io.github.mcppolicyproxy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperationNamesTest {

  @ParameterizedTest
  @CsvSource({
    "StartReadSetExportJob, start-read-set-export-job",
    "DescribeDBInstances, describe-db-instances",
    "ListObjectsV2, list-objects-v2",
    "AssignIpv6Addresses, assign-ipv6-addresses",
    "ListHITs, list-hits",
    "CreateCachediSCSIVolume, create-cached-iscsi-volume",
    "ExecutePartiQLStatement, execute-partiql-statement",
    "GetBucketCors, get-bucket-cors",
    "roleArn, role-arn",
    "DestinationS3Uri, destination-s3-uri",
    "already-kebab, already-kebab"
  })
  void cliNameIsBotocoreXformName(String api, String cli) {
    assertThat(OperationNames.cliName(api)).isEqualTo(cli);
  }

  @ParameterizedTest
  @CsvSource({
    "rds, describe-db-instances, DescribeDBInstances",
    "omics, start-read-set-export-job, StartReadSetExportJob",
    "ec2, describe-instances, DescribeInstances",
    "mturk, list-hits-for-qualification-type, ListHITsForQualificationType",
    "iam, list-mfa-devices, ListMFADevices",
    "someservice, describe-db-instances, DescribeDbInstances"
  })
  void apiNameUsesKnownAcronymsAndOtherwisePascalCases(String service, String cli, String api) {
    assertThat(OperationNames.apiName(service, cli)).isEqualTo(api);
  }

  @ParameterizedTest
  @CsvSource({
    "DescribeDBInstances", "ListHITsForQualificationType", "CreateOpenIDConnectProvider", "GetCSVHeader",
    "AssignIpv6Addresses", "CreateCachediSCSIVolume", "CreateOAuth2TokenWithIAM", "PutBucketOwnershipControls"
  })
  void mechanicalPascalCaseEqualsTheApiNameIgnoringCase(String api) {
    assertThat(OperationNames.pascal(OperationNames.cliName(api))).isEqualToIgnoringCase(api);
  }
}
