package io.github.mcppolicyproxy.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.policy.CommandInspector;
import io.github.mcppolicyproxy.policy.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the AWS CLI commands of a {@code call_aws} call ({@code cli_command}: a string, or an array
 * of strings) with {@link AwsCliParser}, and gives the policy each command's operations and the
 * facts its predicates see: {@code params.NAME} (a string, an array when given several values,
 * {@code true} for a flag), {@code region} and {@code profile}.
 *
 * <p>The CLI accepts any unambiguous prefix of a parameter name, so {@code params.destination}
 * also sees {@code --dest}: every parameter name that a policy predicate names is looked up with
 * {@link AwsCommand#paramValues(String)}, which counts prefixes.
 */
public final class AwsCommandInspector implements CommandInspector {
 private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
 private final AwsCliParser parser;
 private final Set<String> predicateParams;

 /**
  * @param defaults the upstream's region and profile, for commands that do not say
  * @param predicateParams the names after {@code params.} in the policy's predicates
  */
 public AwsCommandInspector(AwsDefaults defaults, Set<String> predicateParams) {
  this.parser = new AwsCliParser(Objects.requireNonNull(defaults, "defaults"));
  this.predicateParams = Set.copyOf(predicateParams);
 }

 @Override
 public Inspection inspect(ToolCall call) {
  JsonNode cli = call.arguments().get("cli_command");
  List<String> texts = new ArrayList<>();
  if (cli != null && cli.isTextual()) {
   texts.add(cli.asText());
  } else if (cli != null && cli.isArray() && !cli.isEmpty()) {
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
  List<Command> commands = new ArrayList<>(texts.size());
  for (int i = 0; i < texts.size(); i++) {
   AwsParseResult r = parser.parse(texts.get(i));
   if (r instanceof AwsParseResult.Unparseable u) {
    return new Inspection.Unparseable((texts.size() > 1 ? "command " + (i + 1) + ": " : "")
      + u.reason());
   }
   AwsCommand c = ((AwsParseResult.Parsed) r).command();
   commands.add(new Command(texts.get(i), c.operationKeys(), facts(c)));
  }
  return new Inspection.Commands(commands);
 }

 private ObjectNode facts(AwsCommand c) {
  ObjectNode facts = NODES.objectNode();
  ObjectNode params = facts.putObject("params");
  for (Map.Entry<String, List<String>> e : c.params().entrySet()) {
   params.set(e.getKey(), value(e.getValue()));
  }
  for (String name : predicateParams) {
   if (c.hasParam(name)) {
    params.set(name, value(c.paramValues(name)));
   }
  }
  c.region().ifPresent(r -> facts.put("region", r));
  c.profile().ifPresent(p -> facts.put("profile", p));
  ArrayNode ops = facts.putArray("operations");
  c.operationKeys().forEach(ops::add);
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
  values.forEach(a::add);
  return a;
 }
}
