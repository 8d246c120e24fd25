package io.github.mcppolicyproxy.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.policy.CommandInspector;
import io.github.mcppolicyproxy.policy.Entry;
import io.github.mcppolicyproxy.policy.Glob;
import io.github.mcppolicyproxy.policy.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Reads the AWS CLI commands of a {@code call_aws} call ({@code cli_command}: a string, or an array
 * of strings) with {@link AwsCliParser}, and gives the policy each command's operations and the
 * facts its predicates see: {@code params.NAME} (a string, an array when given several values,
 * {@code true} for a flag), {@code region} and {@code profile}.
 *
 * <p>Parameters are reported by their full CLI names, as the CLI resolved abbreviations
 * ({@code params.destination} also for {@code --dest}). A command with {@code --region *} is what
 * the server runs: {@code account:ListRegions}, then the command once in every region (each a
 * command of its own, with its own predicates and quota permits; see {@link RegionWildcard}).
 */
public final class AwsCommandInspector implements CommandInspector {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String LIST_REGIONS = "account:ListRegions";
  private final AwsCliParser parser;
  private final AwsDefaults defaults;

  /** @param defaults the upstream's region and profile, for commands that do not say */
  public AwsCommandInspector(AwsDefaults defaults) {
    this.defaults = Objects.requireNonNull(defaults, "defaults");
    this.parser = new AwsCliParser(defaults);
  }

  /** Reads the AWS CLI model and judges one command, so the first call need not. */
  @Override
  public void warmUp() {
    inspect(new ToolCall(CALL_AWS_TOOL, NODES.objectNode().put("cli_command",
        WARM_UP_COMMAND)));
  }

  private static final String CALL_AWS_TOOL = "call_aws";

  @Override
  public Inspection inspect(ToolCall call) {
    JsonNode cli = call.arguments().get("cli_command");
    List<String> texts;
    if (cli != null && cli.isTextual()) {
      texts = List.of(cli.asText());
    } else if (cli != null && cli.isArray() && !cli.isEmpty()) {
      texts = new ArrayList<>(cli.size());
      for (JsonNode c : cli) {
        if (!c.isTextual()) {
          return new Inspection.Unparseable("cli_command must hold only strings, found " + c);
        }
        texts.add(c.asText());
      }
    } else {
      return new Inspection.Unparseable(
          "cli_command must be a string or a non-empty array of strings");
    }
    List<Command> commands = new ArrayList<>(texts.size() + 1);
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      String where = texts.size() > 1 ? "command " + (i + 1) + ": " : "";
      List<String> runs = List.of(text);
      if (RegionWildcard.applies(text)) {
        // the server lists the account's regions, then runs the command in each of them
        ObjectNode listing = NODES.objectNode();
        listing.putObject("params");
        // a boto3 session: AWS_DEFAULT_REGION
        defaults.customizationRegion().ifPresent(r -> listing.put("region", r));
        RegionWildcard.listingProfile(text).or(defaults::profile)
            .ifPresent(p -> listing.put("profile", p));
        listing.putArray("operations").add(LIST_REGIONS);
        commands.add(new Command(text, List.of(LIST_REGIONS), listing));
        runs = RegionWildcard.expand(text, CliModel.get().regions());
      }
      for (String run : runs) {
        AwsParseResult r = parser.parse(run);
        if (r instanceof AwsParseResult.Unparseable u) {
          return new Inspection.Unparseable(where + u.reason()
              + (runs.size() > 1 ? " (in the command as the server runs it for --region *: "
                  + run + ")" : ""));
        }
        AwsCommand c = ((AwsParseResult.Parsed) r).command();
        List<String> operations = c.operationKeys();
        commands.add(new Command(run, operations, new Facts(new FactsOf(c, operations))));
      }
    }
    return new Inspection.Commands(commands);
  }

  /** Rules may name a service by its CLI word or botocore name as well as its IAM prefix. */
  @Override
  public Map<Glob, Entry> operationRules(Map<Glob, Entry> rules) {
    return AwsRuleKeys.withIamPrefixes(rules);
  }

  /**
   * The maker of one command's facts: a class rather than a capturing lambda, which under the
   * launcher's C1 is made through the method-handle runtime on every command.
   */
  private record FactsOf(AwsCommand c, List<String> operations) implements Supplier<JsonNode> {
    @Override
    public JsonNode get() {
      return facts(c, operations);
    }
  }

  private static ObjectNode facts(AwsCommand c, List<String> operations) {
    ObjectNode facts = NODES.objectNode();
    ObjectNode params = facts.putObject("params");
    for (Map.Entry<String, List<String>> e : c.params().entrySet()) {
      params.set(e.getKey(), value(e.getValue()));
    }
    if (c.region().isPresent()) {
      facts.put("region", c.region().get());
    }
    if (c.profile().isPresent()) {
      facts.put("profile", c.profile().get());
    }
    ArrayNode ops = facts.putArray("operations");
    for (String op : operations) {
      ops.add(op);
    }
    return facts;
  }

  private static JsonNode value(List<String> values) {
    if (values.isEmpty()) {
      return NODES.booleanNode(true);
    }
    if (values.size() == 1) {
      return NODES.textNode(values.get(0));
    }
    ArrayNode a = NODES.arrayNode();
    for (String v : values) {
      a.add(v);
    }
    return a;
  }
}
