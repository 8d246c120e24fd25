package io.github.mcppolicyproxy.aws.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.aws.AwsCommandInspector;
import io.github.mcppolicyproxy.aws.AwsDefaults;
import io.github.mcppolicyproxy.policy.CommandInspector.Command;
import io.github.mcppolicyproxy.policy.CommandInspector.Inspection;
import io.github.mcppolicyproxy.policy.ToolCall;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares what the proxy judged for one {@code cli_command} with what the oracle says the server
 * runs. The proxy's view is the one the policy engine gets: {@link AwsCommandInspector#inspect}
 * (operations, {@code params}, {@code region}, {@code profile} of each command).
 *
 * <p>A bypass is a command the proxy accepts while something the server does is not in what the
 * proxy reported: an operation run but not named ({@link Finding#OPERATION_MISSING}), a run in
 * another region, more runs than commands judged (each command is charged once), a parameter the
 * server binds that the proxy misses or sees with another value, a parameter the proxy reports
 * that the server never binds (a {@code require} satisfied by nothing sent), another profile.
 * Reported but not failing: extra operations and extra values (the engine checks every value of
 * an array, so they can only refuse more), operations the proxy names by the IAM action that
 * authorizes them ({@link IamEquivalents}), and a {@code --no-x} the proxy shows as {@code --x}
 * absent. A run counts as judged when any command the proxy reports for it covers it.
 */
final class Comparison {

  /** Options the server reads but never acts on (their own names; what they carry is compared). */
  private static final Set<String> IGNORED = Set.of("cli-input-json", "generate-cli-skeleton");

  /**
   * Botocore services whose IAM action prefix is none of their names in botocore (service, signing
   * name, endpoint prefix), from the IAM Service Authorization Reference: AWS IoT's data plane is
   * authorized as {@code iot:Publish}, {@code iot:GetThingShadow}...; restated here rather than
   * taken from the proxy, so that the comparison does not lean on the parser it judges.
   */
  private static final Map<String, String> IAM_PREFIX = Map.of(
      "iot-data", "iot",
      "iotevents-data", "iotevents",
      "resourcegroupstaggingapi", "tag",
      "mturk", "mechanicalturk");
  private final AwsDefaults defaults;

  Comparison(Map<String, String> upstreamEnv) {
    this.defaults = AwsDefaults.fromEnvironment(upstreamEnv);
  }

  /** What happened to one command. */
  enum Verdict { BOTH_RAN, BOTH_REFUSED, BYPASS, OVER_REFUSAL, PROXY_REFUSED_SERVER_FAILED, INCONCLUSIVE }

  /** One difference; {@code failing} ones are bypasses. */
  record Finding(String kind, String detail, boolean failing) {
    static final String OPERATION_MISSING = "operation-missing";
    static final String REGION = "region-differs";
    static final String RUNS = "runs-undercounted";
    static final String PARAM_MISSING = "param-missing";
    static final String PARAM_VALUE = "param-value";
    static final String PARAM_PHANTOM = "param-phantom";
    static final String PROFILE = "profile-differs";
    static final String EXTRA_OPERATION = "extra-operation";
    static final String EXTRA_VALUE = "param-extra-value";
    static final String IAM_EQUIVALENT = "iam-equivalent-name";
    static final String NEGATIVE_FLAG = "negative-flag-as-absence";
  }

  /**
   * The comparison of one command.
   *
   * @param proxyReason the proxy's refusal reason, or null when it parsed the command
   */
  record Outcome(Verdict verdict, List<Finding> findings, String proxyReason, JsonNode proxyView,
      JsonNode oracleView) {
    boolean isBypass() {
      return verdict == Verdict.BYPASS;
    }
  }

  /** Compares the proxy's reading of {@code cliCommand} with the oracle's {@code answer}. */
  Outcome compare(JsonNode cliCommand, JsonNode answer) {
    JsonNode items = answer.path("items");
    List<JsonNode> texts = new ArrayList<>();
    if (cliCommand.isArray()) {
      cliCommand.forEach(texts::add);
    } else {
      texts.add(cliCommand);
    }
    boolean inconclusive = !items.isArray() || items.size() != texts.size();
    boolean serverRan = false;
    boolean serverFailed = false;
    for (JsonNode item : items) {
      if (item.has("regionListing")) {
        serverRan = true;
      }
      for (JsonNode run : item.path("runs")) {
        String status = run.path("status").asText();
        if (status.equals("timeout") || status.equals("oracle-error")) {
          inconclusive = true;
        }
        if (status.equals("ran") && !run.path("calls").isEmpty()) {
          serverRan = true;
        } else if (status.equals("ran")) {
          serverFailed = true;
        }
      }
    }
    AwsCommandInspector inspector = new AwsCommandInspector(defaults);
    Inspection whole = inspector.inspect(call(cliCommand));
    JsonNode proxyView = view(whole);
    if (inconclusive) {
      return new Outcome(Verdict.INCONCLUSIVE, List.of(), null, proxyView, answer);
    }
    if (whole instanceof Inspection.Unparseable u) {
      Verdict v = serverRan ? Verdict.OVER_REFUSAL : serverFailed ? Verdict.PROXY_REFUSED_SERVER_FAILED
          : Verdict.BOTH_REFUSED;
      return new Outcome(v, List.of(), u.reason(), proxyView, answer);
    }
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      Inspection one = inspector.inspect(call(texts.get(i)));
      if (!(one instanceof Inspection.Commands commands)) {
        findings.add(new Finding(Finding.OPERATION_MISSING, "item " + (i + 1)
            + " refused alone but accepted in the batch", true));
        continue;
      }
      compareItem(items.get(i), commands.commands(), findings);
    }
    boolean bypass = findings.stream().anyMatch(Finding::failing);
    Verdict v = bypass ? Verdict.BYPASS : serverRan ? Verdict.BOTH_RAN : Verdict.BOTH_REFUSED;
    return new Outcome(v, findings, null, proxyView, answer);
  }

  private void compareItem(JsonNode item, List<Command> commands, List<Finding> findings) {
    List<JsonNode> runs = new ArrayList<>();
    item.path("runs").forEach(r -> {
      if (r.path("status").asText().equals("ran") && !r.path("calls").isEmpty()) {
        runs.add(r);
      }
    });
    if (item.has("regionListing")) {
      JsonNode listing = item.get("regionListing");
      if (commands.stream().noneMatch(c -> covers(c.operations(), listing, findings, false))) {
        findings.add(new Finding(Finding.OPERATION_MISSING, "--region * makes the server call "
            + "account:ListRegions, which no command names", true));
      }
    }
    if (runs.size() > commands.size()) {
      findings.add(new Finding(Finding.RUNS, "the server runs the command " + runs.size()
          + " times (once per region of --region *) but the proxy judged and charges "
          + commands.size(), true));
    }
    for (JsonNode run : runs) {
      // The run is judged when some command the proxy reports covers it; otherwise the closest
      // command's differences are the findings (a proxy may expand --region * to more regions).
      List<Finding> best = null;
      for (Command c : commands) {
        List<Finding> mine = new ArrayList<>();
        compareRun(run, c, mine);
        if (best == null || failing(mine) < failing(best)) {
          best = mine;
        }
        if (failing(best) == 0) {
          break;
        }
      }
      if (best != null) {
        findings.addAll(best);
      }
    }
  }

  private static long failing(List<Finding> findings) {
    return findings.stream().filter(Finding::failing).count();
  }

  private void compareRun(JsonNode run, Command c, List<Finding> findings) {
    for (JsonNode call : run.path("calls")) {
      if (!covers(c.operations(), call, findings, true)) {
        findings.add(new Finding(Finding.OPERATION_MISSING, "the server " + (call.path("kind").asText()
            .equals("presign") ? "signs " : "calls ") + callKey(call) + aliasNote(call) + ", the proxy names "
            + c.operations(), true));
      }
    }
    for (String op : c.operations()) {
      boolean runs = false;
      for (JsonNode call : run.path("calls")) {
        runs |= sameOperation(op, call);
      }
      if (!runs) {
        findings.add(new Finding(Finding.EXTRA_OPERATION, op + " is named but not called", false));
      }
    }
    String proxyRegion = c.facts().path("region").asText(null);
    Set<String> regions = new LinkedHashSet<>();
    if (run.path("kind").asText().equals("operation")) {
      regions.add(run.path("region").asText(null));
    } else {
      for (JsonNode call : run.path("calls")) {
        regions.add(callRegion(call));
      }
    }
    for (String region : regions) {
      if (region != null && !region.equalsIgnoreCase(String.valueOf(proxyRegion))) {
        findings.add(new Finding(Finding.REGION, "the server runs in " + region + ", the proxy judged region "
            + proxyRegion, true));
      }
    }
    String profile = run.path("effectiveProfile").asText(null);
    String proxyProfile = c.facts().path("profile").asText(null);
    if (!Objects.equals(profile, proxyProfile)) {
      findings.add(new Finding(Finding.PROFILE, "the server runs with profile " + profile
          + ", the proxy judged profile " + proxyProfile, true));
    }
    compareParams(run, c.facts().path("params"), findings);
  }

  private static void compareParams(JsonNode run, JsonNode proxyParams, List<Finding> findings) {
    Set<String> positionals = new LinkedHashSet<>();
    run.path("positionals").forEach(p -> positionals.add(p.asText()));
    JsonNode bound = run.path("bound");
    for (JsonNode nameNode : run.path("argNames")) {
      String name = nameNode.asText();
      if (positionals.contains(name) || IGNORED.contains(name)) {
        continue; // a policy cannot name positionals; the ignored options are checked by what they carry
      }
      JsonNode server = bound.get(name);
      JsonNode proxy = proxyParams.get(name);
      if (server == null) {
        if (proxy != null) {
          findings.add(new Finding(Finding.PARAM_PHANTOM, "--" + name + " is " + proxy
              + " for the proxy but the server binds nothing to it"
              + (run.path("ignored").size() > 0 ? " (the server ignores " + run.get("ignored") + ")" : ""), true));
        }
        continue;
      }
      if (proxy == null && server.isBoolean() && name.startsWith("no-") && proxyParams.get(name.substring(3)) == null) {
        findings.add(new Finding(Finding.NEGATIVE_FLAG, "--" + name + " is shown as the absence of --"
            + name.substring(3), false));
        continue;
      }
      if (proxy == null) {
        findings.add(new Finding(Finding.PARAM_MISSING, "the server binds --" + name + " = " + server
            + ", the proxy does not see it", true));
        continue;
      }
      List<String> want = name.equals("include") || name.equals("exclude") ? filters(name, server) : values(server);
      List<String> got = values(proxy);
      if (server.isBoolean() != proxy.isBoolean()) {
        findings.add(new Finding(Finding.PARAM_VALUE, "--" + name + ": server " + server + ", proxy " + proxy, true));
      } else if (!got.containsAll(want)) {
        findings.add(new Finding(Finding.PARAM_VALUE, "--" + name + ": the server sends " + server
            + ", the proxy judged " + proxy, true));
      } else if (got.size() > want.size()) {
        findings.add(new Finding(Finding.EXTRA_VALUE, "--" + name + ": the server sends " + server
            + ", the proxy judged " + proxy, false));
      }
    }
  }

  /** aws s3's --include/--exclude share one dest of [option, pattern] pairs: the patterns of {@code name}. */
  private static List<String> filters(String name, JsonNode server) {
    List<String> out = new ArrayList<>();
    java.util.regex.Pattern pair = java.util.regex.Pattern.compile("\\[['\"]--(include|exclude)['\"], ['\"](.*)['\"]\\]");
    for (String v : values(server)) {
      java.util.regex.Matcher m = pair.matcher(v);
      if (!m.matches()) {
        out.add(v);
      } else if (m.group(1).equals(name)) {
        out.add(m.group(2));
      }
    }
    return out;
  }

  private static List<String> values(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n.isArray()) {
      n.forEach(e -> out.add(e.asText()));
    } else if (!n.isBoolean()) {
      out.add(n.asText());
    }
    return out;
  }

  private static boolean covers(List<String> operations, JsonNode call, List<Finding> findings, boolean note) {
    for (String op : operations) {
      if (sameOperation(op, call)) {
        return true;
      }
    }
    for (String op : operations) {
      if (IamEquivalents.covers(op, call.path("service").asText(), call.path("operation").asText())) {
        if (note) {
          findings.add(new Finding(Finding.IAM_EQUIVALENT, callKey(call) + " is authorized by " + op
              + ", which the proxy names", false));
        }
        return true;
      }
    }
    return false;
  }

  static boolean sameOperation(String op, JsonNode call) {
    int colon = op.indexOf(':');
    String service = op.substring(0, colon).toLowerCase(Locale.ROOT);
    String name = op.substring(colon + 1);
    if (!name.equalsIgnoreCase(call.path("operation").asText())) {
      return false;
    }
    for (String field : List.of("service", "signingName", "endpointPrefix")) {
      if (service.equals(call.path(field).asText("").toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return service.equals(IAM_PREFIX.get(call.path("service").asText()));
  }

  private static String callKey(JsonNode call) {
    return call.path("signingName").asText(call.path("service").asText()) + ":" + call.path("operation").asText();
  }

  private static String aliasNote(JsonNode call) {
    return " (botocore service " + call.path("service").asText() + ", endpoint prefix "
        + call.path("endpointPrefix").asText() + ")";
  }

  static String callRegion(JsonNode call) {
    String region = call.path("region").asText(null);
    if ("aws-global".equals(region)) {
      return null; // a global endpoint (IAM, global STS) is not a choice of region
    }
    if (region == null || region.isEmpty()) {
      return call.path("signingRegion").asText(null);
    }
    return region;
  }

  private static ToolCall call(JsonNode cliCommand) {
    ObjectNode args = JsonNodeFactory.instance.objectNode();
    args.set("cli_command", cliCommand);
    return new ToolCall("call_aws", args);
  }

  private static JsonNode view(Inspection inspection) {
    ObjectNode v = JsonNodeFactory.instance.objectNode();
    if (inspection instanceof Inspection.Unparseable u) {
      v.put("unparseable", u.reason());
    } else if (inspection instanceof Inspection.Commands c) {
      var array = v.putArray("commands");
      for (Command command : c.commands()) {
        ObjectNode one = array.addObject();
        one.put("text", command.text());
        one.set("facts", command.facts());
      }
    }
    return v;
  }
}
