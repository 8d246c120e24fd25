package io.github.mcppolicyproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {
  private static boolean matches(String glob, String name) {
    return Glob.of(glob, "/tools/" + glob).matches(name);
  }

  @Test
  void plainNameMatchesOnlyItself() {
    assertThat(matches("call_aws", "call_aws")).isTrue();
    assertThat(matches("call_aws", "Call_aws")).isFalse();
    assertThat(matches("call_aws", "call_aws\u200b")).isFalse();
    assertThat(matches("call_aws", "ｃａｌｌ_ａｗｓ")).isFalse();
    assertThat(matches("café", "cafe\u0301")).as("no Unicode normalisation").isFalse();
    assertThat(matches("a.b", "axb")).as("regex characters are literal").isFalse();
  }

  @Test
  void starMatchesAnyRunIncludingNoneAndNewlines() {
    assertThat(matches("get_*", "get_")).isTrue();
    assertThat(matches("get_*", "get_a\nb")).isTrue();
    assertThat(matches("*", "")).isTrue();
    assertThat(matches("get_*", "Get_x")).isFalse();
    assertThat(matches("*_aws", "call_AWS")).isFalse();
  }

  @Test
  void questionMarkMatchesExactlyOneCharacter() {
    assertThat(matches("t?", "t1")).isTrue();
    assertThat(matches("t?", "t")).isFalse();
    assertThat(matches("t?", "t12")).isFalse();
  }

  @Test
  void regexMetacharactersInAGlobAreLiteral() {
    assertThat(matches("a.b*", "a.bc")).isTrue();
    assertThat(matches("a.b*", "axbc")).isFalse();
    assertThat(matches("[x]*", "[x]y")).isTrue();
    assertThat(matches("\\Q*", "\\Qz")).isTrue();
    assertThat(matches("(a|b)*", "a")).isFalse();
  }

  @org.junit.jupiter.api.Test
  void wildcardMatchingAgreesWithARegexReferenceOnRandomPatterns() {
    java.util.Random random = new java.util.Random(7);
    String patAlphabet = "ab*?:";
    String nameAlphabet = "abAB:\uD834\uDD1E";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder pat = new StringBuilder();
      for (int k = random.nextInt(7); k > 0; k--) {
        pat.append(patAlphabet.charAt(random.nextInt(patAlphabet.length())));
      }
      StringBuilder name = new StringBuilder();
      for (int k = random.nextInt(8); k > 0; k--) {
        int c = random.nextInt(6);
        name.append(c == 5 ? "\uD834\uDD1E" : String.valueOf(nameAlphabet.charAt(c)));
      }
      boolean ignoreCase = random.nextBoolean();
      String regex = java.util.Arrays.stream(pat.toString().split("", -1))
          .map(ch -> ch.equals("*") ? ".*" : ch.equals("?") ? "." : java.util.regex.Pattern.quote(ch))
          .collect(java.util.stream.Collectors.joining());
      boolean expected = java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.DOTALL
          | (ignoreCase ? java.util.regex.Pattern.CASE_INSENSITIVE : 0))
          .matcher(name).matches();
      org.assertj.core.api.Assertions.assertThat(Glob.wildcard(pat.toString(), name.toString(),
          ignoreCase)).as("%s vs %s (ignoreCase %s)", pat, name, ignoreCase).isEqualTo(expected);
    }
  }

  /** The literal runs a glob needs, against the {@code split("[*?]+")} they were computed with. */
  @Test
  void literalRunsAreWhatTheRegexSplitGave() {
    java.util.Random random = new java.util.Random(14);
    String alphabet = "ab*?.:_";
    for (int n = 0; n < 20_000; n++) {
      StringBuilder key = new StringBuilder();
      for (int len = random.nextInt(9); len > 0; len--) {
        key.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String k = key.toString();
      String[] bySplit = java.util.Arrays.stream(k.split("[*?]+")).filter(x -> !x.isEmpty())
          .toArray(String[]::new);
      assertThat(Glob.literals(k)).as("%s", k).containsExactly(bySplit);
    }
  }
}
