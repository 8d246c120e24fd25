package io.github.mcppolicyproxy.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiskClassifierTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RiskClassifier classifier = new RiskClassifier();

  private Risk risk(String tool) throws Exception {
    return classifier.classify(JSON.readTree(tool)).risk();
  }

  @Test
  void annotationsDecideWhenTheySayEnough() throws Exception {
    assertThat(risk("{\"name\":\"delete_all\",\"annotations\":{\"readOnlyHint\":true}}"))
        .isEqualTo(Risk.READ);
    assertThat(risk("{\"name\":\"get_thing\",\"annotations\":{\"destructiveHint\":true}}"))
        .isEqualTo(Risk.DESTRUCTIVE);
    assertThat(risk("{\"name\":\"frobnicate\",\"annotations\":{\"destructiveHint\":false,"
        + "\"idempotentHint\":true}}")).isEqualTo(Risk.WRITE);
    assertThat(risk("{\"name\":\"run_query\",\"annotations\":{\"destructiveHint\":false}}"))
        .isEqualTo(Risk.EXECUTE);
  }

  private String why(String tool) throws Exception {
    return classifier.classify(JSON.readTree(tool)).why();
  }

  @Test
  void openWorldHintMakesAWriteAnExecuteAndNothingElse() throws Exception {
    assertThat(risk("{\"name\":\"frobnicate\",\"annotations\":{\"destructiveHint\":false,"
        + "\"openWorldHint\":true}}")).isEqualTo(Risk.EXECUTE);
    assertThat(risk("{\"name\":\"frobnicate\",\"annotations\":{\"destructiveHint\":false,"
        + "\"openWorldHint\":false}}")).isEqualTo(Risk.WRITE);
    assertThat(risk("{\"name\":\"send_message\",\"annotations\":{\"openWorldHint\":true}}"))
        .as("a write by its name").isEqualTo(Risk.EXECUTE);
    assertThat(risk("{\"name\":\"send_message\"}")).as("the spec's default is not a hint given")
        .isEqualTo(Risk.WRITE);
    assertThat(risk("{\"name\":\"frobnicate\",\"annotations\":{\"openWorldHint\":true}}"))
        .isEqualTo(Risk.EXECUTE);
    assertThat(risk("{\"name\":\"fetch\",\"annotations\":{\"readOnlyHint\":true,"
        + "\"openWorldHint\":true}}")).as("a read stays a read").isEqualTo(Risk.READ);
    assertThat(risk("{\"name\":\"listThings\",\"annotations\":{\"openWorldHint\":true}}"))
        .isEqualTo(Risk.READ);
    assertThat(risk("{\"name\":\"drop\",\"annotations\":{\"destructiveHint\":true,"
        + "\"openWorldHint\":false}}")).isEqualTo(Risk.DESTRUCTIVE);
  }

  @Test
  void idempotentAndOpenWorldHintsAreNamedInTheReasonWheneverGiven() throws Exception {
    assertThat(why("{\"name\":\"fetch\",\"annotations\":{\"readOnlyHint\":true,"
        + "\"openWorldHint\":true}}")).isEqualTo("annotations: readOnlyHint, open world (reaches"
        + " outside systems)");
    assertThat(why("{\"name\":\"drop\",\"annotations\":{\"destructiveHint\":true,"
        + "\"idempotentHint\":true,\"openWorldHint\":false}}"))
        .isEqualTo("annotations: destructiveHint, idempotent, closed world");
    assertThat(why("{\"name\":\"set_x\",\"annotations\":{\"destructiveHint\":false,"
        + "\"openWorldHint\":true}}")).contains("open world").contains("limited as an execute");
    assertThat(why("{\"name\":\"set_x\"}")).doesNotContain("world").doesNotContain("idempotent");
  }

  @Test
  void withoutDecisiveAnnotationsTheStrongestVerbInTheNameDecides() throws Exception {
    assertThat(risk("{\"name\":\"listBuckets\"}")).isEqualTo(Risk.READ);
    assertThat(risk("{\"name\":\"create-issue\"}")).isEqualTo(Risk.WRITE);
    assertThat(risk("{\"name\":\"aws___run_script\"}")).isEqualTo(Risk.EXECUTE);
    assertThat(risk("{\"name\":\"get_or_delete_file\",\"annotations\":{\"openWorldHint\":true}}"))
        .isEqualTo(Risk.DESTRUCTIVE);
    assertThat(risk("{\"name\":\"frobnicate\"}")).as("unknown: a write").isEqualTo(Risk.WRITE);
  }

  @Test
  void namesSplitIntoWordsAcrossCaseAndSeparators() {
    assertThat(RiskClassifier.words("StartAHOReadSetExportJob"))
        .containsExactly("start", "aho", "read", "set", "export", "job");
    assertThat(RiskClassifier.words("aws___call_aws")).containsExactly("aws", "call", "aws");
  }

  @Test
  void theStarterPolicyGroupsByRiskAndGivesEachItsRule() throws Exception {
    List<JsonNode> tools = List.of(JSON.readTree("{\"name\":\"read_file\"}"),
        JSON.readTree("{\"name\":\"delete_file\"}"), JSON.readTree("{\"name\":\"run\"}"),
        JSON.readTree("{\"name\":\"call_aws\",\"annotations\":{\"destructiveHint\":true}}"));
    JsonNode guarded = JSON.readTree("{\"tools\":{\"call_aws\":{\"limits\":[{\"counter\":\"c\","
        + "\"window\":\"minute\",\"max\":60}]}},\"operations\":{\"*:Delete*\":{\"action\":\"deny\"}}}");
    JsonNode p = new StarterPolicy(JSON, classifier).build(tools, "srv", guarded);
    assertThat(p.path("default").asText()).isEqualTo("deny");
    List<String> order = new java.util.ArrayList<>();
    p.path("tools").fieldNames().forEachRemaining(order::add);
    assertThat(order).containsExactly("delete_file", "call_aws", "run", "read_file");
    assertThat(p.path("tools").path("delete_file").path("action").asText()).isEqualTo("deny");
    assertThat(p.path("tools").path("delete_file").path("reason").asText()).contains("destructive");
    assertThat(p.path("tools").path("run").path("limits").get(0).path("max").asInt())
        .isEqualTo(StarterPolicy.EXECUTE_PER_MINUTE);
    assertThat(p.path("tools").path("call_aws").path("limits").get(0).path("max").asInt())
        .isEqualTo(60);
    assertThat(p.path("tools").path("read_file").has("action")).isFalse();
    assertThat(p.path("operations").has("*:Delete*")).isTrue();
    assertThat(new StarterPolicy(JSON, classifier).build(tools.subList(0, 3), "srv", guarded)
        .has("operations")).as("only for call_aws").isFalse();
  }
}
