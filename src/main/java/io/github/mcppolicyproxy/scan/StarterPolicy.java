package io.github.mcppolicyproxy.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * schema accept and the engine ignores). For an upstream with {@code call_aws}, whose commands
 * are judged operation by operation, {@code call_aws} gets the shipped guarded policy's entry and
 * its {@code operations} are added (whatever the tool's annotations say: the operations decide).
 */
public final class StarterPolicy {
  static final int EXECUTE_PER_MINUTE = 10;
  static final int WRITE_PER_MINUTE = 30;
  private static final String CALL_AWS = "call_aws";
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

  /**
   * The policy for {@code tools} (entries of {@code tools/list} answers) of the upstream run by
   * {@code command}; {@code guarded} is the shipped guarded policy for the AWS API MCP server
   * (its {@code call_aws} entry and {@code operations} are used when a tool is {@code call_aws}),
   * or null.
   */
  public ObjectNode build(List<JsonNode> tools, String command, JsonNode guarded) {
    JsonNode guardedCall = guarded == null ? null : guarded.path("tools").get(CALL_AWS);
    JsonNode guardedOperations = guarded == null ? null : guarded.get("operations");
    boolean aws = guardedCall != null && guardedCall.isObject() && guardedOperations != null
        && guardedOperations.isObject();
    List<Classed> classed = new ArrayList<>();
    for (JsonNode t : tools) {
      String name = t.path("name").asText("");
      if (!name.isEmpty() && classed.stream().noneMatch(c -> c.name().equals(name))) {
        classed.add(new Classed(name, aws && name.equals(CALL_AWS)
            ? new RiskClassifier.Class(Risk.EXECUTE, "runs AWS CLI commands; every command is"
                + " judged by the operations rules (those of the shipped guarded policy)")
            : classifier.classify(t)));
      }
    }
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
    boolean callAws = false;
    for (Classed c : classed) {
      ObjectNode e = entries.putObject(c.name());
      if (aws && c.name().equals(CALL_AWS)) {
        e.put("description", "[execute] " + c.c().why());
        guardedCall.fields().forEachRemaining(f -> {
          if (!f.getKey().equals("description")) {
            e.set(f.getKey(), f.getValue().deepCopy());
          }
        });
        callAws = true;
        continue;
      }
      Risk r = c.c().risk();
      e.put("description", "[" + r.word() + "] " + c.c().why());
      switch (r) {
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
    if (callAws) {
      root.set("operations", guardedOperations.deepCopy());
    }
    return root;
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
