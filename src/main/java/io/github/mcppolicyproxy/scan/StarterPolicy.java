package io.github.mcppolicyproxy.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.integrity.HiddenInstructions;
import io.github.mcppolicyproxy.policy.AwsCliTools;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Writes a starter policy for the tools an upstream lists: {@code default: deny}, and every tool
 * named, grouped by risk (destructive, execute, write, read) and given the rule its risk calls
 * for: destructive denied with a reason, execute and write allowed under a per-session rate limit
 * ({@value #EXECUTE_PER_MINUTE} and {@value #WRITE_PER_MINUTE} a minute), read allowed. JSON has no
 * comments, so each entry says why in its {@code description} (which the loader and the published
 * schema accept and the engine ignores).
 *
 * <p>A tool the proxy treats as carrying AWS CLI commands ({@link AwsCliTools#carriesCommands}:
 * {@code call_aws}, {@code *___call_aws}, and the names given as {@code aws_cli_tools}), whose
 * commands are judged operation by operation, gets the shipped guarded policy's {@code call_aws}
 * entry, and the policy gets its {@code operations} (whatever the tool's annotations say: the
 * operations decide); names given as {@code aws_cli_tools} that the upstream lists are written to
 * the policy's {@code aws_cli_tools}. With operations, a tool that runs scripts the proxy cannot
 * read ({@link AwsCliTools#runsScripts}) is denied, since no operation rule could judge it.
 *
 * <p>A tool whose definition may hide instructions ({@link HiddenInstructions}) is denied, which
 * also hides it from {@code tools/list}, so its text never reaches the model until an operator
 * has read it and changed the entry; its description names what was found (kinds and JSON
 * Pointers, never the suspicious text itself).
 */
public final class StarterPolicy {
  static final int EXECUTE_PER_MINUTE = 10;
  static final int WRITE_PER_MINUTE = 30;
  private static final List<Risk> ORDER =
      List.of(Risk.DESTRUCTIVE, Risk.EXECUTE, Risk.WRITE, Risk.READ);

  private final ObjectMapper mapper;
  private final RiskClassifier classifier;

  public StarterPolicy(ObjectMapper mapper, RiskClassifier classifier) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.classifier = Objects.requireNonNull(classifier, "classifier");
  }

  /** A tool as listed and its class. */
  private record Classed(String name, RiskClassifier.Class c) {}

  /** {@link #build(List, String, JsonNode, List, List)} with no aws_cli_tools and no findings. */
  public ObjectNode build(List<JsonNode> tools, String command, JsonNode guarded) {
    return build(tools, command, guarded, List.of(), List.of());
  }

  /**
   * The policy for {@code tools} (entries of {@code tools/list} answers) of the upstream run by
   * {@code command}; {@code guarded} is the shipped guarded policy for the AWS API MCP server
   * (its {@code call_aws} entry and {@code operations} are used for every tool that carries AWS
   * CLI commands), or null; {@code awsCliTools} names more tools that carry them (as a policy's
   * {@code aws_cli_tools}); {@code hidden} is what {@link HiddenInstructions} found in the tools.
   */
  public ObjectNode build(List<JsonNode> tools, String command, JsonNode guarded,
      List<String> awsCliTools, List<HiddenInstructions.Finding> hidden) {
    JsonNode guardedCall = guarded == null ? null
        : guarded.path("tools").get(AwsCliTools.CALL_AWS);
    JsonNode guardedOperations = guarded == null ? null : guarded.get("operations");
    boolean aws = guardedCall != null && guardedCall.isObject() && guardedOperations != null
        && guardedOperations.isObject();
    List<Classed> classed = new ArrayList<>();
    for (JsonNode t : tools) {
      String name = t.path("name").asText("");
      if (!name.isEmpty() && classed.stream().noneMatch(c -> c.name().equals(name))) {
        classed.add(new Classed(name, aws && AwsCliTools.carriesCommands(name, awsCliTools)
            ? new RiskClassifier.Class(Risk.EXECUTE, "runs AWS CLI commands; every command is"
                + " judged by the operations rules (those of the shipped guarded policy)")
            : classifier.classify(t)));
      }
    }
    boolean operations = aws && classed.stream()
        .anyMatch(c -> AwsCliTools.carriesCommands(c.name(), awsCliTools));
    classed.sort(Comparator.comparing((Classed c) -> ORDER.indexOf(c.c().risk()))
        .thenComparing(Classed::name));
    ObjectNode root = mapper.createObjectNode();
    root.put("$schema", "https://github.com/mcp-policy-proxy/mcp-policy-proxy/docs/"
        + "policy.schema.json");
    root.put("version", "1");
    root.put("description", "Starter policy written by mcp-policy-proxy scan for: " + command
        + ". " + counts(classed) + " Tools are grouped by risk (destructive, execute, write,"
        + " read); each entry's description says why. Review it before use.");
    root.put("default", "deny");
    ObjectNode entries = root.putObject("tools");
    for (Classed c : classed) {
      ObjectNode e = entries.putObject(c.name());
      String flagged = flagged(c.name(), hidden);
      e.put("description", "[" + c.c().risk().word() + "] " + c.c().why() + flagged);
      if (!flagged.isEmpty()) {
        e.put("action", "deny");
        e.put("reason", c.name() + "'s definition may hide instructions for the model; this"
            + " policy denies it (and hides it from tools/list) until an operator has read it");
      } else if (operations && AwsCliTools.carriesCommands(c.name(), awsCliTools)) {
        guardedCall.fields().forEachRemaining(f -> {
          if (!f.getKey().equals("description")) {
            e.set(f.getKey(), f.getValue().deepCopy());
          }
        });
      } else if (operations && AwsCliTools.runsScripts(c.name())) {
        e.put("action", "deny");
        e.put("reason", c.name() + " runs scripts that call AWS APIs, which this proxy cannot"
            + " read, so no operation rule could judge them; use the tool that runs AWS CLI"
            + " commands, whose every command is judged");
      } else {
        rule(e, c);
      }
    }
    List<String> named = awsCliTools.stream().filter(n -> !AwsCliTools.isWellKnownCliTool(n))
        .filter(n -> classed.stream().anyMatch(c -> c.name().equals(n))).distinct().toList();
    if (operations && !named.isEmpty()) {
      named.forEach(root.putArray("aws_cli_tools")::add);
    }
    if (operations) {
      root.set("operations", guardedOperations.deepCopy());
    }
    return root;
  }

  /** The entry of a tool by its risk class alone. */
  private static void rule(ObjectNode e, Classed c) {
    switch (c.c().risk()) {
      case DESTRUCTIVE -> {
        e.put("action", "deny");
        e.put("reason", c.name() + " is destructive (" + c.c().why() + "); this policy denies"
            + " it until an operator decides otherwise");
      }
      case EXECUTE -> limit(e, c.name(), EXECUTE_PER_MINUTE);
      case WRITE -> limit(e, c.name(), WRITE_PER_MINUTE);
      case READ -> { }
    }
  }

  /** "" or, for a tool with findings, what was found where (never the text found). */
  private static String flagged(String tool, List<HiddenInstructions.Finding> hidden) {
    List<String> where = hidden.stream().filter(f -> f.tool().equals(tool))
        .map(f -> f.kind() + " at " + f.pointer()).distinct().toList();
    return where.isEmpty() ? "" : ". Its definition may hide instructions (" + String.join(", ",
        where) + "): denied until reviewed (mcp-policy-proxy scan and check -- COMMAND print the"
        + " findings)";
  }

  private static void limit(ObjectNode e, String tool, int perMinute) {
    ObjectNode l = e.putArray("limits").addObject();
    l.put("counter", tool + "_rate");
    l.put("window", "minute");
    l.put("max", perMinute);
    l.put("scope", "session");
  }

  private static String counts(List<Classed> classed) {
    List<String> parts = new ArrayList<>();
    for (Risk r : ORDER) {
      long n = classed.stream().filter(c -> c.c().risk() == r).count();
      parts.add(n + " " + r.word());
    }
    return classed.size() + " tools: " + String.join(", ", parts) + ".";
  }
}
