package io.github.mcppolicyproxy.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.mcppolicyproxy.policy.Limit.Scope;
import io.github.mcppolicyproxy.policy.Policy.Action;
import io.github.mcppolicyproxy.policy.Policy.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a policy file into a {@link Policy}, strictly: an unknown member, a wrong type or value, a
 * duplicate key is a {@link PolicyProblem} naming the file, the JSON Pointer, what was expected and
 * the line and column. Every problem in the file is reported at once. Thread-safe.
 */
public final class PolicyLoader {
  /** Where the policy bundled in the jar lives (the default of {@code --policy}). */
  public static final String BUILTIN_DEFAULT = "aws-api-mcp-server.policy.json";

  private static final Set<String> TOP = Set.of(
      "$schema", "description", "version", "default", "mode", "hide", "all_tools", "tools",
      "operations", "redact_secrets", "pin_tools");
  private static final Set<String> ENTRY = Set.of(
      "description", "action", "reason", "limits", "require", "deny_if", "approval",
      "arguments_schema");
  private static final Set<String> LIMIT = Set.of("counter", "window", "max", "scope");
  private static final Set<String> PREDICATE = Set.of("path", "op", "value");
  private static final Set<String> APPROVAL = Set.of("timeout_seconds");
  private static final Pattern OPERATION_KEY =
      Pattern.compile("[a-z0-9*?][a-z0-9*?.-]*:[A-Za-z0-9*?]+|\\*");
  private static final Map<String, Duration> WINDOWS = Map.of(
      "second", Duration.ofSeconds(1),
      "minute", Duration.ofMinutes(1),
      "hour", Duration.ofHours(1),
      "day", Duration.ofDays(1));

  private final ObjectMapper mapper;
  private final JsonFactory strictFactory;

  public PolicyLoader() {
    this.strictFactory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
    this.mapper = JsonMapper.builder(strictFactory).build();
  }

  /** Loads a policy file from disk. */
  public Policy load(Path file) throws PolicyException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PolicyException(List.of(new PolicyProblem(
          file.toString(), "", "cannot be read: " + e, 0, 0)));
    }
    return parse(file.toString(), bytes);
  }

  /** Loads a policy bundled in the jar under {@code config/NAME}. */
  public Policy loadBuiltin(String name) throws PolicyException {
    try (InputStream in = PolicyLoader.class.getResourceAsStream("/config/" + name)) {
      if (in == null) {
        throw new PolicyException(List.of(new PolicyProblem(
            "builtin:" + name, "", "no such policy bundled in the jar", 0, 0)));
      }
      return parse("builtin:" + name, in.readAllBytes());
    } catch (IOException e) {
      throw new PolicyException(List.of(new PolicyProblem(
          "builtin:" + name, "", "cannot be read: " + e, 0, 0)));
    }
  }

  /** Parses and validates a policy from bytes; {@code source} names it in problems. */
  public Policy parse(String source, byte[] bytes) throws PolicyException {
    JsonNode root;
    try {
      root = mapper.readTree(bytes);
    } catch (StreamReadException e) {
      JsonLocation at = e.getLocation();
      throw new PolicyException(List.of(new PolicyProblem(source, pointerOf(e),
          "is not valid JSON: " + e.getOriginalMessage(),
          at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr())));
    } catch (IOException e) {
      throw new PolicyException(List.of(new PolicyProblem(
          source, "", "is not valid JSON: " + e.getMessage(), 0, 0)));
    }
    Ctx ctx = new Ctx(source, locations(bytes));
    Policy policy = ctx.policy(root, sha256(bytes));
    if (!ctx.problems.isEmpty()) {
      throw new PolicyException(ctx.problems);
    }
    return policy;
  }

  /** Where the parser was when it gave up (a duplicate key: the key's pointer), or "" if unknown. */
  private static String pointerOf(StreamReadException e) {
    JsonParser p = e.getProcessor();
    if (p != null && p.getParsingContext() != null) {
      return p.getParsingContext().pathAsPointer().toString();
    }
    return "";
  }

  private Map<String, int[]> locations(byte[] bytes) {
    Map<String, int[]> at = new HashMap<>();
    try (JsonParser p = strictFactory.createParser(bytes)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME || p.getParsingContext().inArray()) {
          JsonLocation l = p.currentTokenLocation();
          at.putIfAbsent(p.getParsingContext().pathAsPointer().toString(),
              new int[] {l.getLineNr(), l.getColumnNr()});
        }
      }
    } catch (IOException e) {
      // already parsed once; locations are a courtesy
    }
    return at;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** Escapes one reference token of a JSON Pointer (RFC 6901). */
  public static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  /** The validation of one file: collects problems instead of stopping at the first. */
  private static final class Ctx {
    final String source;
    final Map<String, int[]> at;
    final List<PolicyProblem> problems = new ArrayList<>();
    final Map<String, Limit> counters = new HashMap<>();

    Ctx(String source, Map<String, int[]> at) {
      this.source = source;
      this.at = at;
    }

    void problem(String pointer, String message) {
      int[] lc = at.get(pointer);
      problems.add(new PolicyProblem(source, pointer, message,
          lc == null ? 0 : lc[0], lc == null ? 0 : lc[1]));
    }

    Policy policy(JsonNode root, String sha) {
      if (!root.isObject()) {
        problem("", "must be a JSON object, found " + kind(root));
        return null;
      }
      unknown(root, "", TOP, "version, default, mode, hide, all_tools, tools, operations,"
          + " redact_secrets, pin_tools");
      boolean redact = flag(root, "redact_secrets");
      boolean pin = flag(root, "pin_tools");
      JsonNode v = root.get("version");
      if (v == null) {
        problem("/version", "is required: \"1\"");
      } else if (!v.isTextual() || !v.asText().equals("1")) {
        problem("/version", "must be \"1\", found " + v);
      }
      Action def = null;
      JsonNode d = root.get("default");
      if (d == null) {
        problem("/default", "is required: \"allow\" or \"deny\"");
      } else {
        def = oneOf(d, "/default", Map.of("allow", Action.ALLOW, "deny", Action.DENY),
            "\"allow\" or \"deny\"");
      }
      Mode mode = Mode.ENFORCE;
      if (root.has("mode")) {
        Mode m = oneOf(root.get("mode"), "/mode",
            Map.of("enforce", Mode.ENFORCE, "monitor", Mode.MONITOR), "\"enforce\" or \"monitor\"");
        mode = m == null ? Mode.ENFORCE : m;
      }
      List<Glob> hide = new ArrayList<>();
      JsonNode h = root.get("hide");
      if (h != null) {
        if (!h.isArray()) {
          problem("/hide", "must be an array of tool names or globs, found " + kind(h));
        } else {
          for (int i = 0; i < h.size(); i++) {
            JsonNode n = h.get(i);
            if (!n.isTextual() || n.asText().isEmpty()) {
              problem("/hide/" + i, "must be a non-empty string, found " + n);
            } else {
              hide.add(Glob.of(n.asText(), "/hide/" + i));
            }
          }
        }
      }
      Optional<Entry> allTools = Optional.empty();
      if (root.has("all_tools")) {
        allTools = Optional.ofNullable(entry(root.get("all_tools"), "/all_tools"));
      }
      Map<Glob, Entry> tools = entries(root.get("tools"), "/tools", false);
      boolean hasOperations = root.has("operations");
      Map<Glob, Entry> operations = entries(root.get("operations"), "/operations", true);
      if (!problems.isEmpty() || def == null) {
        return null;
      }
      return new Policy(source, sha, "1", def, mode, hide, allTools, tools, hasOperations,
          operations, redact, pin);
    }

    /** An optional boolean member, true when absent. */
    boolean flag(JsonNode root, String name) {
      JsonNode n = root.get(name);
      if (n == null) {
        return true;
      }
      if (!n.isBoolean()) {
        problem("/" + name, "must be true or false, found " + kind(n));
        return true;
      }
      return n.asBoolean();
    }

    Map<Glob, Entry> entries(JsonNode node, String pointer, boolean operations) {
      Map<Glob, Entry> out = new LinkedHashMap<>();
      if (node == null) {
        return out;
      }
      if (!node.isObject()) {
        problem(pointer, "must be an object mapping " + (operations
            ? "AWS operations (service:Operation or a glob)" : "tool names or globs")
            + " to entries, found " + kind(node));
        return out;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        String p = pointer + "/" + escape(f.getKey());
        if (f.getKey().isEmpty()) {
          problem(p, "an empty name matches nothing");
          continue;
        }
        if (operations && !OPERATION_KEY.matcher(f.getKey()).matches()) {
          problem(p, "\"" + f.getKey() + "\" is not an AWS operation key: expected service:Operation"
              + " as in IAM (\"omics:StartReadSetExportJob\", \"s3:Get*\", \"*:Delete*\", \"iam:*\")");
          continue;
        }
        Entry e = entry(f.getValue(), p);
        if (e != null) {
          out.put(operations ? Glob.ofOperation(f.getKey(), p) : Glob.of(f.getKey(), p), e);
        }
      }
      return out;
    }

    Entry entry(JsonNode node, String p) {
      if (!node.isObject()) {
        problem(p, "must be an object (use {} to allow), found " + kind(node));
        return null;
      }
      int before = problems.size();
      unknown(node, p, ENTRY,
          "action, reason, limits, require, deny_if, approval, arguments_schema");
      Action action = Action.ALLOW;
      if (node.has("action")) {
        Action a = oneOf(node.get("action"), p + "/action", Map.of("allow", Action.ALLOW,
            "deny", Action.DENY, "require_approval", Action.REQUIRE_APPROVAL),
            "\"allow\", \"deny\" or \"require_approval\"");
        action = a == null ? Action.ALLOW : a;
      }
      Optional<String> reason = Optional.empty();
      JsonNode r = node.get("reason");
      if (r != null) {
        if (!r.isTextual()) {
          problem(p + "/reason", "must be a string, found " + kind(r));
        } else {
          reason = Optional.of(r.asText());
        }
      }
      List<Limit> limits = new ArrayList<>();
      JsonNode ls = node.get("limits");
      if (ls != null) {
        if (!ls.isArray()) {
          problem(p + "/limits", "must be an array of {counter, window, max, scope}, found "
              + kind(ls));
        } else {
          for (int i = 0; i < ls.size(); i++) {
            Limit l = limit(ls.get(i), p + "/limits/" + i);
            if (l != null) {
              limits.add(l);
            }
          }
        }
      }
      List<Predicate> require = predicates(node.get("require"), p + "/require");
      List<Predicate> denyIf = predicates(node.get("deny_if"), p + "/deny_if");
      Optional<Integer> timeout = Optional.empty();
      JsonNode ap = node.get("approval");
      if (ap != null) {
        if (!ap.isObject()) {
          problem(p + "/approval", "must be an object {\"timeout_seconds\": N}, found " + kind(ap));
        } else {
          unknown(ap, p + "/approval", APPROVAL, "timeout_seconds");
          JsonNode t = ap.get("timeout_seconds");
          if (t != null) {
            if (!t.canConvertToInt() || !t.isIntegralNumber() || t.asInt() < 1) {
              problem(p + "/approval/timeout_seconds", "must be a whole number of seconds >= 1,"
                  + " found " + t);
            } else {
              timeout = Optional.of(t.asInt());
            }
          }
          if (action != Action.REQUIRE_APPROVAL) {
            problem(p + "/approval", "only means something with \"action\": \"require_approval\"");
          }
        }
      }
      Optional<ArgumentsSchema> schema = Optional.empty();
      JsonNode sn = node.get("arguments_schema");
      if (sn != null) {
        if (p.startsWith("/operations/")) {
          problem(p + "/arguments_schema", "applies to tools only; for AWS operations use require"
              + " and deny_if on params.NAME, region or profile");
        } else if (!sn.isObject()) {
          problem(p + "/arguments_schema", "must be a JSON Schema object, found " + kind(sn));
        } else {
          try {
            schema = Optional.of(ArgumentsSchema.compile(p + "/arguments_schema", sn));
          } catch (RuntimeException e) {
            problem(p + "/arguments_schema", "is not a usable JSON Schema: " + e.getMessage());
          }
        }
      }
      if (problems.size() > before) {
        return null;
      }
      return new Entry(p, action, reason, limits, require, denyIf, timeout, schema);
    }

    Limit limit(JsonNode node, String p) {
      if (!node.isObject()) {
        problem(p, "must be an object {counter, window, max, scope}, found " + kind(node));
        return null;
      }
      int before = problems.size();
      unknown(node, p, LIMIT, "counter, window, max, scope");
      String counter = p; // an unnamed limit counts on its own
      JsonNode c = node.get("counter");
      if (c != null) {
        if (!c.isTextual() || c.asText().isEmpty()) {
          problem(p + "/counter", "must be a non-empty string, found " + c);
        } else {
          counter = c.asText();
        }
      }
      Duration window = null;
      String windowText = null;
      JsonNode w = node.get("window");
      if (w == null) {
        problem(p + "/window", "is required: \"second\", \"minute\", \"hour\", \"day\" or a whole"
            + " number of seconds");
      } else if (w.isTextual() && WINDOWS.containsKey(w.asText())) {
        window = WINDOWS.get(w.asText());
        windowText = w.asText();
      } else if (w.isIntegralNumber() && w.canConvertToLong() && w.asLong() >= 1
          && w.asLong() <= 366L * 86400) {
        window = Duration.ofSeconds(w.asLong());
        windowText = w.asLong() == 1 ? "second" : w.asLong() + " seconds";
      } else {
        problem(p + "/window", w + " is not one of \"second\", \"minute\", \"hour\", \"day\" or a"
            + " whole number of seconds (1 to 31622400)");
      }
      int max = 0;
      JsonNode m = node.get("max");
      if (m == null) {
        problem(p + "/max", "is required: the most calls allowed in one window");
      } else if (!m.isIntegralNumber() || !m.canConvertToInt() || m.asInt() < 1) {
        problem(p + "/max", "must be a whole number >= 1, found " + m);
      } else {
        max = m.asInt();
      }
      Scope scope = Scope.SESSION;
      if (node.has("scope")) {
        Scope s = oneOf(node.get("scope"), p + "/scope", Map.of("session", Scope.SESSION,
            "grant", Scope.GRANT, "global", Scope.GLOBAL), "\"session\", \"grant\" or \"global\"");
        scope = s == null ? Scope.SESSION : s;
      }
      if (problems.size() > before) {
        return null;
      }
      Limit limit = new Limit(p, counter, window, windowText, max, scope);
      Limit first = counters.putIfAbsent(counter, limit);
      if (first != null && (!first.window().equals(window) || first.max() != max
          || first.scope() != scope)) {
        problem(p, "counter \"" + counter + "\" is shared with " + first.pointer()
            + " but declared differently: entries that share a counter share one count, so"
            + " window, max and scope must be the same");
        return null;
      }
      return limit;
    }

    List<Predicate> predicates(JsonNode node, String p) {
      List<Predicate> out = new ArrayList<>();
      if (node == null) {
        return out;
      }
      if (!node.isArray()) {
        problem(p, "must be an array of {path, op, value}, found " + kind(node));
        return out;
      }
      for (int i = 0; i < node.size(); i++) {
        Predicate pr = predicate(node.get(i), p + "/" + i);
        if (pr != null) {
          out.add(pr);
        }
      }
      return out;
    }

    Predicate predicate(JsonNode node, String p) {
      if (!node.isObject()) {
        problem(p, "must be an object {path, op, value}, found " + kind(node));
        return null;
      }
      int before = problems.size();
      unknown(node, p, PREDICATE, "path, op, value");
      JsonNode path = node.get("path");
      List<String> segments = List.of();
      if (path == null || !path.isTextual() || path.asText().isEmpty()) {
        problem(p + "/path", "is required: a dotted path such as \"args.region\","
            + " \"params.destination\", \"region\" or \"profile\"");
      } else {
        segments = List.of(path.asText().split("\\.", -1));
        if (segments.stream().anyMatch(String::isEmpty)) {
          problem(p + "/path", "\"" + path.asText() + "\" has an empty segment");
        }
      }
      Predicate.Op op = null;
      JsonNode o = node.get("op");
      if (o == null || !o.isTextual()) {
        problem(p + "/op", "is required: one of eq, neq, in, not_in, lt, lte, gt, gte, regex,"
            + " contains, exists");
      } else {
        try {
          op = Predicate.Op.valueOf(o.asText().toUpperCase(Locale.ROOT));
          if (!op.wire().equals(o.asText())) {
            throw new IllegalArgumentException();
          }
        } catch (IllegalArgumentException e) {
          problem(p + "/op", o + " is not one of eq, neq, in, not_in, lt, lte, gt, gte, regex,"
              + " contains, exists");
          op = null;
        }
      }
      JsonNode value = node.get("value");
      Pattern regex = null;
      if (op != null) {
        switch (op) {
          case EXISTS -> {
            if (value != null && !value.isBoolean()) {
              problem(p + "/value", "for exists must be true or false (or absent), found " + value);
            }
          }
          case IN, NOT_IN -> {
            if (value == null || !value.isArray()) {
              problem(p + "/value", "for " + op.wire() + " must be an array, found "
                  + (value == null ? "nothing" : value));
            }
          }
          case LT, LTE, GT, GTE -> {
            if (value == null || !value.isNumber()) {
              problem(p + "/value", "for " + op.wire() + " must be a number, found "
                  + (value == null ? "nothing" : value));
            }
          }
          case REGEX -> {
            if (value == null || !value.isTextual()) {
              problem(p + "/value", "for regex must be a string (a java.util.regex pattern,"
                  + " matched against the whole value), found " + (value == null ? "nothing" : value));
            } else {
              try {
                regex = Pattern.compile(value.asText());
              } catch (PatternSyntaxException e) {
                problem(p + "/value", "is not a valid regular expression: "
                    + e.getDescription() + " near index " + e.getIndex());
              }
            }
          }
          default -> {
            if (value == null) {
              problem(p + "/value", "is required for " + op.wire());
            }
          }
        }
      }
      if (problems.size() > before) {
        return null;
      }
      return new Predicate(p, path.asText(), segments, op, value, regex);
    }

    <T> T oneOf(JsonNode node, String p, Map<String, T> choices, String expected) {
      if (node.isTextual() && choices.containsKey(node.asText())) {
        return choices.get(node.asText());
      }
      problem(p, node + " is not one of " + expected);
      return null;
    }

    void unknown(JsonNode node, String p, Set<String> known, String list) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!known.contains(name)) {
          problem(p + "/" + escape(name), "unknown field \"" + name + "\"; expected one of: " + list);
        }
      }
    }

    static String kind(JsonNode n) {
      if (n.isObject()) {
        return "an object";
      }
      if (n.isArray()) {
        return "an array";
      }
      if (n.isTextual()) {
        return "the string " + n;
      }
      return n.isNull() ? "null" : n.getNodeType().name().toLowerCase(Locale.ROOT) + " " + n;
    }
  }
}
