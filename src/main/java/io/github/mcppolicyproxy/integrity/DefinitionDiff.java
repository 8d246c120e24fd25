package io.github.mcppolicyproxy.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A readable difference between pinned and listed tool definitions: tools added and removed, and
 * for a changed tool its description line by line ({@code -} pinned, {@code +} listed) and every
 * other member as the JSON Pointers whose values differ. Pure; for {@code pin --diff}.
 */
public final class DefinitionDiff {
  private DefinitionDiff() {}

  /** The lines of the difference; empty when the definitions agree. */
  public static List<String> lines(Map<String, ToolPins.Pin> pinned,
      Map<String, ToolPins.Pin> listed) {
    List<String> out = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(pinned.keySet());
    names.addAll(listed.keySet());
    for (String name : names) {
      ToolPins.Pin was = pinned.get(name);
      ToolPins.Pin now = listed.get(name);
      if (was == null) {
        out.add("+ tool " + name + " (new; not a change, pinned when accepted)");
      } else if (now == null) {
        out.add("- tool " + name + " (pinned, no longer listed)");
      } else if (!was.sha256().equals(now.sha256())) {
        out.add("~ tool " + name + " changed (sha256 " + was.sha256().substring(0, 12) + " -> "
            + now.sha256().substring(0, 12) + ")");
        String a = was.definition().path("description").asText("");
        String b = now.definition().path("description").asText("");
        if (!a.equals(b)) {
          out.add("  description:");
          for (String l : textDiff(a.split("\n", -1), b.split("\n", -1))) {
            out.add("    " + l);
          }
        }
        Map<String, String> x = leaves(was.definition());
        Map<String, String> y = leaves(now.definition());
        TreeSet<String> ptrs = new TreeSet<>(x.keySet());
        ptrs.addAll(y.keySet());
        for (String p : ptrs) {
          if (p.equals("/description") || Objects.equals(x.get(p), y.get(p))) {
            continue;
          }
          if (x.containsKey(p)) {
            out.add("  - " + p + ": " + x.get(p));
          }
          if (y.containsKey(p)) {
            out.add("  + " + p + ": " + y.get(p));
          }
        }
      }
    }
    return out;
  }

  /** A line diff by longest common subsequence: unchanged lines start with two spaces. */
  static List<String> textDiff(String[] a, String[] b) {
    int[][] lcs = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1
            : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i].equals(b[j])) {
        out.add("  " + a[i++]);
        j++;
      } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
        out.add("+ " + b[j++]);
      } else {
        out.add("- " + a[i++]);
      }
    }
    return out;
  }

  private static Map<String, String> leaves(JsonNode n) {
    Map<String, String> out = new TreeMap<>();
    leaves(n, "", out);
    return out;
  }

  private static void leaves(JsonNode n, String at, Map<String, String> out) {
    if (n.isObject() && n.size() > 0) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        leaves(e.getValue(), at + "/" + e.getKey().replace("~", "~0").replace("/", "~1"), out);
      }
    } else if (n.isArray() && n.size() > 0) {
      for (int i = 0; i < n.size(); i++) {
        leaves(n.get(i), at + "/" + i, out);
      }
    } else {
      out.put(at, n.toString());
    }
  }
}
