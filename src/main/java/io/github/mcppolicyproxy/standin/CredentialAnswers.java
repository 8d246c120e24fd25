package io.github.mcppolicyproxy.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code as_json} of credential-minting commands ({@code sts assume-role},
 * {@code sts get-session-token}, {@code iam create-access-key}, {@code ecr get-authorization-token},
 * {@code ecr get-login-password}), shaped by botocore's output shapes with invented values, so that
 * tests see secrets where the real server would put them. Every other command answers {@code {}}.
 */
final class CredentialAnswers {
  private static final JsonNode ANSWERS =
      Recordings.Resources.json(new ObjectMapper(), "standin/credential-answers.json");

  private CredentialAnswers() {}

  /** The {@code as_json} text for a successful {@code operation}. */
  static String asJson(CliOperation operation) {
    JsonNode a = ANSWERS.get(operation.service() + ":" + operation.operation());
    return a == null ? "{}" : a.asText();
  }
}
