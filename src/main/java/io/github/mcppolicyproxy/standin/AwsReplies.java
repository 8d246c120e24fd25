package io.github.mcppolicyproxy.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds frames shaped exactly like the recorded ones (field order included) for calls that were
 * not recorded: {@code call_aws} results, {@code notifications/message}, consent elicitations and
 * FastMCP/pydantic tool errors.
 */
final class AwsReplies {

  static final String DENIED = "Execution of this operation is denied by security policy.";
  static final String REJECTED = "User rejected the execution of the command.";
  static final String NO_ELICITATION =
      "Client does not support elicitation. Use a different client or update the server configuration.";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AwsReplies() {}

  /** A {@code call_aws} result: the array as JSON text and as {@code structuredContent.result}. */
  static ObjectNode wrapped(ArrayNode results) {
    ObjectNode result = NODES.objectNode();
    result.putObject("_meta").putObject("fastmcp").put("wrap_result", true);
    result.putArray("content").addObject().put("type", "text").put("text", results.toString());
    result.putObject("structuredContent").set("result", results);
    result.put("isError", false);
    return result;
  }

  /** A successful command's entry, {@code as_json} "{}" unless given. */
  static ObjectNode success(String command, CliOperation operation, String asJson) {
    ObjectNode entry = NODES.objectNode().put("cli_command", command);
    ObjectNode response = entry.putObject("response");
    response.putNull("error");
    response.put("status_code", 200);
    response.putNull("error_code");
    response.putNull("pagination_token");
    response.put("as_json", asJson);
    ObjectNode metadata = entry.putObject("metadata");
    metadata.put("service", operation.service());
    metadata.put("service_full_name", operation.serviceFullName());
    metadata.put("operation", operation.operation());
    metadata.put("region_name", operation.region());
    entry.putNull("validation_failures");
    entry.putNull("missing_context_failures");
    entry.putArray("failed_constraints");
    return entry;
  }

  /** A refused or invalid command's entry. */
  static ObjectNode failure(String command, String error) {
    return NODES.objectNode().put("cli_command", command).put("error", error);
  }

  /** The server's validation message for a command it cannot parse (reason text invented). */
  static String invalidCommand(String command) {
    ObjectNode failure = NODES.objectNode();
    failure.put("reason", "The command '" + command
        + "' is not a valid AWS CLI command: expected 'aws <service> <operation> [parameters]'.");
    ObjectNode context = failure.putObject("context");
    for (String name : List.of("service", "operation", "operators", "region", "args", "parameters")) {
      context.putNull(name);
    }
    ObjectNode body = NODES.objectNode();
    body.putArray("validation_failures").add(failure);
    body.putNull("missing_context_failures");
    return "Error while validating the command: " + body;
  }

  /** {@code notifications/message} at level error, as FastMCP sends it. */
  static ObjectNode logError(String message) {
    ObjectNode frame = NODES.objectNode().put("method", "notifications/message");
    ObjectNode data = frame.putObject("params").put("level", "error").putObject("data");
    data.put("msg", message);
    data.putNull("extra");
    frame.put("jsonrpc", "2.0");
    return frame;
  }

  /** The consent request of {@code REQUIRE_MUTATION_CONSENT=true}, without its id. */
  static ObjectNode consentRequest(String command) {
    ObjectNode frame = NODES.objectNode().put("method", "elicitation/create");
    ObjectNode params = frame.putObject("params").put("mode", "form");
    params.put("message", "The CLI command '" + command
        + "' requires explicit consent. Do you approve the execution of this command?");
    ObjectNode schema = params.putObject("requestedSchema");
    schema.put("description", "Represents the consent of the user for executing a particular command.");
    schema.putObject("properties").putObject("answer").put("title", "Answer").put("type", "boolean");
    schema.putArray("required").add("answer");
    schema.put("title", "Consent");
    schema.put("type", "object");
    frame.put("jsonrpc", "2.0");
    return frame;
  }

  /** How a client answered an elicitation: "accept" (with answer true), "decline" or "error". */
  static String consentOutcome(JsonNode response) {
    if (response == null || response.has("error")) {
      return "error";
    }
    JsonNode result = response.path("result");
    boolean accepted = result.path("action").asText().equals("accept")
        && result.path("content").path("answer").asBoolean(false);
    return accepted ? "accept" : "decline";
  }

  /** A tool-level failure: FastMCP's {@code isError: true} result with only a text. */
  static ObjectNode toolError(String text) {
    ObjectNode result = NODES.objectNode();
    result.putArray("content").addObject().put("type", "text").put("text", text);
    result.put("isError", true);
    return result;
  }

  /** A tool's dict result: compact JSON text plus {@code structuredContent}. */
  static ObjectNode dictResult(ObjectNode value) {
    ObjectNode result = NODES.objectNode();
    result.putArray("content").addObject().put("type", "text").put("text", value.toString());
    result.set("structuredContent", value);
    result.put("isError", false);
    return result;
  }

  /** pydantic's "N validation error(s) for call[tool]" text for the given field errors. */
  static String validationErrors(String tool, Map<String, String[]> errors) {
    StringBuilder text = new StringBuilder();
    text.append(errors.size()).append(errors.size() == 1 ? " validation error" : " validation errors")
        .append(" for call[").append(tool).append("]");
    for (Map.Entry<String, String[]> error : errors.entrySet()) {
      String[] detail = error.getValue(); // message, type, input_value, input_type
      text.append('\n').append(error.getKey()).append("\n  ").append(detail[0])
          .append(" [type=").append(detail[1]).append(", input_value=").append(detail[2])
          .append(", input_type=").append(detail[3]).append("]\n    For further information visit https://errors.pydantic.dev/2.13/v/")
          .append(detail[1]);
    }
    return text.toString();
  }

  /** Python's repr of a JSON value, as pydantic prints {@code input_value}. */
  static String pythonRepr(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "None";
    }
    if (value.isTextual()) {
      return "'" + value.asText().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
    if (value.isBoolean()) {
      return value.asBoolean() ? "True" : "False";
    }
    if (value.isArray()) {
      StringBuilder out = new StringBuilder("[");
      for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
        out.append(pythonRepr(it.next())).append(it.hasNext() ? ", " : "");
      }
      return out.append(']').toString();
    }
    if (value.isObject()) {
      StringBuilder out = new StringBuilder("{");
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        out.append('\'').append(field.getKey()).append("': ").append(pythonRepr(field.getValue()))
            .append(it.hasNext() ? ", " : "");
      }
      return out.append('}').toString();
    }
    return value.toString();
  }

  /** Python's type name of a JSON value, as pydantic prints {@code input_type}. */
  static String pythonType(JsonNode value) {
    if (value == null || value.isNull()) {
      return "NoneType";
    }
    if (value.isTextual()) {
      return "str";
    }
    if (value.isBoolean()) {
      return "bool";
    }
    if (value.isIntegralNumber()) {
      return "int";
    }
    if (value.isNumber()) {
      return "float";
    }
    return value.isArray() ? "list" : "dict";
  }
}
