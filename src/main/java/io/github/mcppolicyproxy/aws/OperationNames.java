package io.github.mcppolicyproxy.aws;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns CLI operation names into API operation names and API member names into CLI names.
 *
 * <p>The CLI names an operation {@code botocore.utils.xform_name(ApiName, "-")}: it inserts
 * dashes and lowercases, and its partial renames ({@code ipv-6 -> ipv6}, {@code s-3-resources ->
 * s3-resources}) only remove dashes. PascalCasing the CLI name back therefore always gives the API
 * name up to letter case ({@code describe-db-instances -> DescribeDbInstances}, API
 * {@code DescribeDBInstances}); IAM compares action names case-insensitively, and policies should
 * too. For exact case, {@link #KNOWN} lists acronym names of services likely to appear in policies
 * (rds, docdb, neptune, iam, sts, sns, elb, route53, cognito-idp, glue, storagegateway, mturk);
 * any other name is PascalCased mechanically.
 */
final class OperationNames {

  private static final Pattern SPECIAL_CASE = Pattern.compile("[A-Z]{2,}s$");
  private static final Pattern FIRST_CAP = Pattern.compile("(.)([A-Z][a-z]+)");
  private static final Pattern END_CAP = Pattern.compile("([a-z0-9])([A-Z])");

  private static final Map<String, String> KNOWN = new HashMap<>();

  /** botocore's {@code _xform_cache}: names its regular expressions get wrong (botocore/__init__.py). */
  private static final Map<String, String> XFORM_OVERRIDES = new HashMap<>();

  static {
    for (String entry : ("CreateCachediSCSIVolume=create-cached-iscsi-volume "
        + "DescribeCachediSCSIVolumes=describe-cached-iscsi-volumes "
        + "DescribeStorediSCSIVolumes=describe-stored-iscsi-volumes "
        + "CreateStorediSCSIVolume=create-stored-iscsi-volume "
        + "ListHITsForQualificationType=list-hits-for-qualification-type "
        + "ExecutePartiQLStatement=execute-partiql-statement "
        + "ExecutePartiQLTransaction=execute-partiql-transaction "
        + "ExecutePartiQLBatch=execute-partiql-batch "
        + "CreateOAuth2Token=create-oauth2-token "
        + "CreateOAuth2TokenWithIAM=create-oauth2-token-with-iam "
        + "IntrospectOAuth2TokenWithIAM=introspect-oauth2-token-with-iam "
        + "RevokeOAuth2TokenWithIAM=revoke-oauth2-token-with-iam "
        + "GetOTelEnrichment=get-otel-enrichment "
        + "StartOTelEnrichment=start-otel-enrichment "
        + "StopOTelEnrichment=stop-otel-enrichment "
        + "SendWhatsAppMessage=send-whatsapp-message").split(" ")) {
      String[] pair = entry.split("=");
      XFORM_OVERRIDES.put(pair[0], pair[1]);
    }
    for (String api : XFORM_OVERRIDES.keySet()) {
      KNOWN.put("* " + XFORM_OVERRIDES.get(api), api);
    }
    String rds = "AddRoleToDBCluster AddRoleToDBInstance CopyDBClusterParameterGroup CopyDBClusterSnapshot "
        + "CopyDBParameterGroup CopyDBSnapshot CreateDBCluster CreateDBClusterEndpoint CreateDBClusterParameterGroup "
        + "CreateDBClusterSnapshot CreateDBInstance CreateDBInstanceReadReplica CreateDBParameterGroup CreateDBProxy "
        + "CreateDBProxyEndpoint CreateDBSecurityGroup CreateDBSnapshot CreateDBSubnetGroup DeleteDBCluster "
        + "DeleteDBClusterEndpoint DeleteDBClusterParameterGroup DeleteDBClusterSnapshot DeleteDBInstance "
        + "DeleteDBInstanceAutomatedBackup DeleteDBParameterGroup DeleteDBProxy DeleteDBSecurityGroup DeleteDBSnapshot "
        + "DeleteDBSubnetGroup DescribeDBClusterEndpoints DescribeDBClusterParameterGroups DescribeDBClusterParameters "
        + "DescribeDBClusterSnapshotAttributes DescribeDBClusterSnapshots DescribeDBClusters DescribeDBEngineVersions "
        + "DescribeDBInstanceAutomatedBackups DescribeDBInstances DescribeDBLogFiles DescribeDBParameterGroups "
        + "DescribeDBParameters DescribeDBProxies DescribeDBProxyEndpoints DescribeDBProxyTargetGroups "
        + "DescribeDBProxyTargets DescribeDBSecurityGroups DescribeDBSnapshotAttributes DescribeDBSnapshots "
        + "DescribeDBSubnetGroups DownloadDBLogFilePortion FailoverDBCluster ModifyDBCluster ModifyDBClusterEndpoint "
        + "ModifyDBClusterParameterGroup ModifyDBClusterSnapshotAttribute ModifyDBInstance ModifyDBParameterGroup "
        + "ModifyDBProxy ModifyDBSnapshot ModifyDBSnapshotAttribute ModifyDBSubnetGroup PromoteReadReplicaDBCluster "
        + "RebootDBCluster RebootDBInstance RemoveRoleFromDBCluster RemoveRoleFromDBInstance ResetDBClusterParameterGroup "
        + "ResetDBParameterGroup RestoreDBClusterFromS3 RestoreDBClusterFromSnapshot RestoreDBClusterToPointInTime "
        + "RestoreDBInstanceFromDBSnapshot RestoreDBInstanceFromS3 RestoreDBInstanceToPointInTime "
        + "RevokeDBSecurityGroupIngress AuthorizeDBSecurityGroupIngress StartDBCluster StartDBInstance StopDBCluster "
        + "StopDBInstance";
    register("rds", rds);
    register("docdb", rds);
    register("neptune", rds);
    register("iam", "AddClientIDToOpenIDConnectProvider CreateOpenIDConnectProvider CreateSAMLProvider "
        + "CreateVirtualMFADevice DeactivateMFADevice DeleteOpenIDConnectProvider DeleteSAMLProvider "
        + "DeleteSSHPublicKey DeleteVirtualMFADevice EnableMFADevice GetOpenIDConnectProvider GetSAMLProvider "
        + "GetSSHPublicKey ListMFADeviceTags ListMFADevices ListOpenIDConnectProviderTags ListOpenIDConnectProviders "
        + "ListSAMLProviderTags ListSAMLProviders ListSSHPublicKeys ListVirtualMFADevices "
        + "RemoveClientIDFromOpenIDConnectProvider ResyncMFADevice TagMFADevice TagOpenIDConnectProvider "
        + "TagSAMLProvider UntagMFADevice UntagOpenIDConnectProvider UntagSAMLProvider "
        + "UpdateOpenIDConnectProviderThumbprint UpdateSAMLProvider UpdateSSHPublicKey UploadSSHPublicKey");
    register("sts", "AssumeRoleWithSAML");
    register("sns", "CheckIfPhoneNumberIsOptedOut GetSMSAttributes SetSMSAttributes GetSMSSandboxAccountStatus "
        + "CreateSMSSandboxPhoneNumber DeleteSMSSandboxPhoneNumber ListSMSSandboxPhoneNumbers VerifySMSSandboxPhoneNumber");
    register("elb", "CreateLBCookieStickinessPolicy SetLoadBalancerListenerSSLCertificate");
    register("route53", "GetDNSSEC EnableHostedZoneDNSSEC DisableHostedZoneDNSSEC CreateVPCAssociationAuthorization "
        + "DeleteVPCAssociationAuthorization ListVPCAssociationAuthorizations AssociateVPCWithHostedZone "
        + "DisassociateVPCFromHostedZone ListHostedZonesByVPC");
    register("cognito-idp", "AdminSetUserMFAPreference SetUserMFAPreference GetUICustomization SetUICustomization GetCSVHeader");
    register("glue", "CancelMLTaskRun CreateMLTransform DeleteMLTransform GetMLTaskRun GetMLTaskRuns GetMLTransform "
        + "GetMLTransforms ListMLTransforms StartMLEvaluationTaskRun StartMLLabelingSetGenerationTaskRun UpdateMLTransform");
    register("storagegateway", "CreateCachediSCSIVolume CreateStorediSCSIVolume DescribeCachediSCSIVolumes "
        + "DescribeStorediSCSIVolumes CreateNFSFileShare CreateSMBFileShare UpdateNFSFileShare UpdateSMBFileShare "
        + "DescribeNFSFileShares DescribeSMBFileShares DescribeSMBSettings SetSMBGuestPassword UpdateSMBSecurityStrategy");
    register("mturk", "CreateHIT CreateHITType CreateHITWithHITType DeleteHIT GetHIT ListHITs ListHITsForQualificationType "
        + "ListReviewableHITs UpdateExpirationForHIT UpdateHITReviewStatus UpdateHITTypeOfHIT");
  }

  private OperationNames() {
  }

  /** The API name of CLI operation {@code kebab} of CLI service {@code cliService}. */
  static String apiName(String cliService, String kebab) {
    String known = KNOWN.get(cliService + " " + kebab);
    if (known == null) {
      known = KNOWN.get("* " + kebab);
    }
    return known != null ? known : pascal(kebab);
  }

  /** {@code start-read-set-export-job -> StartReadSetExportJob}. */
  static String pascal(String kebab) {
    StringBuilder out = new StringBuilder(kebab.length());
    for (String part : kebab.split("-")) {
      if (!part.isEmpty()) {
        out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return out.toString();
  }

  /**
   * botocore's {@code xform_name(name, "-")}: the CLI name of an API member or operation,
   * {@code DestinationS3Uri -> destination-s3-uri}, {@code roleArn -> role-arn}. A name that
   * already contains a dash is returned unchanged, as botocore does.
   */
  static String cliName(String name) {
    if (name.contains("-")) {
      return name;
    }
    String override = XFORM_OVERRIDES.get(name);
    if (override != null) {
      return override;
    }
    String s = name;
    Matcher special = SPECIAL_CASE.matcher(s);
    if (special.find()) {
      String matched = special.group();
      s = s.substring(0, s.length() - matched.length()) + "-" + matched.toLowerCase(Locale.ROOT);
    }
    s = FIRST_CAP.matcher(s).replaceAll("$1-$2");
    s = END_CAP.matcher(s).replaceAll("$1-$2").toLowerCase(Locale.ROOT);
    return s.replace("ipv-6", "ipv6").replace("s-3-resources", "s3-resources");
  }

  /** Number of known exact-case names; for the report of coverage. */
  static int knownCount() {
    return KNOWN.size();
  }

  private static void register(String cliService, String apiNames) {
    for (String api : apiNames.trim().split("\\s+")) {
      String kebab = cliName(api);
      if (!pascal(kebab).equalsIgnoreCase(api)) {
        throw new IllegalStateException("table entry " + api + " does not round-trip through " + kebab);
      }
      KNOWN.put(cliService + " " + kebab, api);
    }
  }
}
