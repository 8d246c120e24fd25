package io.github.mcppolicyproxy.aws.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Hand-made commands for each of the eight classes of issue 8, each with what the oracle must
 * show for it (so the oracle itself is checked against the issue's findings).
 */
final class HandCases {

  /**
   * @param name        short name, used in the report and in the known-bypass list as {@code hand.NAME}
   * @param issueClass  1-8, the class of issue 8
   * @param cliCommand  a string or an array of strings
   * @param expectation what the oracle's answer must show
   * @param because     the expectation in words
   */
  record HandCase(String name, int issueClass, JsonNode cliCommand, Predicate<JsonNode> expectation, String because) {
  }

  private static final String EXPORT = "aws omics start-read-set-export-job --sequence-store-id 1234567890 "
      + "--role-arn arn:aws:iam::123456789012:role/x --sources readSetId=1234567890 ";
  private static final String ROLE = "arn:aws:iam::123456789012:role/admin";

  private HandCases() {
  }

  static List<HandCase> all() {
    List<HandCase> c = new ArrayList<>();
    // 1. --name=value words with a space
    c.add(new HandCase("eq-form-with-space", 1, text(EXPORT
        + "--destination s3://genomics-exports/a/ '--destination=s3://elsewhere/x y/'"),
        bound("destination", "s3://elsewhere/x y/"), "argparse reads the quoted word as --destination, last wins"));
    c.add(new HandCase("eq-form-abbreviated-with-space", 1, text(EXPORT
        + "--destination s3://genomics-exports/a/ '--dest=s3://elsewhere/x y/'"),
        bound("destination", "s3://elsewhere/x y/"), "a prefix with = is the option too"));
    // 2. customizations calling more than their name says
    c.add(new HandCase("eks-get-token-role-arn", 2, text("aws eks get-token --cluster-name demo --role-arn " + ROLE),
        calls("sts:AssumeRole"), "get-token --role-arn assumes the role first"));
    c.add(new HandCase("eks-get-token-role-abbreviated", 2, text("aws eks get-token --cluster-name demo --role " + ROLE),
        calls("sts:AssumeRole"), "--role is a prefix of --role-arn"));
    c.add(new HandCase("eks-update-kubeconfig-assume-role", 2, text("aws eks update-kubeconfig --name demo --assume-role-arn " + ROLE),
        calls("sts:AssumeRole"), "update-kubeconfig --assume-role-arn assumes the role before DescribeCluster"));
    // 3. the server's rewrites
    c.add(new HandCase("region-wildcard", 3, text("aws ec2 describe-instances --region *"),
        a -> a.at("/items/0/regionListing/operation").asText().equals("ListRegions") && runs(a) == 3,
        "--region * lists the regions and runs once per region"));
    c.add(new HandCase("region-wildcard-inside-quotes", 3, text(
        "aws sns publish --topic-arn arn:aws:sns:us-east-1:123456789012:t --message 'hi --region * there'"),
        a -> runs(a) == 3, "the wildcard is found in the raw text, quotes included"));
    c.add(new HandCase("customization-profile-eq", 3, text("aws s3 ls --profile=readonly"),
        a -> "mcp-server".equals(a.at("/items/0/runs/0/effectiveProfile").asText()),
        "the server appends --profile mcp-server because no word is exactly --profile"));
    c.add(new HandCase("customization-profile-abbreviated", 3, text("aws s3 ls --prof readonly"),
        a -> "mcp-server".equals(a.at("/items/0/runs/0/effectiveProfile").asText()), "same for --prof"));
    c.add(new HandCase("customization-region-default", 3, text("aws s3 ls"),
        a -> "us-west-2".equals(Comparison.callRegion(a.at("/items/0/runs/0/calls/0"))),
        "customizations take AWS_DEFAULT_REGION (us-west-2), not AWS_REGION (eu-west-1)"));
    c.add(new HandCase("generate-cli-skeleton-runs", 3, text("aws iam list-users --generate-cli-skeleton"),
        calls("iam:ListUsers"), "the server ignores --generate-cli-skeleton and runs the operation"));
    c.add(new HandCase("cli-input-json-ignored", 3, text("aws ec2 describe-instances --cli-input-json '{\"DryRun\": true}'"),
        a -> !a.at("/items/0/runs/0/calls/0/params").has("DryRun"), "--cli-input-json is never sent"));
    // 4. operation names
    c.add(new HandCase("rds-add-option", 4, text("aws rds add-option-to-option-group --option-group-name g1 --options OptionName=x"),
        calls("rds:ModifyOptionGroup"), "botocore names it ModifyOptionGroup"));
    c.add(new HandCase("rds-remove-option", 4, text("aws rds remove-option-from-option-group --option-group-name g1 --options x"),
        calls("rds:ModifyOptionGroup"), "botocore names it ModifyOptionGroup"));
    // 5. abbreviations and booleans in per-command tables
    c.add(new HandCase("cfn-deploy-s3-abbreviated", 5, text(
        "aws cloudformation deploy --template-file template.yaml --stack-name s1 --s3-b bkt-one"),
        calls("s3:PutObject"), "--s3-b is --s3-bucket: the template is uploaded"));
    c.add(new HandCase("dry-run-then-no-dry-run", 5, text("aws ec2 describe-instances --dry-run --no-dry-run"),
        a -> a.at("/items/0/runs/0/calls/0/params/DryRun").isBoolean()
            && !a.at("/items/0/runs/0/calls/0/params/DryRun").asBoolean(), "the last one wins: not a dry run"));
    // 6. service prefixes
    c.add(new HandCase("prefix-access-analyzer", 6, text("aws accessanalyzer list-analyzers"),
        calls("access-analyzer:ListAnalyzers"), "IAM prefix access-analyzer"));
    c.add(new HandCase("prefix-geo", 6, text("aws location list-maps"), calls("geo:ListMaps"), "IAM prefix geo"));
    c.add(new HandCase("prefix-cassandra", 6, text("aws keyspaces list-keyspaces"),
        calls("cassandra:ListKeyspaces"), "IAM prefix cassandra"));
    // 7. operations the shipped policies must not allow by a wildcard
    c.add(new HandCase("secrets-batch-get", 7, text("aws secretsmanager batch-get-secret-value --secret-id-list a1 b1"),
        calls("secretsmanager:BatchGetSecretValue"), "reads secret values"));
    c.add(new HandCase("redshift-serverless-credentials", 7, text("aws redshift-serverless get-credentials --workgroup-name wg1"),
        calls("redshift-serverless:GetCredentials"), "mints database credentials"));
    c.add(new HandCase("lightsail-access-details", 7, text("aws lightsail get-instance-access-details --instance-name i1"),
        calls("lightsail:GetInstanceAccessDetails"), "returns SSH keys"));
    // 8. over-refusals
    c.add(new HandCase("global-given-twice", 8, text("aws ec2 describe-instances --region us-east-1 --region eu-west-1"),
        a -> "eu-west-1".equals(a.at("/items/0/runs/0/region").asText()), "argparse keeps the last --region"));
    c.add(new HandCase("parameter-given-twice", 8, text("aws s3api list-objects-v2 --bucket bkt-one --bucket bkt-two"),
        bound("bucket", "bkt-two"), "argparse keeps the last --bucket"));
    c.add(new HandCase("end-of-options", 8, text("aws ec2 describe-instances -- --instance-ids i-1"),
        bound("instance-ids", "i-1"), "the main parser drops --, and the operation still reads --instance-ids"));
    c.add(new HandCase("end-of-options-customization", 8, text("aws s3 ls -- s3://bkt-one/"),
        a -> a.at("/items/0/runs/0/calls").isEmpty(),
        "the server's appended --profile lands after --, so aws s3 ls fails without a call"));
    c.add(new HandCase("region-uppercase", 8, text("aws ec2 describe-instances --region US-EAST-1"),
        calls("ec2:DescribeInstances"), "botocore accepts US-EAST-1"));
    c.add(new HandCase("shell-characters-in-value", 8, text(
        "aws sns publish --topic-arn arn:aws:sns:us-east-1:123456789012:t --message 'a;b|c&d $(id) `x`'"),
        bound("message", "a;b|c&d $(id) `x`"), "no shell runs: the characters are the value"));
    c.add(new HandCase("bare-dash-destination", 8, text("aws s3 cp s3://bkt-one/k.txt -"),
        calls("s3:GetObject"), "- as destination is standard output"));
    ArrayNode batch = JsonNodeFactory.instance.arrayNode();
    batch.add("aws sts get-caller-identity");
    batch.add("aws eks get-token --cluster-name demo --role-arn " + ROLE);
    c.add(new HandCase("batch-with-minting", 2, batch,
        a -> ops(a.at("/items/1")).contains("sts:AssumeRole"), "each item of a batch runs"));
    return c;
  }

  private static JsonNode text(String s) {
    return new TextNode(s);
  }

  private static int runs(JsonNode answer) {
    int n = 0;
    for (JsonNode run : answer.at("/items/0/runs")) {
      if (run.path("status").asText().equals("ran")) {
        n++;
      }
    }
    return n;
  }

  private static Predicate<JsonNode> bound(String name, String value) {
    return a -> {
      JsonNode v = a.at("/items/0/runs/0/bound").get(name);
      return v != null && (v.asText().equals(value) || (v.isArray() && v.size() == 1 && v.get(0).asText().equals(value)));
    };
  }

  private static Predicate<JsonNode> calls(String key) {
    return a -> ops(a.at("/items/0")).contains(key);
  }

  /** Operation keys of an item's calls, by signing name (IAM prefix in these cases). */
  static List<String> ops(JsonNode item) {
    List<String> out = new ArrayList<>();
    for (JsonNode run : item.path("runs")) {
      for (JsonNode call : run.path("calls")) {
        out.add(call.path("signingName").asText() + ":" + call.path("operation").asText());
        out.add(call.path("service").asText() + ":" + call.path("operation").asText());
      }
    }
    return out;
  }
}
