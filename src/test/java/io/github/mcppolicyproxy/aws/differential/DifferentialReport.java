package io.github.mcppolicyproxy.aws.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.aws.differential.Comparison.Finding;
import io.github.mcppolicyproxy.aws.differential.Comparison.Outcome;
import io.github.mcppolicyproxy.aws.differential.Comparison.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the outcomes of a differential run and writes them to {@code target/differential-report.json}:
 * totals, bypasses by class and by mutation, over-refusals by mutation, the verdicts of the commands
 * of each customization template, every bypass (command, proxy view, oracle view) and the list of
 * issues for whoever fixes the parser.
 */
final class DifferentialReport {

  private static final int KEEP_BYPASSES = 400;
  private static final int KEEP_OVER_REFUSALS = 150;
  private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
  private final Map<String, Integer> bypassClasses = new TreeMap<>();
  private final Map<String, Integer> bypassTags = new TreeMap<>();
  private final Map<String, Integer> overRefusalTags = new TreeMap<>();
  private final Map<String, Integer> warnings = new TreeMap<>();
  private final Map<String, Integer> serverRefusals = new TreeMap<>();
  private final Map<String, Map<String, Integer>> customizations = new TreeMap<>();
  private final Map<String, ObjectNode> issues = new TreeMap<>();
  private final List<ObjectNode> bypasses = new ArrayList<>();
  private final List<ObjectNode> overRefusals = new ArrayList<>();
  private int commands;

  /** Adds one command's outcome; {@code source} is {@code generated} or {@code hand:<name>}. */
  void add(String source, JsonNode cliCommand, List<String> tags, Outcome outcome) {
    commands++;
    verdicts.merge(outcome.verdict(), 1, Integer::sum);
    tags.stream().filter(t -> t.startsWith("custom:")).distinct().forEach(t -> customizations
        .computeIfAbsent(t.substring("custom:".length()), k -> new TreeMap<>())
        .merge(outcome.verdict().name(), 1, Integer::sum));
    for (JsonNode item : outcome.oracleView().path("items")) {
      for (JsonNode run : item.path("runs")) {
        if (!run.path("status").asText().equals("ran")) {
          serverRefusals.merge(run.path("status").asText() + ":" + run.path("stage").asText(""), 1, Integer::sum);
        }
      }
    }
    for (Finding f : outcome.findings()) {
      if (!f.failing()) {
        warnings.merge(f.kind(), 1, Integer::sum);
      }
    }
    if (outcome.verdict() == Verdict.BYPASS) {
      List<String> kinds = outcome.findings().stream().filter(Finding::failing).map(Finding::kind).distinct().toList();
      kinds.forEach(k -> bypassClasses.merge(k, 1, Integer::sum));
      tags.forEach(t -> bypassTags.merge(t, 1, Integer::sum));
      ObjectNode b = entry(source, cliCommand, tags, outcome);
      if (bypasses.size() < KEEP_BYPASSES) {
        bypasses.add(b);
      }
      for (String kind : kinds) {
        String key = kind + " | " + headline(cliCommand, tags);
        ObjectNode issue = issues.computeIfAbsent(key, k -> {
          ObjectNode n = mapper.createObjectNode();
          n.put("class", kind);
          n.put("where", headline(cliCommand, tags));
          n.put("count", 0);
          n.putArray("examples");
          return n;
        });
        issue.put("count", issue.get("count").asInt() + 1);
        ArrayNode examples = (ArrayNode) issue.get("examples");
        if (examples.size() < 3) {
          ObjectNode ex = examples.addObject();
          ex.set("cli_command", cliCommand);
          ex.put("finding", outcome.findings().stream().filter(f -> f.kind().equals(kind)).findFirst()
              .map(Finding::detail).orElse(""));
        }
      }
    } else if (outcome.verdict() == Verdict.OVER_REFUSAL) {
      tags.forEach(t -> overRefusalTags.merge(t, 1, Integer::sum));
      if (overRefusals.size() < KEEP_OVER_REFUSALS) {
        overRefusals.add(entry(source, cliCommand, tags, outcome));
      }
    }
  }

  private static String headline(JsonNode cliCommand, List<String> tags) {
    String custom = tags.stream().filter(t -> t.startsWith("custom:")).findFirst().orElse(null);
    List<String> mutations = tags.stream().filter(t -> !t.startsWith("custom:") && !t.equals("plain")).distinct().sorted().toList();
    return (custom != null ? custom : "operation") + (mutations.isEmpty() ? "" : " + " + String.join(",", mutations));
  }

  private ObjectNode entry(String source, JsonNode cliCommand, List<String> tags, Outcome outcome) {
    ObjectNode n = mapper.createObjectNode();
    n.put("source", source);
    n.set("cli_command", cliCommand);
    tags.forEach(n.putArray("tags")::add);
    ArrayNode findings = n.putArray("findings");
    outcome.findings().stream().filter(Finding::failing).forEach(f -> findings.addObject()
        .put("class", f.kind()).put("detail", f.detail()));
    if (outcome.proxyReason() != null) {
      n.put("proxyRefusal", outcome.proxyReason());
    }
    n.set("proxy", outcome.proxyView());
    n.set("oracle", summary(outcome.oracleView()));
    return n;
  }

  /** The oracle's answer without the long argument-name lists. */
  private JsonNode summary(JsonNode answer) {
    JsonNode copy = answer.deepCopy();
    for (JsonNode item : copy.path("items")) {
      for (JsonNode run : item.path("runs")) {
        ((ObjectNode) run).remove("argNames");
      }
    }
    return copy;
  }

  int bypassCount() {
    return verdicts.getOrDefault(Verdict.BYPASS, 0);
  }

  Map<String, Integer> bypassClasses() {
    return bypassClasses;
  }

  int overRefusals() {
    return verdicts.getOrDefault(Verdict.OVER_REFUSAL, 0);
  }

  /** Over-refusals among the commands the server runs. */
  double overRefusalRate() {
    int ran = verdicts.getOrDefault(Verdict.BOTH_RAN, 0) + bypassCount() + overRefusals();
    return ran == 0 ? 0 : (double) overRefusals() / ran;
  }

  List<ObjectNode> bypasses() {
    return bypasses;
  }

  /** A few lines for the test log. */
  String summaryLine() {
    return String.format("%d commands: %s; bypasses by class %s; over-refusal rate %.1f%% (%d); warnings %s",
        commands, verdicts, bypassClasses, 100 * overRefusalRate(), overRefusals(), warnings);
  }

  /** Writes the report; {@code run} holds seed, count and timing. */
  void write(Path file, ObjectNode run) throws IOException {
    ObjectNode root = mapper.createObjectNode();
    root.set("run", run);
    ObjectNode totals = root.putObject("totals");
    totals.put("commands", commands);
    verdicts.forEach((v, n) -> totals.put(v.name(), n));
    totals.put("bypasses", bypassCount());
    totals.put("overRefusals", overRefusals());
    totals.put("overRefusalRate", Math.round(overRefusalRate() * 10000) / 10000.0);
    root.set("bypassesByClass", mapper.valueToTree(bypassClasses));
    root.set("bypassesByMutation", mapper.valueToTree(bypassTags));
    root.set("overRefusalsByMutation", mapper.valueToTree(overRefusalTags));
    root.set("warnings", mapper.valueToTree(warnings));
    root.set("serverRefusalsByStage", mapper.valueToTree(serverRefusals));
    root.set("verdictsByCustomization", mapper.valueToTree(customizations));
    ArrayNode parserIssues = root.putArray("parserIssues");
    issues.values().stream().sorted((a, b) -> b.get("count").asInt() - a.get("count").asInt())
        .forEach(parserIssues::add);
    ArrayNode b = root.putArray("bypasses");
    bypasses.forEach(b::add);
    ArrayNode o = root.putArray("overRefusals");
    overRefusals.forEach(o::add);
    Files.createDirectories(file.getParent());
    mapper.writeValue(file.toFile(), root);
  }
}
