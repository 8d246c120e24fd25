package io.github.mcppolicyproxy.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * What a person is asked about a call, on every channel: the call exactly as it would run, the
 * rule that asks, and a form with one required boolean, {@code approve}. Only an answer of
 * {@code action: "accept"} with {@code approve: true} (a JSON boolean) approves.
 */
public final class ApprovalForm {
  private static final int MAX_ARGUMENTS_CHARS = 4000;

  private ApprovalForm() {}

  /** The question text for {@code what} (tool and AWS operations) with {@code arguments}. */
  public static String question(ObjectMapper mapper, String what, JsonNode arguments, String rule,
      int timeoutSeconds) {
    String args;
    try {
      args = mapper.writeValueAsString(arguments);
    } catch (IOException e) {
      args = String.valueOf(arguments);
    }
    if (args.length() > MAX_ARGUMENTS_CHARS) {
      args = args.substring(0, MAX_ARGUMENTS_CHARS) + "... (" + args.length() + " characters)";
    }
    return "An AI agent wants to run " + what + " with these arguments:\n" + args
        + "\n\nThe policy (" + rule + ") needs a person's approval for it. Approve this"
        + " one call? (It is refused if you do not answer within " + timeoutSeconds + " s.)";
  }

  /** The form's JSON Schema: one required boolean {@code approve}. */
  public static ObjectNode schema(ObjectMapper mapper) {
    ObjectNode schema = mapper.createObjectNode();
    schema.put("type", "object");
    schema.putObject("properties").putObject("approve").put("type", "boolean")
        .put("title", "Approve this call")
        .put("description", "Allow the agent to run exactly this call once");
    schema.putArray("required").add("approve");
    return schema;
  }

  /** True only for {@code {"action":"accept","content":{"approve":true}}} (a JSON boolean). */
  public static boolean approves(JsonNode elicitResult) {
    return elicitResult != null && "accept".equals(elicitResult.path("action").asText(null))
        && elicitResult.path("content").path("approve").isBoolean()
        && elicitResult.path("content").path("approve").booleanValue();
  }
}
