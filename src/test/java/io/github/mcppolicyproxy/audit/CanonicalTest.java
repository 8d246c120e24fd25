package io.github.mcppolicyproxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class CanonicalTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String sha(String json) throws Exception {
    return Canonical.sha256(JSON.readTree(json));
  }

  @Test
  void keyOrderAndWhitespaceDoNotChangeTheHash() throws Exception {
    String a = sha("""
        {"b":1,"a":{"y":[1,2,{"q":true,"p":null}],"x":"s"}}""");
    String b = sha("""
        { "a" : { "x" : "s" ,
                  "y" : [ 1, 2, { "p": null, "q": true } ] },
          "b" : 1 }
        """);

    assertThat(a).isEqualTo(b).hasSize(64).matches("[0-9a-f]{64}");
  }

  @Test
  void escapesThatSpellTheSameStringHashTheSame() throws Exception {
    assertThat(sha("{\"n\\u0061me\":\"r\\u006d\"}")).isEqualTo(sha("{\"name\":\"rm\"}"));
  }

  @Test
  void oneAndOnePointZeroAreTheSameNumberAndHashTheSame() throws Exception {
    assertThat(sha("{\"a\":1.0}")).isEqualTo(sha("{\"a\":1}"));
    assertThat(sha("{\"a\":[1e2]}")).isEqualTo(sha("{\"a\":[100]}"));
  }

  @Test
  void differentValuesHashDifferently() throws Exception {
    assertThat(sha("{\"a\":1}")).isNotEqualTo(sha("{\"a\":2}"));
    assertThat(sha("{\"a\":1}")).isNotEqualTo(sha("{\"a\":\"1\"}"));
    assertThat(sha("[1,2]")).isNotEqualTo(sha("[2,1]"));
    assertThat(sha("{\"a\":{}}")).isNotEqualTo(sha("{\"a\":[]}"));
  }

  @Test
  void keysAreTheSortedTopLevelMemberNames() throws Exception {
    JsonNode n = JSON.readTree("{\"z\":1,\"a\":{\"inner\":2},\"m\":3}");

    assertThat(Canonical.keys(n)).containsExactly("a", "m", "z");
  }
}
