package io.github.mcppolicyproxy.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what a tool definition may hide from the person who reviews it while the model reads it
 * ("tool poisoning"): invisible and bidirectional Unicode (Unicode tag characters are decoded to
 * show the hidden text), HTML-like tags such as {@code <IMPORTANT>} (that enclose text, are
 * written in capitals or are named like a role or an instruction: a {@code <name>} placeholder is
 * not flagged), paths of credential and
 * configuration files ({@code ~/.aws/credentials}, {@code ~/.ssh/id_rsa}, {@code .env}), and
 * sentences that name another tool together with a covert instruction ("before using", "do not
 * tell"). Every string of the title, description, schemas and annotations is read. Stateless,
 * thread-safe; used by {@code check} and {@code scan}.
 */
public final class HiddenInstructions {
  /** One thing found: the tool, the JSON Pointer inside its definition, what and why. */
  public record Finding(String tool, String pointer, String kind, String detail) {
    @Override
    public String toString() {
      return "tool " + tool + " " + pointer + ": " + detail;
    }
  }

  private static final Set<String> HARMLESS_TAGS = Set.of("b", "i", "em", "strong", "code", "pre",
      "br", "p", "ul", "ol", "li", "a", "tt", "kbd", "sub", "sup", "table", "tr", "td", "th");
  /** A tag is flagged when it encloses text, shouts, or is one of these (a placeholder is not). */
  private static final Set<String> SUSPICIOUS_TAGS = Set.of("important", "system", "instructions",
      "instruction", "secret", "hidden", "admin", "critical", "assistant", "user", "context");
  private static final Pattern TAG =
      Pattern.compile("<\\s*/?\\s*([A-Za-z][A-Za-z0-9_:-]*)(?:\\s[^<>]*)?/?\\s*>");
  private static final Pattern SENSITIVE_FILE = Pattern.compile("(?i)(~/\\.aws\\b[^\\s'\"`]*"
      + "|\\.aws/(?:credentials|config)|~/\\.ssh\\b[^\\s'\"`]*|\\bid_(?:rsa|dsa|ecdsa|ed25519)\\b"
      + "|(?<![\\w.])\\.env\\b|/etc/(?:passwd|shadow)|\\.netrc\\b|\\.npmrc\\b|\\.pypirc\\b"
      + "|\\.git-credentials|\\.kube/config|\\.docker/config\\.json|claude_desktop_config\\.json"
      + "|\\.cursor/mcp\\.json|\\bmcp\\.json\\b)");
  private static final Pattern COVERT = Pattern.compile("(?i)(before (?:using|calling|running|you"
      + " use)|must (?:first|always)|do not (?:tell|mention|inform|show)|don'?t (?:tell|mention|"
      + "inform|show)|without (?:telling|informing|asking)|secretly|ignore (?:all|any|previous|the)"
      + "|instead of the user|exfiltrat|send (?:it|them|the)|pass (?:it|its|the) (?:content|"
      + "contents)|include the (?:content|contents)|read the file|read (?:~|/|\\.))");

  /**
   * The warning {@code check} and {@code scan} print for each finding in {@code findings}, in one
   * wording: {@code hidden instruction? tool NAME POINTER: DETAIL}.
   */
  public static List<String> warnings(List<Finding> findings) {
    return findings.stream().map(f -> "hidden instruction? " + f).toList();
  }

  /** Everything found in {@code tools} (elements of a {@code tools/list} answer). */
  public List<Finding> scan(List<JsonNode> tools) {
    List<String> names = new ArrayList<>();
    tools.forEach(t -> names.add(t.path("name").asText()));
    List<Finding> out = new ArrayList<>();
    for (JsonNode t : tools) {
      String name = t.path("name").asText();
      for (String m : ToolPins.MEMBERS) {
        if (!m.equals("name") && t.has(m)) {
          strings(t.get(m), "/" + m, name, names, out);
        }
      }
    }
    return out;
  }

  private void strings(JsonNode n, String at, String tool, List<String> names,
      List<Finding> out) {
    if (n.isTextual()) {
      text(n.asText(), at, tool, names, out);
    } else if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = at + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
        text(e.getKey(), child, tool, names, out);
        strings(e.getValue(), child, tool, names, out);
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        strings(n.get(i), at + "/" + i, tool, names, out);
      }
    }
  }

  /** The findings in one string of a definition. */
  void text(String s, String at, String tool, List<String> names, List<Finding> out) {
    StringBuilder tagged = new StringBuilder();
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      String what = invisible(c);
      if (c >= 0xE0000 && c <= 0xE007F) {
        tagged.appendCodePoint(c >= 0xE0020 && c <= 0xE007E ? c - 0xE0000 : '?');
      } else if (what != null) {
        out.add(new Finding(tool, at, what.startsWith("bidi") ? "bidi" : "invisible",
            String.format("%s U+%04X at character %d", what, c, i)));
      }
      i += Character.charCount(c);
    }
    if (tagged.length() > 0) {
      out.add(new Finding(tool, at, "invisible", "Unicode tag characters hide the text \""
          + tagged + "\""));
    }
    Matcher m = TAG.matcher(s);
    while (m.find()) {
      String tag = m.group(1);
      String lower = tag.toLowerCase(Locale.ROOT);
      boolean closed = Pattern.compile("<\\s*/\\s*" + Pattern.quote(tag) + "\\s*>",
          Pattern.CASE_INSENSITIVE).matcher(s).find();
      boolean shouts = tag.length() >= 3 && tag.equals(tag.toUpperCase(Locale.ROOT));
      if (!HARMLESS_TAGS.contains(lower) && !m.group().startsWith("</")
          && (closed || shouts || SUSPICIOUS_TAGS.contains(lower))) {
        out.add(new Finding(tool, at, "tag", "HTML-like tag " + m.group() + " (text the model"
            + " reads as an instruction and a reviewer may skim)"));
      }
    }
    Matcher f = SENSITIVE_FILE.matcher(s);
    while (f.find()) {
      out.add(new Finding(tool, at, "sensitive_file", "names the credential or configuration file "
          + f.group()));
    }
    for (String sentence : s.split("(?<=[.!?])\\s+|\\n")) {
      if (!COVERT.matcher(sentence).find()) {
        continue;
      }
      for (String other : names) {
        if (!other.equals(tool) && !other.isEmpty() && Pattern.compile("(?<![\\w-])"
            + Pattern.quote(other) + "(?![\\w-])").matcher(sentence).find()) {
          out.add(new Finding(tool, at, "other_tool", "instructs about another tool, " + other
              + ": \"" + sentence.strip() + "\""));
        }
      }
    }
  }

  private static String invisible(int c) {
    if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x061C
        || c == 0x200E || c == 0x200F) {
      return "bidirectional control";
    }
    if ((c >= 0x200B && c <= 0x200D) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF
        || c == 0x00AD || c == 0x180E || c == 0x034F || c == 0x115F || c == 0x1160
        || c == 0x3164 || (c >= 0xFFF9 && c <= 0xFFFB)) {
      return "invisible character";
    }
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7F) {
      return "control character";
    }
    return null;
  }
}
