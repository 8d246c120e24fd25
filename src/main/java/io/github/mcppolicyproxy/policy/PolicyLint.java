package io.github.mcppolicyproxy.policy;

import io.github.mcppolicyproxy.policy.Policy.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Warnings about a policy that loaded: parts that are valid but probably do not do what their
 * author meant (a rule that never applies, a reason nobody is shown). {@code check} prints them,
 * and the proxy prints them on stderr when it starts. Pure; thread-safe.
 */
public final class PolicyLint {
  private static final Pattern OPERATION_LIKE = Pattern.compile("[a-z0-9-]+:[A-Za-z0-9*?]+");
  private static final Pattern PARAM_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

  private PolicyLint() {}

  /** One warning per suspicious part, as {@code "SOURCE: POINTER: what"}, in file order. */
  public static List<String> warnings(Policy policy) {
    List<String> out = new ArrayList<>();
    for (Glob g : policy.hide()) {
      toolKey(policy, g, out);
    }
    policy.allTools().ifPresent(e -> entry(policy, e, out));
    for (Map.Entry<Glob, Entry> e : policy.tools().entrySet()) {
      toolKey(policy, e.getKey(), out);
      for (Glob h : policy.hide()) {
        if (!e.getKey().glob() && h.matches(e.getKey().text())) {
          out.add(policy.source() + ": " + e.getKey().pointer() + ": never applies: \""
              + e.getKey().text() + "\" is hidden by " + h.pointer() + ", and a hidden tool is"
              + " always refused");
        }
      }
      entry(policy, e.getValue(), out);
    }
    for (Entry e : policy.operations().values()) {
      entry(policy, e, out);
    }
    return out;
  }

  private static void toolKey(Policy policy, Glob key, List<String> out) {
    String text = key.text();
    if (toolChars(text)) {
      return;
    }
    String hint = OPERATION_LIKE.matcher(text).matches()
        ? "; \"" + text + "\" looks like an AWS operation: put it under \"operations\" (tools are"
            + " the MCP tools, such as call_aws)"
        : "";
    out.add(policy.source() + ": " + key.pointer() + ": \"" + text + "\" has characters tool"
        + " names do not use (MCP: letters, digits, _ - .), so it may never match a tool" + hint);
  }

  /**
   * Whether {@code text} is made only of the characters MCP recommends for tool names, plus the
   * glob characters ({@code [A-Za-z0-9_.*?-]+}); a loop, as every key of a policy is checked at
   * start.
   */
  static boolean toolChars(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
          || c == '.' || c == '*' || c == '?' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static void entry(Policy policy, Entry e, List<String> out) {
    if (e.action() == Action.DENY) {
      List<String> unused = new ArrayList<>();
      if (!e.limits().isEmpty()) {
        unused.add("limits");
      }
      if (!e.require().isEmpty()) {
        unused.add("require");
      }
      if (!e.denyIf().isEmpty()) {
        unused.add("deny_if");
      }
      if (e.argumentsSchema().isPresent()) {
        unused.add("arguments_schema");
      }
      if (!unused.isEmpty()) {
        out.add(at(policy, e) + ": " + String.join(", ", unused)
            + " never " + (unused.size() == 1 ? "applies" : "apply") + ": \"action\": \"deny\""
            + " refuses every call this entry names (to refuse only some, use deny_if on an"
            + " allowing entry)");
      }
    } else if (e.action() == Action.ALLOW && e.reason().isPresent() && e.require().isEmpty()
        && e.denyIf().isEmpty()) {
      out.add(at(policy, e) + "/reason: is never shown: this entry refuses"
          + " no call (a reason is shown when its require or deny_if refuses one, or when"
          + " \"action\" is \"deny\")");
    }
    for (Predicate p : e.require()) {
      path(policy, p, out);
    }
    for (Predicate p : e.denyIf()) {
      path(policy, p, out);
    }
  }

  /** Where an entry is, made only for a warning (every entry is linted at start). */
  private static String at(Policy policy, Entry e) {
    return policy.source() + ": " + e.pointer();
  }

  private static String at(Policy policy, Predicate p) {
    return policy.source() + ": " + p.pointer() + "/path";
  }

  private static void path(Policy policy, Predicate p, List<String> out) {
    for (String segment : p.path()) {
      if (segment.contains("[") || segment.contains("*")) {
        out.add(at(policy, p) + ": \"" + p.pathText() + "\": a segment names an object member"
            + " literally; arrays are searched element by element without an index or wildcard"
            + " (write \"args.items.name\" for every items[i].name)");
        return;
      }
    }
    if (p.path().size() == 2 && p.path().get(0).equals("params")
        && p.pointer().startsWith("/operations/")
        && !PARAM_NAME.matcher(p.path().get(1)).matches()) {
      out.add(at(policy, p) + ": \"" + p.pathText() + "\": CLI parameters are lower-case words"
          + " joined by '-' (params.role-arn for --role-arn); this name is only seen when given"
          + " inside --cli-input-json");
    }
  }
}
