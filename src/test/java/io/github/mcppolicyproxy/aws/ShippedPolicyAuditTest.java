package io.github.mcppolicyproxy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.policy.PolicyEngine;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import io.github.mcppolicyproxy.policy.ToolCall;
import io.github.mcppolicyproxy.policy.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Audits every shipped policy with {@code operations} against botocore's full operation list:
 * no read-shaped operation that mints credentials or shows a secret may pass a read glob such as
 * {@code *:Get*} or {@code *:BatchGet*}.
 */
class ShippedPolicyAuditTest {

  /** Names that hint at credentials or secrets. */
  private static final Pattern SECRET = Pattern.compile(
      "Secret|Credential|Password|Token|AccessKey|AuthToken|LoginProfile|PrivateKey|Passphrase|SessionKey|Presigned"
          + "|Login|ApiKey|AccessDetails|Signed|ConnectionString");
  /** Prefixes that the shipped read globs allow. */
  private static final Pattern READ = Pattern.compile("(Get|BatchGet|List|Describe|Search|Lookup|Query|Scan|Select|Validate|Estimate|Head).*");

  /**
   * Matched by the name but harmless, each for a reason: metadata, public keys or policies, no
   * secret value and no credential (checked against the API reference of each).
   */
  private static final Set<String> HARMLESS = Set.of(
      "waf:GetChangeToken", "waf:GetChangeTokenStatus", "waf-regional:GetChangeToken",
      "waf-regional:GetChangeTokenStatus", // WAF classic concurrency tokens
      "managedblockchain-query:BatchGetTokenBalance", "managedblockchain-query:GetTokenBalance",
      "managedblockchain-query:ListTokenBalances", // blockchain token balances
      "iam:GetAccountPasswordPolicy", "iam:GetAccessKeyLastUsed", "iam:ListAccessKeys", "iam:GetLoginProfile",
      "iam:ListServiceSpecificCredentials", "iam:GetCredentialReport", // IAM metadata (no secret values)
      "sts:GetAccessKeyInfo", // the account of a key id
      "secretsmanager:DescribeSecret", "secretsmanager:ListSecrets", "secretsmanager:ListSecretVersionIds",
      "secretsmanager:GetRandomPassword", // metadata; a fresh random string
      "cognito-idp:DescribeManagedLoginBranding", "cognito-idp:DescribeManagedLoginBrandingByClient",
      "cognito-idp:ListWebAuthnCredentials", // branding; passkey metadata
      "sso:DescribeTrustedTokenIssuer", "sso:ListTrustedTokenIssuers", // issuer configuration
      "workmail:GetPersonalAccessTokenMetadata", "workmail:ListPersonalAccessTokens",
      "grafana:ListWorkspaceServiceAccountTokens", "codedeploy:ListGitHubAccountTokenNames",
      "codecatalyst:ListAccessTokens", "license-manager:ListTokens", "route53globalresolver:ListAccessTokens",
      "codebuild:ListSourceCredentials", "chime:ListVoiceConnectorTerminationCredentials",
      "kafka:ListScramSecrets", // token and credential metadata: ids, names, ARNs
      "bedrock-agentcore:GetApiKeyCredentialProvider", "bedrock-agentcore:GetOauth2CredentialProvider",
      "bedrock-agentcore:GetPaymentCredentialProvider", "bedrock-agentcore:ListApiKeyCredentialProviders",
      "bedrock-agentcore:ListOauth2CredentialProviders", "bedrock-agentcore:ListPaymentCredentialProviders",
      "bedrock-agentcore:GetTokenVault", // provider configuration (the secret stays in Secrets Manager)
      "iotmanagedintegrations:GetCredentialLocker", "iotmanagedintegrations:ListCredentialLockers",
      "ec2:DescribeIpamExternalResourceVerificationTokens", "ec2:DescribeKeyPairs", "lightsail:GetKeyPair",
      "lightsail:GetKeyPairs", "ivs:GetPlaybackKeyPair", "ivs:ListPlaybackKeyPairs"); // public keys, verification tokens

  static Stream<Path> shippedPolicies() throws Exception {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("config"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".policy.json")).sorted().toList()) {
        if (new PolicyLoader().load(p).hasOperations()) {
          out.add(p);
        }
      }
    }
    return out.stream();
  }

  /** Every read-shaped credential or secret operation of botocore's models, as CLI commands. */
  static Map<String, String> secretOperations() {
    Map<String, String> out = new java.util.TreeMap<>();
    for (CliModel.Service s : CliModel.get().services().values()) {
      if (s.botocoreName().isEmpty()) {
        continue;
      }
      for (CliModel.Command c : s.commands().values()) {
        String api = c.apiName().orElse(null);
        if (api == null || !READ.matcher(api).matches() || !SECRET.matcher(api).find()) {
          continue;
        }
        String key = ServiceNames.iamPrefix(s) + ":" + api;
        if (!HARMLESS.contains(key)) {
          out.put(key, "aws " + s.cliName() + " " + c.cliName());
        }
      }
    }
    return out;
  }

  @Test
  void theAuditSeesTheOperationsTheIssueNamed() {
    assertThat(secretOperations()).containsKeys("secretsmanager:BatchGetSecretValue",
        "redshift-serverless:GetCredentials", "lightsail:GetInstanceAccessDetails", "secretsmanager:GetSecretValue",
        "sts:GetSessionToken", "ec2:GetPasswordData");
    assertThat(secretOperations().size()).isGreaterThan(40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shippedPolicies")
  void noShippedPolicyLetsACredentialOrSecretReadThrough(Path policyFile) throws Exception {
    PolicyEngine engine = engine(policyFile);
    String tool = cliTool(engine);
    List<String> allowed = new ArrayList<>();
    secretOperations().forEach((key, command) -> {
      Verdict v = engine.decide(call(tool, command));
      if (v instanceof Verdict.Allow) {
        allowed.add(key + " (" + command + ")");
      }
    });
    assertThat(allowed).as("credential/secret operations %s allows", policyFile).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shippedPolicies")
  void readsWithoutSecretsStillPass(Path policyFile) throws Exception {
    PolicyEngine engine = engine(policyFile);
    String tool = cliTool(engine);
    assertThat(engine.decide(call(tool, "aws ec2 describe-instances"))).isInstanceOf(Verdict.Allow.class);
    assertThat(engine.decide(call(tool, "aws ssm get-parameter --name x"))).isInstanceOf(Verdict.Allow.class);
    assertThat(engine.decide(call(tool, "aws ssm get-parameter --name x --with-decryption")))
        .isInstanceOf(Verdict.Refuse.class);
    assertThat(engine.decide(call(tool, "aws ssm get-parameters-by-path --path / --with-decr")))
        .isInstanceOf(Verdict.Refuse.class);
    assertThat(engine.decide(call(tool, "aws ssm get-parameter --name x --with-decryption --no-with-decryption")))
        .isInstanceOf(Verdict.Allow.class);
    assertThat(engine.decide(call(tool, "aws glue get-connection --name c"))).isInstanceOf(Verdict.Refuse.class);
    assertThat(engine.decide(call(tool, "aws glue get-connection --name c --hide-password"))).isInstanceOf(Verdict.Allow.class);
    assertThat(engine.decide(call(tool, "aws eks get-token --cluster-name c --role-arn arn:aws:iam::1:role/r")))
        .isInstanceOf(Verdict.Refuse.class);
    assertThat(engine.decide(call(tool, "aws eks update-kubeconfig --name c --assume-role-arn arn:aws:iam::1:role/r")))
        .isInstanceOf(Verdict.Refuse.class);
  }

  private static PolicyEngine engine(Path policyFile) throws Exception {
    return new PolicyEngine(new PolicyLoader().load(policyFile),
        new AwsCommandInspector(new AwsDefaults(Optional.of("us-east-1"), Optional.empty())));
  }

  /** The tool through which the policy lets AWS CLI commands run (the server's or its successor's). */
  private static String cliTool(PolicyEngine engine) {
    String tool = engine.alwaysRefused("call_aws") ? "aws___call_aws" : "call_aws";
    assertThat(engine.alwaysRefused(tool)).as("the policy allows %s", tool).isFalse();
    return tool;
  }

  private static ToolCall call(String tool, String command) {
    ObjectNode args = new ObjectMapper().createObjectNode().put("cli_command", command);
    return new ToolCall(tool, args);
  }
}
