package io.github.mcppolicyproxy.policy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PredicatesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A predicate as the loader builds it from {@code json}. */
  static Predicate predicate(String json) {
    String policy = "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"x\":{\"require\":[" + json + "]}}}";
    try {
      return new PolicyLoader().parse("p.json", policy.getBytes(UTF_8))
          .tools().values().iterator().next().require().get(0);
    } catch (PolicyException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /** The root the engine builds: {"args": ARGS}. */
  static JsonNode args(String json) {
    try {
      ObjectNode root = JSON.createObjectNode();
      root.set("args", JSON.readTree(json));
      return root;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static boolean require(String predicate, String arguments) {
    return Predicates.requireHolds(predicate(predicate), args(arguments));
  }

  private static boolean denies(String predicate, String arguments) {
    return Predicates.denyMatches(predicate(predicate), args(arguments));
  }

  /** Each row: predicate | arguments | require holds | deny_if matches. */
  @ParameterizedTest(name = "{0} on {1}: require {2}, deny_if {3}")
  @CsvSource(delimiter = '|', textBlock = """
      {"path":"args.a","op":"eq","value":"x"}                 | {"a":"x"}          | true  | true
      {"path":"args.a","op":"eq","value":"x"}                 | {"a":"X"}          | false | false
      {"path":"args.a","op":"eq","value":1}                   | {"a":1.0}          | true  | true
      {"path":"args.a","op":"eq","value":{"k":[1]}}           | {"a":{"k":[1]}}    | true  | true
      {"path":"args.a","op":"neq","value":"x"}                | {"a":"y"}          | true  | true
      {"path":"args.a","op":"neq","value":"x"}                | {"a":"x"}          | false | false
      {"path":"args.a","op":"in","value":["x","y"]}           | {"a":"y"}          | true  | true
      {"path":"args.a","op":"in","value":["x","y"]}           | {"a":"z"}          | false | false
      {"path":"args.a","op":"in","value":[1,2]}               | {"a":2.00}         | true  | true
      {"path":"args.a","op":"not_in","value":["x","y"]}       | {"a":"z"}          | true  | true
      {"path":"args.a","op":"not_in","value":["x","y"]}       | {"a":"x"}          | false | false
      {"path":"args.a","op":"lt","value":10}                  | {"a":9.99}         | true  | true
      {"path":"args.a","op":"lt","value":10}                  | {"a":10}           | false | false
      {"path":"args.a","op":"lte","value":10}                 | {"a":10}           | true  | true
      {"path":"args.a","op":"lte","value":10}                 | {"a":10.01}        | false | false
      {"path":"args.a","op":"gt","value":10}                  | {"a":11}           | true  | true
      {"path":"args.a","op":"gt","value":10}                  | {"a":10}           | false | false
      {"path":"args.a","op":"gte","value":10}                 | {"a":10.0}         | true  | true
      {"path":"args.a","op":"gte","value":10}                 | {"a":-1e3}         | false | false
      {"path":"args.a","op":"gt","value":10}                  | {"a":"11"}         | true  | true
      {"path":"args.a","op":"gt","value":10}                  | {"a":" 9 "}        | false | false
      {"path":"args.a","op":"lt","value":100000000000000000000} | {"a":99999999999999999999} | true | true
      {"path":"args.a","op":"regex","value":"us-[a-z]+-[0-9]"} | {"a":"us-east-1"} | true | true
      {"path":"args.a","op":"regex","value":"us-[a-z]+-[0-9]"} | {"a":"xus-east-1"} | false | false
      {"path":"args.a","op":"regex","value":"[0-9]+"}         | {"a":123}          | true  | true
      {"path":"args.a","op":"contains","value":"prod"}        | {"a":"my-prod-db"} | true  | true
      {"path":"args.a","op":"contains","value":"prod"}        | {"a":"my-dev-db"}  | false | false
      {"path":"args.a","op":"contains","value":"prod"}        | {"a":["dev","prod"]} | true | true
      {"path":"args.a","op":"contains","value":3}             | {"a":[1,2,3.0]}    | true  | true
      {"path":"args.a","op":"contains","value":3}             | {"a":[1,2]}        | false | false
      {"path":"args.a","op":"exists"}                         | {"a":null}         | true  | true
      {"path":"args.a","op":"exists"}                         | {"b":1}            | false | false
      {"path":"args.a","op":"exists","value":false}           | {"b":1}            | true  | true
      {"path":"args.a","op":"exists","value":false}           | {"a":1}            | false | false
      {"path":"args.a.b","op":"eq","value":1}                 | {"a":{"b":1}}      | true  | true
      """)
  void everyOpUnderRequireAndDenyIf(String predicate, String arguments, boolean holds, boolean matches) {
    assertThat(require(predicate, arguments)).as("require").isEqualTo(holds);
    assertThat(denies(predicate, arguments)).as("deny_if").isEqualTo(matches);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      {"path":"args.a","op":"eq","value":"x"}
      {"path":"args.a","op":"neq","value":"x"}
      {"path":"args.a","op":"in","value":["x"]}
      {"path":"args.a","op":"not_in","value":["x"]}
      {"path":"args.a","op":"lt","value":1}
      {"path":"args.a","op":"gte","value":1}
      {"path":"args.a","op":"regex","value":".*"}
      {"path":"args.a","op":"contains","value":"x"}
      {"path":"args.a.b.c","op":"neq","value":"x"}
      """)
  void absentPathFailsRequireAndDoesNotMatchDenyIf(String predicate) {
    assertThat(require(predicate, "{\"b\":1}")).isFalse();
    assertThat(denies(predicate, "{\"b\":1}")).isFalse();
  }

  @Test
  void pathThroughAScalarIsAbsent() {
    assertThat(require("{\"path\":\"args.a.b\",\"op\":\"eq\",\"value\":1}", "{\"a\":\"b\"}")).isFalse();
    assertThat(denies("{\"path\":\"args.a.b\",\"op\":\"exists\"}", "{\"a\":\"b\"}")).isFalse();
  }

  @Test
  void wrappingAValueInAnArrayDoesNotSlipPastDenyIf() {
    String p = "{\"path\":\"args.region\",\"op\":\"eq\",\"value\":\"us-west-2\"}";

    assertThat(denies(p, "{\"region\":\"us-west-2\"}")).isTrue();
    assertThat(denies(p, "{\"region\":[\"us-west-2\"]}")).isTrue();
    assertThat(denies(p, "{\"region\":[[\"us-east-1\"],[[\"us-west-2\"]]]}")).isTrue();
  }

  @Test
  void wrappingAValueInAnArrayDoesNotSatisfyRequireWithOneBadElement() {
    String p = "{\"path\":\"args.region\",\"op\":\"in\",\"value\":[\"us-east-1\"]}";

    assertThat(require(p, "{\"region\":[\"us-east-1\"]}")).isTrue();
    assertThat(require(p, "{\"region\":[\"us-east-1\",\"eu-west-1\"]}")).isFalse();
    assertThat(require(p, "{\"region\":[[\"us-east-1\"],[[\"eu-west-1\"]]]}")).isFalse();
    assertThat(require(p, "{\"region\":[]}")).as("an empty array holds no value").isFalse();
  }

  @Test
  void wrappingObjectsInArraysDoesNotHideTheirMembers() {
    String p = "{\"path\":\"args.bucket.name\",\"op\":\"neq\",\"value\":\"prod\"}";

    assertThat(require(p, "{\"bucket\":{\"name\":\"dev\"}}")).isTrue();
    assertThat(require(p, "{\"bucket\":[{\"name\":\"dev\"},{\"name\":\"prod\"}]}")).isFalse();
    assertThat(require(p, "{\"bucket\":[[{\"name\":\"dev\"}],[[{\"name\":\"prod\"}]]]}")).isFalse();
    assertThat(denies("{\"path\":\"args.bucket.name\",\"op\":\"eq\",\"value\":\"prod\"}",
        "{\"bucket\":[[{\"name\":\"dev\"}],[[{\"name\":\"prod\"}]]]}")).isTrue();
  }

  @Test
  void wrappingAStringInAnArrayDoesNotSlipPastContains() {
    // call_aws takes cli_command as a string or an array of strings
    String p = "{\"path\":\"args.cli_command\",\"op\":\"contains\",\"value\":\"delete\"}";

    assertThat(denies(p, "{\"cli_command\":\"aws s3api delete-bucket --bucket b\"}")).isTrue();
    assertThat(denies(p, "{\"cli_command\":[\"aws s3api delete-bucket --bucket b\"]}")).isTrue();
    assertThat(denies(p, "{\"cli_command\":[[\"aws s3api delete-bucket --bucket b\"]]}")).isTrue();
    assertThat(denies(p, "{\"cli_command\":[\"aws s3 ls\"]}")).isFalse();
  }

  @Test
  void wrappingInAnArrayNeverMakesAFailingContainsRequireHold() {
    String p = "{\"path\":\"args.tags\",\"op\":\"contains\",\"value\":\"prod\"}";

    assertThat(require(p, "{\"tags\":[\"nonprod\"]}")).isFalse();
    assertThat(require(p, "{\"tags\":[[\"prod\"]]}")).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      {"path":"args.a","op":"lt","value":10}             | {"a":"ten"}
      {"path":"args.a","op":"gte","value":10}            | {"a":true}
      {"path":"args.a","op":"gt","value":10}             | {"a":{"n":11}}
      {"path":"args.a","op":"lte","value":10}            | {"a":null}
      {"path":"args.a","op":"regex","value":".*"}        | {"a":{"x":1}}
      {"path":"args.a","op":"regex","value":".*"}        | {"a":null}
      {"path":"args.a","op":"contains","value":"x"}      | {"a":5}
      {"path":"args.a","op":"contains","value":"x"}      | {"a":{"x":1}}
      {"path":"args.a","op":"lt","value":10}             | {"a":[1,"ten"]}
      """)
  void valueOfTheWrongTypeRefusesUnderBoth(String predicate, String arguments) {
    assertThat(require(predicate, arguments)).as("require").isFalse();
    assertThat(denies(predicate, arguments)).as("deny_if").isTrue();
  }

  @Test
  void numericStringsCompareNumericallyNotAsText() {
    String p = "{\"path\":\"args.n\",\"op\":\"lt\",\"value\":9}";

    // as text "10" < "9"; as numbers it is not
    assertThat(require(p, "{\"n\":\"10\"}")).isFalse();
    assertThat(require(p, "{\"n\":\"8.5\"}")).isTrue();
    assertThat(require(p, "{\"n\":\"1e1\"}")).isFalse();
  }
}
