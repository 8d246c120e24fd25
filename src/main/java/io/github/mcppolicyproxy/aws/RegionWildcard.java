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
    return WILDCARD.matcher(text).find();
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
