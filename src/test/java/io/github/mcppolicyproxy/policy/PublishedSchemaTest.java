package io.github.mcppolicyproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/policy.schema.json, the published schema, agrees with the loader on the shipped policies. */
class PublishedSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Schema schema() throws IOException {
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(JSON.readTree(Path.of("docs/policy.schema.json").toFile()));
  }

  @Test
  void everyShippedPolicyConformsToThePublishedSchemaAndLoads() throws Exception {
    Schema schema = schema();
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("config"))) {
      files = s.filter(p -> p.toString().endsWith(".json")).toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(5);
    for (Path f : files) {
      assertThat(schema.validate(JSON.readTree(f.toFile()))).as(f.toString()).isEmpty();
      new PolicyLoader().load(f);
    }
  }

  @Test
  void thePublishedSchemaRejectsWhatTheLoaderRejects() throws Exception {
    Schema schema = schema();
    for (String bad : List.of(
        "{\"version\":\"1\",\"default\":\"deny\",\"extra\":1}",
        "{\"version\":\"2\",\"default\":\"deny\"}",
        "{\"version\":\"1\",\"default\":\"maybe\"}",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"limits\":[{\"window\":\"fortnight\",\"max\":1}]}}}",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"require\":[{\"path\":\"args.x\",\"op\":\"in\",\"value\":1}]}}}",
        "{\"version\":\"1\",\"default\":\"deny\",\"operations\":{\"not an op\":{}}}",
        "{\"version\":\"1\",\"default\":\"deny\",\"aws_cli_tools\":[\"a*\"]}",
        "{\"version\":\"1\",\"default\":\"deny\",\"aws_cli_tools\":[\"a\",\"a\"]}")) {
      assertThat(schema.validate(JSON.readTree(bad))).as(bad).isNotEmpty();
    }
  }
}
