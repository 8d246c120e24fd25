package io.github.mcppolicyproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArgumentsSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Policy load(String json) throws PolicyException {
    return new PolicyLoader().parse("p.json", json.getBytes(StandardCharsets.UTF_8));
  }

  private static final String POLICY = """
      {"version":"1","default":"deny","tools":{"StartAHOReadSetExportJob":{
        "arguments_schema":{
          "type":"object",
          "required":["sequence_store_id","destination_s3_uri"],
          "properties":{
            "sequence_store_id":{"type":"string","pattern":"^[0-9]{10}$"},
            "destination_s3_uri":{"type":"string","pattern":"^s3://genomics-exports/"},
            "read_set_ids":{"type":"array","maxItems":5}
          }
        }}}}
      """;

  @Test
  void argumentsThatMatchTheSchemaAreAllowed() throws Exception {
    PolicyEngine engine = new PolicyEngine(load(POLICY), CommandInspector.NONE);
    Verdict v = engine.decide(new ToolCall("StartAHOReadSetExportJob", JSON.readTree(
        "{\"sequence_store_id\":\"1234567890\",\"destination_s3_uri\":\"s3://genomics-exports/a/\"}")));
    assertThat(v).isInstanceOf(Verdict.Allow.class);
  }

  @Test
  void argumentsThatBreakTheSchemaAreRefusedWithTheValidatorsMessage() throws Exception {
    PolicyEngine engine = new PolicyEngine(load(POLICY), CommandInspector.NONE);
    Verdict v = engine.decide(new ToolCall("StartAHOReadSetExportJob", JSON.readTree(
        "{\"sequence_store_id\":\"12\",\"destination_s3_uri\":\"s3://elsewhere/\","
            + "\"read_set_ids\":[1,2,3,4,5,6]}")));
    assertThat(v).isInstanceOf(Verdict.Refuse.class);
    Refusal r = ((Verdict.Refuse) v).refusal();
    assertThat(r.code()).isEqualTo(Code.INVALID_ARGUMENTS);
    assertThat(r.rule()).isEqualTo("/tools/StartAHOReadSetExportJob/arguments_schema");
    assertThat(r.reason()).contains("sequence_store_id").contains("destination_s3_uri")
        .contains("read_set_ids");
  }

  @Test
  void aSchemaOnAnOperationOrOfTheWrongTypeIsALoadError() {
    assertThatThrownBy(() -> load("{\"version\":\"1\",\"default\":\"deny\",\"operations\":{"
        + "\"s3:Get*\":{\"arguments_schema\":{}}}}"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("/operations/s3:Get*/arguments_schema")
        .hasMessageContaining("tools only");
    assertThatThrownBy(() -> load("{\"version\":\"1\",\"default\":\"deny\",\"tools\":{"
        + "\"t\":{\"arguments_schema\":true}}}"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("/tools/t/arguments_schema: must be a JSON Schema object");
  }
}
