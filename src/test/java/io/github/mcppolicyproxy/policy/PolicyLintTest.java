package io.github.mcppolicyproxy.policy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PolicyLintTest {
  private static List<String> warnings(String json) throws PolicyException {
    return PolicyLint.warnings(new PolicyLoader().parse("p.json", json.getBytes(UTF_8)));
  }

  @Test
  void anAwsOperationWrittenUnderToolsIsWarnedAboutWithWhereItBelongs() throws PolicyException {
    List<String> w = warnings("""
        {"version":"1","default":"allow","tools":{"s3:DeleteBucket":{"action":"deny"}}}""");

    assertThat(w).singleElement().asString().startsWith("p.json: /tools/s3:DeleteBucket: ")
        .contains("may never match a tool", "put it under \"operations\"");
  }

  @Test
  void predicatesAndLimitsOnADenyingEntryAreWarnedAboutAsNeverApplying() throws PolicyException {
    List<String> w = warnings("""
        {"version":"1","default":"allow","tools":{"rm":{"action":"deny",
          "deny_if":[{"path":"args.path","op":"eq","value":"/"}],
          "limits":[{"window":"minute","max":1}]}}}""");

    assertThat(w).singleElement().asString().contains("/tools/rm: limits, deny_if never apply");
  }

  @Test
  void aReasonNobodyCanBeShownIsWarnedAbout() throws PolicyException {
    assertThat(warnings("""
        {"version":"1","default":"deny","tools":{"x":{"reason":"be careful",
          "limits":[{"window":"minute","max":1}]}}}"""))
        .singleElement().asString().contains("/tools/x/reason: is never shown");
  }

  @Test
  void aHiddenToolsRuleAnIndexedPathAndACamelCaseParameterAreWarnedAbout() throws PolicyException {
    List<String> w = warnings("""
        {"version":"1","default":"allow","hide":["admin_*"],
         "tools":{"admin_reset":{},"put":{"require":[{"path":"args.items[0].name","op":"exists"}]}},
         "operations":{"s3:*":{"deny_if":[{"path":"params.Bucket","op":"eq","value":"prod"}]}}}""");

    assertThat(w).hasSize(3);
    assertThat(w.get(0)).contains("/tools/admin_reset: never applies", "/hide/0");
    assertThat(w.get(1)).contains("/tools/put/require/0/path", "without an index");
    assertThat(w.get(2)).contains("/operations/s3:*/deny_if/0/path", "params.role-arn");
  }

  @Test
  void theBundledPoliciesHaveNoWarnings() throws IOException, PolicyException {
    try (Stream<Path> s = Files.list(Paths.get("config"))) {
      for (Path f : s.filter(x -> x.toString().endsWith(".json")).toList()) {
        assertThat(PolicyLint.warnings(new PolicyLoader().load(f))).as(f.toString()).isEmpty();
      }
    }
  }

  /** The loop that checks a key's characters, against the regex it replaced. */
  @org.junit.jupiter.api.Test
  void toolCharactersAreTheRegexCharacters() {
    java.util.regex.Pattern regex = java.util.regex.Pattern.compile("[A-Za-z0-9_.*?-]+");
    java.util.Random random = new java.util.Random(23);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder key = new StringBuilder();
      for (int len = random.nextInt(6); len > 0; len--) {
        key.append((char) (random.nextInt(10) == 0 ? random.nextInt(0x3000) : random.nextInt(0x80)));
      }
      String k = key.toString();
      org.assertj.core.api.Assertions.assertThat(PolicyLint.toolChars(k)).as("%s", k)
          .isEqualTo(regex.matcher(k).matches());
    }
  }
}
