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
}
