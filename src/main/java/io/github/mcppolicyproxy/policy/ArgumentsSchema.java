package io.github.mcppolicyproxy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Objects;

/**
 * A tool entry's {@code arguments_schema}: a JSON Schema (draft 2020-12 unless it says otherwise
 * with {@code $schema}) that a call's arguments must satisfy, checked with networknt's
 * json-schema-validator.
 *
 * @param pointer JSON Pointer of the schema in the policy file
 */
public record ArgumentsSchema(String pointer, Schema schema) {
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  public ArgumentsSchema {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(schema, "schema");
  }

  /**
   * Compiles {@code node}.
   *
   * @throws RuntimeException (networknt's) when it is not a usable schema
   */
  public static ArgumentsSchema compile(String pointer, JsonNode node) {
    return new ArgumentsSchema(pointer, REGISTRY.getSchema(node));
  }

  /** The validator's messages for {@code arguments}; empty when they conform. */
  public List<String> violations(JsonNode arguments) {
    List<Error> errors = schema.validate(arguments);
    return errors.stream().map(Error::toString).toList();
  }
}
