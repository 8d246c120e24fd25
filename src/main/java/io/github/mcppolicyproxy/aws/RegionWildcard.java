package io.github.mcppolicyproxy.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's {@code --region *} expansion (core/aws/service.py {@code expand_regions_if_needed}):
 * it searches the raw command text, also inside quotes, for {@code --region}, whitespace and a
 * lone {@code *}, and runs the command once per region its account has enabled (found with
 * {@code account:ListRegions}), with every such match replaced by {@code --region <region>}. The
 * proxy cannot know the enabled regions, so it judges the command in every region botocore knows,
 * a superset: each region is its own command (its own predicates, its own quota permits).
 */
final class RegionWildcard {

  /** Python's {@code \s} for str patterns (Unicode whitespace). */
  private static final String WS = "[ \\t\\n\\r\\f\\u000B\\u001C-\\u001F\\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";
  private static final Pattern WILDCARD = Pattern.compile("--region" + WS + "+\\*(?=" + WS + "|\\z)");
  private static final Pattern PROFILE = Pattern.compile("--profile" + WS + "+(?!--)([^" + WS.substring(1) + "+)");

  private RegionWildcard() {
  }

  /** Whether the server would expand this command. */
  static boolean applies(String text) {
    for (int at = text.indexOf("--region"); at >= 0; at = text.indexOf("--region", at + 1)) {
      int i = at + "--region".length();
      int blanks = i;
      while (i < text.length() && isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i > blanks && i < text.length() && text.charAt(i) == '*'
          && (i + 1 == text.length() || isWhitespace(text.charAt(i + 1)))) {
        return true;
      }
    }
    return false;
  }

  /** What {@link #applies} checks, as the regex the server's search is; for tests. */
  static boolean appliesByRegex(String text) {
    return WILDCARD.matcher(text).find();
  }

  /** {@link #WS}: Python's {@code \s} for str patterns. */
  private static boolean isWhitespace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\u001C' && c <= '\u001F') || c == '\u0085'
        || c == '\u00A0' || c == '\u1680' || (c >= '\u2000' && c <= '\u200A') || c == '\u2028'
        || c == '\u2029' || c == '\u202F' || c == '\u205F' || c == '\u3000';
  }

  /** The commands the server runs, one per region. */
  static List<String> expand(String text, List<String> regions) {
    List<String> out = new ArrayList<>(regions.size());
    for (String region : regions) {
      out.add(WILDCARD.matcher(text).replaceAll(Matcher.quoteReplacement("--region " + region)));
    }
    return out;
  }

  /** The profile the server lists the regions with: the first {@code --profile X} in the text, if any. */
  static java.util.Optional<String> listingProfile(String text) {
    Matcher m = PROFILE.matcher(text);
    return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
  }
}
