package io.github.mcppolicyproxy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mcppolicyproxy.policy.Matchability.Target;
import io.github.mcppolicyproxy.policy.Policy.Action;
import io.github.mcppolicyproxy.policy.Policy.Mode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a parsed policy file into a {@link Policy}: the top-level fields, the {@code tools} and
 * {@code operations} maps and each entry, recording every problem instead of stopping at the first
 * (limits and predicates are read by {@link LimitReader} and {@link PredicateReader}). One instance
 * per load.
 */
final class EntryReader {
  private static final Set<String> TOP = Set.of(
      "$schema", "description", "version", "default", "mode", "hide", "all_tools", "tools",
      "operations", "aws_cli_tools", "redact_secrets", "pin_tools");
  private static final Set<String> ENTRY = Set.of(
      "description", "action", "reason", "limits", "require", "deny_if", "approval",
      "arguments_schema");
  private static final Set<String> APPROVAL = Set.of("timeout_seconds");
  private static final Pattern OPERATION_KEY =
      Pattern.compile("[a-z0-9*?][a-z0-9*?.-]*:[A-Za-z0-9*?]+|\\*");

  private final Problems problems;
  private final LimitReader limits;
  private final PredicateReader predicates;

  EntryReader(Problems problems) {
    this.problems = problems;
    this.limits = new LimitReader(problems);
    this.predicates = new PredicateReader(problems);
  }

  /** The policy of {@code root}, or null when any problem was found. */
  Policy policy(JsonNode root, String sha) {
    if (!root.isObject()) {
      problems.add("", "must be a JSON object, found " + Problems.kind(root));
      return null;
    }
    problems.unknown(root, "", TOP, "version, default, mode, hide, all_tools, tools, operations,"
        + " aws_cli_tools, redact_secrets, pin_tools");
    boolean redact = flag(root, "redact_secrets");
    boolean pin = flag(root, "pin_tools");
    JsonNode v = root.get("version");
    if (v == null) {
      problems.add("/version", "is required: \"1\"");
    } else if (!v.isTextual() || !v.asText().equals("1")) {
      problems.add("/version", "must be \"1\", found " + v);
    }
    Action def = null;
    JsonNode d = root.get("default");
    if (d == null) {
      problems.add("/default", "is required: \"allow\" or \"deny\"");
    } else {
      def = problems.oneOf(d, "/default", Map.of("allow", Action.ALLOW, "deny", Action.DENY),
          "\"allow\" or \"deny\"");
    }
    Mode mode = Mode.ENFORCE;
    if (root.has("mode")) {
      Mode m = problems.oneOf(root.get("mode"), "/mode",
          Map.of("enforce", Mode.ENFORCE, "monitor", Mode.MONITOR), "\"enforce\" or \"monitor\"");
      mode = m == null ? Mode.ENFORCE : m;
    }
    List<Glob> hide = hide(root.get("hide"));
    Optional<Entry> allTools = Optional.empty();
    if (root.has("all_tools")) {
      allTools = Optional.ofNullable(entry(root.get("all_tools"), "/all_tools", Target.TOOL));
    }
    Map<Glob, Entry> tools = entries(root.get("tools"), "/tools", Target.TOOL);
    boolean hasOperations = root.has("operations");
    Map<Glob, Entry> operations = entries(root.get("operations"), "/operations", Target.OPERATION);
    List<String> awsCliTools = awsCliTools(root.get("aws_cli_tools"));
    if (!problems.isEmpty() || def == null) {
      return null;
    }
    return new Policy(problems.source(), sha, "1", def, mode, hide, allTools, tools, hasOperations,
        operations, awsCliTools, redact, pin);
  }

  /** {@code aws_cli_tools}: exact tool names (no globs: a glob could take in a tool by accident). */
  private List<String> awsCliTools(JsonNode node) {
    List<String> names = new ArrayList<>();
    if (node == null) {
      return names;
    }
    if (!node.isArray()) {
      problems.add("/aws_cli_tools", "must be an array of tool names, found " + Problems.kind(node));
      return names;
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode n = node.get(i);
      String p = "/aws_cli_tools/" + i;
      if (!n.isTextual() || n.asText().isEmpty()) {
        problems.add(p, "must be a non-empty tool name, found " + n);
      } else if (Glob.isGlob(n.asText())) {
        problems.add(p, "must name a tool exactly (no * or ?), found \"" + n.asText() + "\"");
      } else if (names.contains(n.asText())) {
        problems.add(p, "names \"" + n.asText() + "\" twice");
      } else {
        names.add(n.asText());
      }
    }
    return names;
  }

  /** An optional boolean member, true when absent. */
  private boolean flag(JsonNode root, String name) {
    JsonNode n = root.get(name);
    if (n == null) {
      return true;
    }
    if (!n.isBoolean()) {
      problems.add("/" + name, "must be true or false, found " + Problems.kind(n));
      return true;
    }
    return n.asBoolean();
  }

  private List<Glob> hide(JsonNode h) {
    List<Glob> hide = new ArrayList<>();
    if (h == null) {
      return hide;
    }
    if (!h.isArray()) {
      problems.add("/hide", "must be an array of tool names or globs, found " + Problems.kind(h));
      return hide;
    }
    for (int i = 0; i < h.size(); i++) {
      JsonNode n = h.get(i);
      String p = "/hide/" + i;
      if (!n.isTextual() || n.asText().isEmpty()) {
        problems.add(p, "must be a non-empty string, found " + n);
      } else if (Matchability.toolKey(n.asText()) != null) {
        problems.add(p, Matchability.toolKey(n.asText()));
      } else {
        hide.add(Glob.of(n.asText(), p));
      }
    }
    return hide;
  }

  private Map<Glob, Entry> entries(JsonNode node, String pointer, Target target) {
    Map<Glob, Entry> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    boolean operations = target == Target.OPERATION;
    if (!node.isObject()) {
      problems.add(pointer, "must be an object mapping " + (operations
          ? "AWS operations (service:Operation or a glob)" : "tool names or globs")
          + " to entries, found " + Problems.kind(node));
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String key = f.getKey();
      String p = pointer + "/" + PolicyLoader.escape(key);
      if (key.isEmpty()) {
        problems.add(p, "an empty name matches nothing");
        continue;
      }
      if (operations && !OPERATION_KEY.matcher(key).matches()) {
        problems.add(p, "\"" + key + "\" is not an AWS operation key: expected service:Operation"
            + " as in IAM (\"omics:StartReadSetExportJob\", \"s3:Get*\", \"*:Delete*\", \"iam:*\")");
        continue;
      }
      if (!operations && Matchability.toolKey(key) != null) {
        problems.add(p, Matchability.toolKey(key));
        continue;
      }
      Entry e = entry(f.getValue(), p, target);
      if (e != null) {
        out.put(operations ? Glob.ofOperation(key, p) : Glob.of(key, p), e);
      }
    }
    return out;
  }

  private Entry entry(JsonNode node, String p, Target target) {
    if (!node.isObject()) {
      problems.add(p, "must be an object (use {} to allow), found " + Problems.kind(node));
      return null;
    }
    int before = problems.count();
    problems.unknown(node, p, ENTRY,
        "action, reason, limits, require, deny_if, approval, arguments_schema");
    Action action = Action.ALLOW;
    if (node.has("action")) {
      Action a = problems.oneOf(node.get("action"), p + "/action", Map.of("allow", Action.ALLOW,
          "deny", Action.DENY, "require_approval", Action.REQUIRE_APPROVAL),
          "\"allow\", \"deny\" or \"require_approval\"");
      action = a == null ? Action.ALLOW : a;
    }
    Optional<String> reason = Optional.empty();
    JsonNode r = node.get("reason");
    if (r != null) {
      if (!r.isTextual()) {
        problems.add(p + "/reason", "must be a string, found " + Problems.kind(r));
      } else {
        reason = Optional.of(r.asText());
      }
    }
    List<Limit> entryLimits = new ArrayList<>();
    JsonNode ls = node.get("limits");
    if (ls != null) {
      if (!ls.isArray()) {
        problems.add(p + "/limits", "must be an array of {counter, window, max, scope}, found "
            + Problems.kind(ls));
      } else {
        for (int i = 0; i < ls.size(); i++) {
          Limit l = limits.limit(ls.get(i), p + "/limits/" + i);
          if (l != null) {
            entryLimits.add(l);
          }
        }
      }
    }
    List<Predicate> require = predicates.predicates(node.get("require"), p + "/require", target);
    List<Predicate> denyIf = predicates.predicates(node.get("deny_if"), p + "/deny_if", target);
    Optional<Integer> timeout = approval(node.get("approval"), p, action);
    Optional<ArgumentsSchema> schema = schema(node.get("arguments_schema"), p, target);
    if (problems.count() > before) {
      return null;
    }
    return new Entry(p, action, reason, entryLimits, require, denyIf, timeout, schema);
  }

  private Optional<Integer> approval(JsonNode ap, String p, Action action) {
    if (ap == null) {
      return Optional.empty();
    }
    if (!ap.isObject()) {
      problems.add(p + "/approval", "must be an object {\"timeout_seconds\": N}, found "
          + Problems.kind(ap));
      return Optional.empty();
    }
    Optional<Integer> timeout = Optional.empty();
    problems.unknown(ap, p + "/approval", APPROVAL, "timeout_seconds");
    JsonNode t = ap.get("timeout_seconds");
    if (t != null) {
      if (!t.canConvertToInt() || !t.isIntegralNumber() || t.asInt() < 1) {
        problems.add(p + "/approval/timeout_seconds", "must be a whole number of seconds >= 1,"
            + " found " + t);
      } else {
        timeout = Optional.of(t.asInt());
      }
    }
    if (action != Action.REQUIRE_APPROVAL) {
      problems.add(p + "/approval", "only means something with \"action\": \"require_approval\"");
    }
    return timeout;
  }

  private Optional<ArgumentsSchema> schema(JsonNode sn, String p, Target target) {
    if (sn == null) {
      return Optional.empty();
    }
    if (target == Target.OPERATION) {
      problems.add(p + "/arguments_schema", "applies to tools only; for AWS operations use"
          + " require and deny_if on params.NAME, region or profile");
    } else if (!sn.isObject()) {
      problems.add(p + "/arguments_schema", "must be a JSON Schema object, found "
          + Problems.kind(sn));
    } else {
      try {
        return Optional.of(ArgumentsSchema.compile(p + "/arguments_schema", sn));
      } catch (RuntimeException e) {
        problems.add(p + "/arguments_schema", "is not a usable JSON Schema: " + e.getMessage());
      }
    }
    return Optional.empty();
  }
}
