package io.github.mcppolicyproxy.aws;

import io.github.mcppolicyproxy.policy.Entry;
import io.github.mcppolicyproxy.policy.Glob;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The service names a policy may use in {@code operations} keys. Operation keys the proxy reports
 * use the IAM prefix (canonical: {@code access-analyzer:ListAnalyzers}, {@code geo:...},
 * {@code cassandra:...}); a rule may also name the service by its CLI word, botocore name, signing
 * name or endpoint prefix ({@code accessanalyzer:*}, {@code location:*}, {@code keyspaces:*}),
 * and then applies to the same operations.
 */
public final class AwsRuleKeys {

  private AwsRuleKeys() {
  }

  /**
   * The rules with, after each key that names a service by another name than its IAM prefix, the
   * same entry under the IAM prefix (same JSON Pointer), so that matching IAM-prefixed operation
   * keys finds it. Order is kept; keys already in IAM form are unchanged.
   */
  public static Map<Glob, Entry> withIamPrefixes(Map<Glob, Entry> rules) {
    Map<Glob, Entry> out = new LinkedHashMap<>();
    for (Map.Entry<Glob, Entry> e : rules.entrySet()) {
      out.put(e.getKey(), e.getValue());
      String text = e.getKey().text();
      int colon = text.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String servicePart = text.substring(0, colon);
      String rest = text.substring(colon);
      for (String prefix : iamPrefixesFor(servicePart)) {
        Glob extra = Glob.ofOperation(prefix + rest, e.getKey().pointer());
        if (!extra.text().equalsIgnoreCase(text)) {
          out.putIfAbsent(extra, e.getValue());
        }
      }
    }
    return out;
  }

  /** Whether the service part of an operations key (a name or a glob) names at least one known service. */
  public static boolean isKnownService(String servicePart) {
    Glob pattern = Glob.ofOperation(servicePart, "");
    if (pattern.matches("rds-db")) {
      return true;
    }
    for (CliModel.Service s : CliModel.get().services().values()) {
      if (s.botocoreName().isPresent()) {
        for (String alias : ServiceNames.aliases(s)) {
          if (pattern.matches(alias)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** IAM prefixes of the services this service part names by another of their names. */
  private static Set<String> iamPrefixesFor(String servicePart) {
    Glob pattern = Glob.ofOperation(servicePart, "");
    Set<String> out = new LinkedHashSet<>();
    for (CliModel.Service s : CliModel.get().services().values()) {
      if (s.botocoreName().isEmpty()) {
        continue;
      }
      String iam = ServiceNames.iamPrefix(s);
      if (pattern.matches(iam)) {
        continue;
      }
      for (String alias : ServiceNames.aliases(s)) {
        if (pattern.matches(alias)) {
          out.add(iam.toLowerCase(Locale.ROOT));
          break;
        }
      }
    }
    return out;
  }
}
