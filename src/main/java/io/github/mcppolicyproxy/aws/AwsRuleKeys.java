package io.github.mcppolicyproxy.aws;

import io.github.mcppolicyproxy.policy.Entry;
import io.github.mcppolicyproxy.policy.Glob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
    Map<String, Set<String>> prefixes = new HashMap<>(); // a policy names few services, often
    for (Map.Entry<Glob, Entry> e : rules.entrySet()) {
      out.put(e.getKey(), e.getValue());
      String text = e.getKey().text();
      int colon = text.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String servicePart = text.substring(0, colon);
      String rest = text.substring(colon);
      for (String prefix : prefixes.computeIfAbsent(servicePart, AwsRuleKeys::iamPrefixesFor)) {
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
    for (Names n : Names.API) {
      for (String alias : n.aliases()) {
        if (pattern.matches(alias)) {
          return true;
        }
      }
    }
    return false;
  }

  /** IAM prefixes of the services this service part names by another of their names. */
  private static Set<String> iamPrefixesFor(String servicePart) {
    Glob pattern = Glob.ofOperation(servicePart, "");
    Set<String> out = new LinkedHashSet<>();
    for (Names n : Names.API) {
      if (pattern.matches(n.iam())) {
        continue;
      }
      for (String alias : n.aliases()) {
        if (pattern.matches(alias)) {
          out.add(n.iam().toLowerCase(Locale.ROOT));
          break;
        }
      }
    }
    return out;
  }

  /**
   * An API service's IAM prefix and all its names ({@link ServiceNames#aliases}, the prefix
   * first), made once from the model: a policy's keys are each tested against every service, and
   * making the names anew for each cost the AWS policies' warm-up ~35 ms of C1's CPU.
   */
  private record Names(String iam, List<String> aliases) {
    static final List<Names> API = all();

    private static List<Names> all() {
      List<Names> out = new ArrayList<>();
      for (CliModel.Service s : CliModel.get().services().values()) {
        if (s.botocoreName().isPresent()) {
          out.add(new Names(ServiceNames.iamPrefix(s), List.copyOf(ServiceNames.aliases(s))));
        }
      }
      return List.copyOf(out);
    }
  }
}
