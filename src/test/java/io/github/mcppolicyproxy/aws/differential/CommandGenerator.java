package io.github.mcppolicyproxy.aws.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Seeded commands for the differential test: real operations and arguments from botocore's service
 * models (the oracle's catalog) and the customizations the server allows, then mutations of the
 * kinds that have made parsers disagree: {@code --name=value} (also with spaces), prefixes of option
 * names, options given twice, global options anywhere, {@code --}, {@code --region *}, odd regions,
 * quoting styles, paired booleans, {@code --cli-input-json}, {@code --generate-cli-skeleton}, odd
 * values and batches. The same seed and catalog give the same commands.
 */
final class CommandGenerator {

  /** One generated {@code cli_command} and the mutations that made it. */
  record Generated(JsonNode cliCommand, List<String> tags) {
  }

  private static final String[] ARNS = {"arn:aws:iam::123456789012:role/admin",
      "arn:aws:sns:ap-south-1:123456789012:topic-one", "arn:aws:s3:::bkt-one",
      "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"};
  private static final String[] S3_URIS = {"s3://genomics-exports/a/", "s3://elsewhere/x y/", "s3://lab-share/"};
  private static final String[] ODD = {"x y", "a;b|c&d", "$(id)", "ünï-code", "-", "--", "*", "'q'", "a=b", "-x"};
  private static final String[] REGIONS = {"us-east-1", "eu-west-1", "ap-southeast-2", "US-EAST-1", "*", "eu-central-1"};
  private static final String[][] GLOBALS = {
      {"--region", "REGION"}, {"--output", "json"}, {"--output", "text"}, {"--profile", "readonly"},
      {"--profile", "admin"}, {"--profile", "nosuch"}, {"--endpoint-url", "http://127.0.0.1:4566"},
      {"--endpoint-url", "https://evil.example.com"}, {"--no-verify-ssl"}, {"--debug"}, {"--no-paginate"},
      {"--query", "length(@)"}, {"--color", "off"}, {"--cli-read-timeout", "5"}, {"--no-sign-request"},
      {"--cli-binary-format", "raw-in-base64-out"}, {"--no-cli-pager"}};

  /** Customizations the server runs, as word lists; options in brackets are taken at random. */
  private static final String[][] CUSTOM = {
      {"aws eks get-token --cluster-name demo", "--role-arn arn:aws:iam::123456789012:role/admin", "--cluster-id abc"},
      {"aws eks update-kubeconfig --name demo", "--role-arn arn:aws:iam::123456789012:role/admin",
          "--assume-role-arn arn:aws:iam::123456789012:role/admin", "--alias a1", "--dry-run", "--user-alias u"},
      {"aws cloudformation deploy --template-file template.yaml --stack-name stack-one", "--s3-bucket bkt-one",
          "--no-execute-changeset", "--role-arn arn:aws:iam::123456789012:role/cfn", "--capabilities CAPABILITY_IAM",
          "--s3-prefix p", "--force-upload", "--disable-rollback", "--no-fail-on-empty-changeset"},
      {"aws cloudformation package --template-file template.yaml --s3-bucket bkt-one", "--s3-prefix p",
          "--force-upload", "--output-template-file out.yaml"},
      {"aws ecr get-login-password"}, {"aws ecr-public get-login-password"},
      {"aws codeartifact login --tool pip --domain dom-one --repository repo-one", "--domain-owner 123456789012",
          "--dry-run", "--duration-seconds 900"},
      {"aws rds generate-db-auth-token --hostname db.example.com --port 5432 --username admin", "--region us-east-1"},
      {"aws s3 ls", "s3://bkt-one/", "--recursive", "--summarize", "--human-readable"},
      {"aws s3 cp local.txt s3://bkt-one/k.txt", "--acl private", "--dryrun", "--sse AES256", "--storage-class STANDARD_IA"},
      {"aws s3 cp s3://bkt-one/k.txt s3://bkt-two/k.txt", "--source-region us-east-1", "--recursive", "--metadata-directive COPY"},
      {"aws s3 cp s3://bkt-one/k.txt out.txt", "--quiet", "--request-payer requester"},
      {"aws s3 mv s3://bkt-one/k.txt s3://bkt-two/", "--recursive", "--exclude *"},
      {"aws s3 sync dir s3://bkt-two/d", "--delete", "--exact-timestamps", "--exclude *.tmp", "--size-only"},
      {"aws s3 sync s3://bkt-one/d dir", "--delete"},
      {"aws s3 rm s3://bkt-one/k.txt", "--recursive", "--dryrun", "--include *"},
      {"aws s3 mb s3://bkt-new"}, {"aws s3 rb s3://bkt-one", "--force"},
      {"aws s3 presign s3://bkt-one/k.txt", "--expires-in 60"},
      {"aws s3 website s3://bkt-one", "--index-document index.html", "--error-document e.html"},
      {"aws cloudtrail validate-logs --trail-arn arn:aws:cloudtrail:us-east-1:123456789012:trail/t --start-time 2024-01-01T00:00:00Z"},
      {"aws configservice get-status"}, {"aws datapipeline list-runs --pipeline-id df-0123456789"},
      {"aws dlm create-default-role", "--resource-type image", "--resource-type snapshot"},
      {"aws emr describe-cluster --cluster-id j-123456789"},
      {"aws emr terminate-clusters --cluster-ids j-123456789"}, {"aws emr create-default-roles"},
      {"aws gamelift get-game-session-log --game-session-id gsess-1 --save-as log.zip"},
      {"aws emr-containers update-role-trust-policy --cluster-name c1 --namespace n1 --role-name r1"},
      {"aws ecs deploy --service svc --task-definition taskdef.json --codedeploy-appspec appspec.yaml", "--cluster c1"},
      // The 18 mapped customizations below were added for issue 8's unverified tables. The oracle runs
      // every one: moto answers most calls, the oracle seeds EMR clusters with these ids (AMI-based, so
      // the hbase commands go on), the IAM user deploy deregister deletes and the managed policies the
      // create-default-role(s) commands attach, and answers the few operations moto lacks (gamelift
      // CreateBuild/RequestUploadCredentials, codedeploy's on-premises calls and
      // RegisterApplicationRevision, servicecatalog CreateProvisioningArtifact, two emr Set* calls).
      {"aws ecr get-login", "--registry-ids 123456789012", "--no-include-email", "--include-email"},
      {"aws configservice subscribe --s3-bucket bkt-one --sns-topic arn:aws:sns:us-west-2:123456789012:topic-one"
          + " --iam-role arn:aws:iam::123456789012:role/cfg"},
      {"aws configservice subscribe --s3-bucket bkt-new/prefix --sns-topic topic-new --iam-role arn:aws:iam::123456789012:role/cfg"},
      {"aws datapipeline create-default-roles"},
      {"aws emr create-cluster --release-label emr-6.10.0 --instance-type m5.xlarge --instance-count 3",
          "--use-default-roles", "--applications Name=Hive Name=Spark", "--steps Type=CUSTOM_JAR,Jar=s3://bkt-one/a.jar,Name=x",
          "--log-uri s3://bkt-one/logs/", "--name c1", "--auto-terminate", "--termination-protected", "--tags k=v",
          "--ec2-attributes KeyName=k1", "--bootstrap-actions Path=s3://bkt-one/ba.sh",
          "--service-role EMR_DefaultRole", "--no-visible-to-all-users"},
      {"aws emr modify-cluster-attributes --cluster-id j-123456789", "--visible-to-all-users", "--no-visible-to-all-users",
          "--termination-protected", "--no-termination-protected", "--auto-terminate", "--no-auto-terminate",
          "--unhealthy-node-replacement", "--no-unhealthy-node-replacement"},
      {"aws emr install-applications --cluster-id j-123456789 --applications Name=Hive", "--region eu-west-1"},
      {"aws emr add-steps --cluster-id j-123456789 --steps Type=CUSTOM_JAR,Jar=s3://bkt-one/a.jar,Name=x",
          "--execution-role-arn arn:aws:iam::123456789012:role/admin"},
      {"aws emr add-instance-groups --cluster-id j-123456789"
          + " --instance-groups InstanceGroupType=TASK,InstanceType=m5.xlarge,InstanceCount=2"},
      {"aws emr restore-from-hbase-backup --cluster-id j-123456789 --dir s3://bkt-one/hb/", "--backup-version v1"},
      {"aws emr create-hbase-backup --cluster-id j-123456789 --dir s3://bkt-one/hb/", "--consistent"},
      {"aws emr schedule-hbase-backup --cluster-id j-123456789 --type full --dir s3://bkt-one/hb/ --interval 1 --unit days",
          "--start-time 2024-01-01T00:00:00Z", "--consistent"},
      {"aws emr disable-hbase-backups --cluster-id j-123456789", "--full", "--incremental"},
      {"aws gamelift upload-build --name b1 --build-version 1 --build-root dir", "--operating-system AMAZON_LINUX_2",
          "--server-sdk-version 4.0.2", "--tags Key=k,Value=v"},
      {"aws deploy push --application-name app1 --s3-location s3://bkt-one/app.zip", "--source app",
          "--ignore-hidden-files", "--no-ignore-hidden-files", "--description d"},
      {"aws deploy register --instance-name inst1", "--iam-user-arn arn:aws:iam::123456789012:user/u1",
          "--tags Key=a,Value=b"},
      {"aws deploy deregister --instance-name inst1", "--no-delete-iam-user"},
      {"aws servicecatalog generate product --product-name p --product-owner o --product-type CLOUD_FORMATION_TEMPLATE"
          + " --file-path template.yaml --bucket-name bkt-one --provisioning-artifact-name a"
          + " --provisioning-artifact-description d --provisioning-artifact-type CLOUD_FORMATION_TEMPLATE",
          "--product-description pd", "--support-email a@example.com", "--tags Key=k,Value=v"},
      {"aws servicecatalog generate provisioning-artifact --file-path template.yaml --bucket-name bkt-one"
          + " --provisioning-artifact-name a --provisioning-artifact-description d"
          + " --provisioning-artifact-type CLOUD_FORMATION_TEMPLATE --product-id prod-abc"},
  };

  /** How many customization templates there are (the README names the number). */
  static int customizationTemplates() {
    return CUSTOM.length;
  }

  private final SplittableRandom random;
  private final int customPercent;
  private final List<JsonNode> operations = new ArrayList<>();
  private final List<String> interesting;
  private final BiFunction<String, String, JsonNode> arguments;
  private final Map<String, JsonNode> argumentCache = new HashMap<>();

  /**
   * @param catalog     the oracle's catalog: CLI service name to its operations
   * @param interesting services drawn more often (the shipped policies' and the issue's)
   * @param arguments   the argument table of (service, operation), from the oracle
   */
  CommandGenerator(JsonNode catalog, List<String> interesting, long seed,
      BiFunction<String, String, JsonNode> arguments) {
    this(catalog, interesting, seed, arguments, 18);
  }

  /**
   * @param customPercent the share of single commands drawn from the customization templates (18 in
   *                      the ordinary run; 100 runs the customizations alone)
   */
  CommandGenerator(JsonNode catalog, List<String> interesting, long seed,
      BiFunction<String, String, JsonNode> arguments, int customPercent) {
    this.customPercent = customPercent;
    this.random = new SplittableRandom(seed);
    this.interesting = List.copyOf(interesting);
    this.arguments = arguments;
    for (Iterator<Map.Entry<String, JsonNode>> it = catalog.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> service = it.next();
      for (JsonNode op : service.getValue().path("operations")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) op).put("cliService", service.getKey());
        operations.add(op);
      }
    }
    if (operations.isEmpty()) {
      throw new IllegalArgumentException("the catalog holds no operation");
    }
  }

  private JsonNode argsOf(JsonNode op) {
    String key = op.path("cliService").asText() + " " + op.path("cli").asText();
    return argumentCache.computeIfAbsent(key, k -> arguments.apply(op.path("cliService").asText(), op.path("cli").asText()));
  }

  /** An operation whose required arguments can all be written as plain words. */
  private static boolean usable(JsonNode args) {
    for (JsonNode arg : args) {
      if (arg.path("required").asBoolean() && !simple(arg)) {
        return false;
      }
    }
    return true;
  }

  private static boolean simple(JsonNode arg) {
    String type = arg.path("type").asText();
    return switch (type) {
      case "string", "integer", "long", "boolean", "timestamp", "double", "float" -> true;
      case "list" -> "string".equals(arg.path("member").asText());
      default -> false;
    };
  }

  /** The next command. */
  Generated next() {
    if (random.nextInt(100) < 7) {
      int n = 2 + random.nextInt(2);
      ArrayNode batch = JsonNodeFactory.instance.arrayNode();
      List<String> tags = new ArrayList<>(List.of("batch"));
      for (int i = 0; i < n; i++) {
        Generated g = single();
        batch.add(g.cliCommand());
        tags.addAll(g.tags());
      }
      return new Generated(batch, List.copyOf(tags));
    }
    return single();
  }

  private Generated single() {
    List<String> tags = new ArrayList<>();
    Words w = random.nextInt(100) < customPercent ? customization(tags) : operation(tags);
    int mutations = random.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      mutate(w, tags);
    }
    if (tags.isEmpty()) {
      tags.add("plain");
    }
    return new Generated(new TextNode(w.render(random)), List.copyOf(tags));
  }

  private Words customization(List<String> tags) {
    String[] t = CUSTOM[random.nextInt(CUSTOM.length)];
    Words w = new Words();
    for (String word : t[0].split(" ")) {
      w.add(word);
    }
    tags.add("custom:" + w.words.get(1) + " " + w.words.get(2));
    for (int i = 1; i < t.length; i++) {
      if (random.nextInt(100) < 45) {
        for (String word : t[i].split(" ")) {
          w.add(word);
        }
      }
    }
    return w;
  }

  private Words operation(List<String> tags) {
    JsonNode op = null;
    JsonNode args = null;
    for (int attempt = 0; attempt < 20 && args == null; attempt++) {
      if (random.nextInt(100) < 60) {
        String service = interesting.get(random.nextInt(interesting.size()));
        List<JsonNode> ofService = operations.stream().filter(o -> o.path("cliService").asText().equals(service)).toList();
        op = ofService.isEmpty() ? operations.get(random.nextInt(operations.size()))
            : ofService.get(random.nextInt(ofService.size()));
      } else {
        op = operations.get(random.nextInt(operations.size()));
      }
      JsonNode candidate = argsOf(op);
      args = usable(candidate) ? candidate : null;
    }
    if (args == null) {
      args = argsOf(op);
    }
    Words w = new Words();
    w.add("aws");
    w.add(op.path("cliService").asText());
    w.add(op.path("cli").asText());
    String api = op.path("api").asText();
    if (!pascal(op.path("cli").asText()).equals(api)) {
      tags.add("name-not-pascal");
    }
    List<JsonNode> optional = new ArrayList<>();
    for (JsonNode arg : args) {
      if (arg.path("required").asBoolean()) {
        addArg(w, arg);
      } else if (simple(arg)) {
        optional.add(arg);
      }
    }
    int extra = Math.min(optional.size(), random.nextInt(3));
    for (int i = 0; i < extra; i++) {
      addArg(w, optional.get(random.nextInt(optional.size())));
    }
    return w;
  }

  private void addArg(Words w, JsonNode arg) {
    String name = arg.path("name").asText();
    String type = arg.path("type").asText();
    w.add("--" + name);
    if (type.equals("boolean")) {
      return;
    }
    int n = type.equals("list") ? 1 + random.nextInt(2) : 1;
    for (int i = 0; i < n; i++) {
      w.add(value(name, type, arg.path("enum")));
    }
  }

  private String value(String name, String type, JsonNode enums) {
    if (enums.isArray() && !enums.isEmpty() && random.nextInt(100) < 80) {
      return enums.get(random.nextInt(enums.size())).asText();
    }
    switch (type) {
      case "integer", "long" -> {
        return String.valueOf(1 + random.nextInt(50));
      }
      case "double", "float" -> {
        return "1.5";
      }
      case "timestamp" -> {
        return "2024-01-01T00:00:00Z";
      }
      default -> {
        // strings and list members
      }
    }
    int roll = random.nextInt(100);
    if (roll < 8) {
      return ODD[random.nextInt(ODD.length)];
    }
    if (name.contains("arn") || roll < 15) {
      return ARNS[random.nextInt(ARNS.length)];
    }
    if (name.contains("destination") || name.contains("uri") || name.contains("s3")) {
      return S3_URIS[random.nextInt(S3_URIS.length)];
    }
    if (name.contains("bucket")) {
      return random.nextBoolean() ? "bkt-one" : "genomics-exports";
    }
    return name.replaceAll("[^a-z]", "").substring(0, Math.min(4, name.replaceAll("[^a-z]", "").length()))
        + "-" + (1000 + random.nextInt(9000));
  }

  private void mutate(Words w, List<String> tags) {
    int kind = random.nextInt(15);
    switch (kind) {
      case 0, 1 -> {
        int i = w.optionWithValue(random);
        if (i > 0) {
          w.words.set(i, w.words.get(i) + "=" + w.words.remove(i + 1));
          tags.add("eq-form");
        }
      }
      case 2 -> {
        int i = w.option(random);
        String word = i > 0 ? w.words.get(i) : "";
        int eq = word.indexOf('=');
        String name = eq > 0 ? word.substring(0, eq) : word;
        if (name.length() > 5) {
          int cut = 4 + random.nextInt(name.length() - 4);
          w.words.set(i, name.substring(0, cut) + (eq > 0 ? word.substring(eq) : ""));
          tags.add("abbrev");
        }
      }
      case 3, 4 -> {
        int i = w.optionWithValue(random);
        if (i > 0) {
          String name = w.words.get(i);
          String other = random.nextBoolean() ? "s3://elsewhere/x y/" : "other-" + random.nextInt(100);
          if (random.nextBoolean()) {
            w.add(name + "=" + other);
            tags.add("dup-eq");
          } else {
            w.add(name);
            w.add(other);
            tags.add("dup-option");
          }
        }
      }
      case 5, 6 -> {
        String[] g = GLOBALS[random.nextInt(GLOBALS.length)];
        int at = 1 + random.nextInt(w.words.size());
        List<String> insert = new ArrayList<>();
        insert.add(g[0]);
        if (g.length > 1) {
          insert.add(g[1].equals("REGION") ? REGIONS[random.nextInt(REGIONS.length)] : g[1]);
        }
        if (random.nextInt(4) == 0 && insert.size() == 2) {
          insert = new ArrayList<>(List.of(insert.get(0) + "=" + insert.get(1)));
          tags.add("global-eq");
        }
        w.words.addAll(Math.min(at, w.words.size()), insert);
        tags.add(at >= 3 ? "global-late" : "global-early");
        tags.add("global" + g[0]);
        if (g[0].equals("--region") && insert.size() == 2 && insert.get(1).equals("*")) {
          tags.add("region-wildcard");
        }
      }
      case 7 -> {
        w.add("--region");
        w.add(REGIONS[random.nextInt(REGIONS.length)]);
        w.add("--region");
        w.add(REGIONS[random.nextInt(REGIONS.length)]);
        tags.add("dup-global");
      }
      case 8 -> {
        w.words.add(Math.min(w.words.size(), 3 + random.nextInt(Math.max(1, w.words.size() - 2))), "--");
        tags.add("dashdash");
      }
      case 9 -> {
        w.add("--dry-run");
        w.add("--no-dry-run");
        if (random.nextBoolean()) {
          java.util.Collections.swap(w.words, w.words.size() - 1, w.words.size() - 2);
        }
        tags.add("bool-pair");
      }
      case 10 -> {
        w.add("--cli-input-json");
        w.add(random.nextBoolean() ? "{\"destination\": \"s3://genomics-exports/x/\"}" : "{\"DryRun\": true}");
        tags.add("cli-input-json");
      }
      case 11 -> {
        w.add("--generate-cli-skeleton");
        if (random.nextBoolean()) {
          w.add("input");
        }
        tags.add("skeleton");
      }
      case 12 -> {
        int i = w.optionWithValue(random);
        if (i > 0) {
          w.words.set(i + 1, ODD[random.nextInt(ODD.length)]);
          tags.add("odd-value");
        }
      }
      case 13 -> {
        String[] forms = {"--profile=readonly", "--prof readonly", "--profile readonly", "--profile=mcp-server"};
        for (String word : forms[random.nextInt(forms.length)].split(" ")) {
          w.add(word);
        }
        tags.add("profile-form");
      }
      default -> {
        int i = w.optionWithValue(random);
        if (i > 0) {
          w.words.set(i + 1, w.words.get(i + 1) + " --region * x");
          tags.add("region-wildcard-quoted");
        }
      }
    }
  }

  static String pascal(String cli) {
    StringBuilder b = new StringBuilder();
    for (String part : cli.split("-")) {
      if (!part.isEmpty()) {
        b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return b.toString();
  }

  /** A command as words, quoted for the shell only when rendered. */
  static final class Words {
    final List<String> words = new ArrayList<>();

    void add(String word) {
      words.add(word);
    }

    int option(SplittableRandom random) {
      List<Integer> at = new ArrayList<>();
      for (int i = 3; i < words.size(); i++) {
        if (words.get(i).startsWith("--") && words.get(i).length() > 2) {
          at.add(i);
        }
      }
      return at.isEmpty() ? -1 : at.get(random.nextInt(at.size()));
    }

    int optionWithValue(SplittableRandom random) {
      List<Integer> at = new ArrayList<>();
      for (int i = 3; i + 1 < words.size(); i++) {
        if (words.get(i).startsWith("--") && words.get(i).length() > 2 && !words.get(i).contains("=")
            && !words.get(i + 1).startsWith("--")) {
          at.add(i);
        }
      }
      return at.isEmpty() ? -1 : at.get(random.nextInt(at.size()));
    }

    String render(SplittableRandom random) {
      StringBuilder b = new StringBuilder();
      for (String word : words) {
        if (b.length() > 0) {
          b.append(' ');
        }
        b.append(quote(word, random));
      }
      return b.toString();
    }

    private static String quote(String word, SplittableRandom random) {
      boolean safe = word.matches("[A-Za-z0-9_@%+=:,./*-]+") && !word.equals("*") && !word.contains("*");
      int style = random.nextInt(10);
      if (word.equals("*") && style < 7) {
        return "*"; // the server's --region * only matches a bare star; a quoted one is a literal region
      }
      if (safe && style < 6) {
        return word;
      }
      if (style == 6 || style == 7 || word.isEmpty()) {
        return "'" + word.replace("'", "'\"'\"'") + "'";
      }
      if (style == 8) {
        return "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
      }
      // a word glued from two differently quoted halves
      int cut = word.length() / 2;
      return "'" + word.substring(0, cut).replace("'", "'\"'\"'") + "'\"" + word.substring(cut)
          .replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
  }
}
