package io.github.mcppolicyproxy.integrity;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String MARKER = SecretText.MARKER;
  private final Redactor redactor = new Redactor();

  private static JsonNode resource(String name) throws IOException {
    try (InputStream in = RedactorTest.class.getClassLoader().getResourceAsStream(name)) {
      return JSON.readTree(in);
    }
  }

  /** A call_aws answer shaped like the recorded ones: the result list as text and as structuredContent. */
  private static byte[] callAwsAnswer(String command, String service, String operation, String asJson) {
    ArrayNode results = JSON.createArrayNode();
    ObjectNode entry = results.addObject().put("cli_command", command);
    ObjectNode response = entry.putObject("response");
    response.putNull("error");
    response.put("status_code", 200);
    response.putNull("error_code");
    response.putNull("pagination_token");
    response.put("as_json", asJson);
    entry.putObject("metadata").put("service", service).put("operation", operation)
        .put("region_name", "us-east-1");
    ObjectNode result = JSON.createObjectNode();
    result.putObject("_meta").putObject("fastmcp").put("wrap_result", true);
    result.putArray("content").addObject().put("type", "text").put("text", results.toString());
    result.putObject("structuredContent").set("result", results);
    result.put("isError", false);
    ObjectNode frame = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 7);
    frame.set("result", result);
    return frame.toString().getBytes(UTF_8);
  }

  private static String answer(String key) throws IOException {
    return resource("standin/credential-answers.json").get(key).asText();
  }

  @Test
  void stsAssumeRoleLosesSecretAndTokenEverywhereAndKeepsKeyIdArnAndExpiry() throws IOException {
    byte[] frame = callAwsAnswer("aws sts assume-role --role-arn arn:aws:iam::123456789012:role/demo"
        + " --role-session-name s", "sts", "AssumeRole", answer("sts:AssumeRole"));
    Redactor.Outcome o = redactor.redact(frame);
    String out = new String(o.frame(), UTF_8);
    assertThat(out).doesNotContain(SECRET).doesNotContain("IQoJb3JpZ2lu");
    JsonNode root = JSON.readTree(o.frame());
    JsonNode fromText = JSON.readTree(root.at("/result/content/0/text").asText());
    for (JsonNode list : List.of(fromText, root.at("/result/structuredContent/result"))) {
      JsonNode creds = JSON.readTree(list.at("/0/response/as_json").asText()).get("Credentials");
      assertThat(creds.get("SecretAccessKey").asText()).isEqualTo(MARKER);
      assertThat(creds.get("SessionToken").asText()).isEqualTo(MARKER);
      assertThat(creds.get("AccessKeyId").asText()).isEqualTo("ASIAIOSFODNN7EXAMPLE");
      assertThat(creds.get("Expiration").asText()).isEqualTo("2026-12-02T08:00:00+00:00");
    }
    assertThat(out).contains("arn:aws:sts::123456789012:assumed-role/demo/session");
    assertThat(o.redactions()).extracting(Redactor.Redaction::path).contains(
        "/result/structuredContent/result/0/response/as_json!/Credentials/SecretAccessKey",
        "/result/structuredContent/result/0/response/as_json!/Credentials/SessionToken",
        "/result/content/0/text!/0/response/as_json!/Credentials/SecretAccessKey");
    assertThat(o.redactions()).hasSize(4);
    assertThat(o.frame()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":7,".getBytes(UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sts:GetSessionToken", "iam:CreateAccessKey", "ecr:GetAuthorizationToken",
      "ecr:GetLoginPassword"})
  void everyCredentialMintingAnswerShapeLosesItsSecret(String key) throws IOException {
    String asJson = answer(key);
    String[] op = key.split(":");
    byte[] frame = callAwsAnswer("aws " + op[0] + " x", op[0], op[1], asJson);
    Redactor.Outcome o = redactor.redact(frame);
    String out = new String(o.frame(), UTF_8);
    assertThat(o.changed()).isTrue();
    for (String secret : List.of(SECRET, "IQoJb3JpZ2lu", "eyJwYXlsb2Fk", "QVdTOmV5SndZWGxz")) {
      assertThat(out).doesNotContain(secret);
    }
    assertThat(out).contains(MARKER);
    if (key.equals("iam:CreateAccessKey")) {
      assertThat(out).contains("AKIAIOSFODNN7EXAMPLE").contains("2026-12-02T07:00:00+00:00");
    }
    if (key.equals("ecr:GetAuthorizationToken")) {
      assertThat(out).contains("https://123456789012.dkr.ecr.us-east-1.amazonaws.com");
    }
  }

  /**
   * An sts answer in the real upstream's envelope. The recordings ({@code standin/calls.json}, the
   * frames awslabs.aws-api-mcp-server 1.5.1 wrote) hold no credential-minting call, only
   * {@code sts get-caller-identity}: minting cannot be recorded without real credentials. So this
   * keeps that recorded answer whole, which is how the server wraps a CLI result: the result list
   * as compact JSON in {@code content[0].text} and again as {@code structuredContent.result}, with
   * {@code service_full_name}, {@code validation_failures}, {@code missing_context_failures},
   * {@code failed_constraints}, FastMCP's {@code _meta}, and {@code as_json} holding botocore's
   * response as the server's {@code as_json} helper writes it ({@code json.dumps}: ", " and ": ",
   * datetimes in ISO form). Only the {@code as_json} body (in both places), the command and the
   * operation's name are swapped, for the sts output shape that botocore's model defines for the
   * operation ({@code standin/credential-answers.json}, with invented values).
   */
  @ParameterizedTest
  @ValueSource(strings = {"sts:AssumeRole", "sts:GetSessionToken"})
  void stsCredentialsInTheRecordedUpstreamEnvelopeLoseOnlyTheirSecretBytes(String key)
      throws IOException {
    JsonNode recorded = null;
    for (JsonNode ex : resource("standin/calls.json").get("examples")) {
      if (ex.get("title").asText().contains("(sts get-caller-identity)")) {
        recorded = ex.get("exchange").get(1).get("message");
      }
    }
    assertThat(recorded).isNotNull();
    ObjectNode frame = (ObjectNode) recorded.deepCopy();
    String operation = key.substring(4);
    String command = operation.equals("AssumeRole")
        ? "aws sts assume-role --role-arn arn:aws:iam::123456789012:role/demo --role-session-name s"
        : "aws sts get-session-token";
    ObjectNode entry = (ObjectNode) frame.at("/result/structuredContent/result/0");
    String oldBody = entry.at("/response/as_json").asText();
    String newBody = answer(key);
    String oldCommand = entry.get("cli_command").asText();
    String text = frame.at("/result/content/0/text").asText();
    assertThat(text).contains(JSON.writeValueAsString(oldBody), "\"operation\":\"GetCallerIdentity\"");
    ((ObjectNode) entry.get("response")).put("as_json", newBody);
    ((ObjectNode) entry.get("metadata")).put("operation", operation);
    entry.put("cli_command", command);
    ((ObjectNode) frame.at("/result/content/0")).put("text", text
        .replace(JSON.writeValueAsString(oldBody), JSON.writeValueAsString(newBody))
        .replace("\"operation\":\"GetCallerIdentity\"", "\"operation\":\"" + operation + "\"")
        .replace(oldCommand, command));
    assertThat(JSON.readTree(frame.at("/result/content/0/text").asText()))
        .as("the text and structuredContent still say the same, as the server's do")
        .isEqualTo(frame.at("/result/structuredContent/result"));
    byte[] in = JSON.writeValueAsBytes(frame);
    JsonNode creds = JSON.readTree(newBody).get("Credentials");
    String token = creds.get("SessionToken").asText();

    Redactor.Outcome o = redactor.redact(in);

    assertThat(new String(o.frame(), UTF_8)).isEqualTo(new String(in, UTF_8)
        .replace(SECRET, MARKER).replace(token, MARKER));
    assertThat(o.redactions()).extracting(Redactor.Redaction::path).containsExactlyInAnyOrder(
        "/result/content/0/text!/0/response/as_json!/Credentials/SecretAccessKey",
        "/result/content/0/text!/0/response/as_json!/Credentials/SessionToken",
        "/result/structuredContent/result/0/response/as_json!/Credentials/SecretAccessKey",
        "/result/structuredContent/result/0/response/as_json!/Credentials/SessionToken");
    assertThat(new String(o.frame(), UTF_8)).contains(creds.get("AccessKeyId").asText(),
        creds.get("Expiration").asText(), "AWS Security Token Service", "failed_constraints");
  }

  @Test
  void everyRecordedUpstreamFramePassesAsTheSameArray() throws IOException {
    JsonNode examples = resource("standin/calls.json").get("examples");
    int seen = 0;
    for (JsonNode ex : examples) {
      for (JsonNode f : ex.get("exchange")) {
        if (f.get("dir").asText().equals("server->client")) {
          byte[] frame = JSON.writeValueAsBytes(f.get("message"));
          assertThat(redactor.redact(frame).frame()).isSameAs(frame);
          seen++;
        }
      }
    }
    assertThat(seen).isGreaterThan(20);
  }

  @Test
  void onlyTheSecretValueBytesChangeAndEveryOtherByteStays() {
    String frame = "{ \"jsonrpc\" : \"2.0\", \"id\" : 1.10, \"x-vendor\" : {\"SecretAccessKey\": \"s\"},"
        + " \"result\" : { \"n\" : 1e400 ,\"SecretAccessKey\" :  \"" + SECRET + "\" , \"k\":[ 1 ] } }";
    Redactor.Outcome o = redactor.redact(frame.getBytes(UTF_8));
    assertThat(new String(o.frame(), UTF_8)).isEqualTo(frame.replace("\"" + SECRET + "\"",
        "\"" + MARKER + "\""));
    assertThat(o.redactions()).containsExactly(
        new Redactor.Redaction("/result/SecretAccessKey", "secret_field"));
  }

  @Test
  void namesAndValuesSpelledWithJsonEscapesAreStillFound() {
    String escapedSecret = SECRET.chars().mapToObj(c -> String.format("\\u%04x", c))
        .reduce("", String::concat);
    String frame = "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"structuredContent\":{"
        + "\"\\u0053ecret\\u0041ccess\\u004bey\":\"x\\u0079z\","
        + "\"note\":\"aws_\\u0073ecret_access_key = " + escapedSecret + "\","
        + "\"ids\":\"\\u0041KIAIOSFODNN7EXAMPLE " + escapedSecret + "\"}}}";
    Redactor.Outcome o = redactor.redact(frame.getBytes(UTF_8));
    String out = new String(o.frame(), UTF_8);
    assertThat(out).doesNotContain("xyz").doesNotContain("x\\u0079z").doesNotContain(escapedSecret)
        .doesNotContain(SECRET);
    assertThat(out).contains("AKIAIOSFODNN7EXAMPLE");
    assertThat(o.redactions()).extracting(Redactor.Redaction::kind)
        .containsExactly("secret_field", "secret_assignment", "aws_secret_access_key");
  }

  @Test
  void secretsInNestedArraysAndInJsonInsideTextAreFound() throws IOException {
    String inner = JSON.writeValueAsString(JSON.readTree(
        "{\"deep\":[[[{\"aws_session_token\":\"tok\"}]]],\"Password\":12345}"));
    ObjectNode frame = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", "a");
    ObjectNode result = frame.putObject("result");
    result.putArray("content").addObject().put("type", "text").put("text", inner);
    result.putArray("nested").addArray().addArray().addObject().put("SessionToken", "tok2");
    Redactor.Outcome o = redactor.redact(frame.toString().getBytes(UTF_8));
    JsonNode out = JSON.readTree(o.frame());
    JsonNode text = JSON.readTree(out.at("/result/content/0/text").asText());
    assertThat(text.at("/deep/0/0/0/aws_session_token").asText()).isEqualTo(MARKER);
    assertThat(text.get("Password").asText()).isEqualTo(MARKER);
    assertThat(out.at("/result/nested/0/0/0/SessionToken").asText()).isEqualTo(MARKER);
    assertThat(o.redactions()).extracting(Redactor.Redaction::path).containsExactly(
        "/result/content/0/text!/deep/0/0/0/aws_session_token",
        "/result/content/0/text!/Password", "/result/nested/0/0/0/SessionToken");
  }

  @Test
  void textOutputsCredentialsFilesAndPemBlocksAreRedacted() throws IOException {
    String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7x\nabc==\n-----END RSA PRIVATE KEY-----";
    String text = "CREDENTIALS\tASIAIOSFODNN7EXAMPLE\t2026-12-02T08:00:00+00:00\t" + SECRET + "\t"
        + "IQoJb3JpZ2luX2VjEHcaCXVzLWVhc3QtMSJGMEQCIHF3bG9nZXhhbXBsZXRva2VuZm9ydGVzdHMCIAjGm9U0Yp2\n"
        + "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key=" + SECRET + "\n"
        + "db password: hunter2\n" + pem + "\nkept: 0123456789abcdef0123456789abcdef01234567";
    ObjectNode frame = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 3);
    frame.putObject("result").putArray("content").addObject().put("type", "text").put("text", text);
    Redactor.Outcome o = redactor.redact(frame.toString().getBytes(UTF_8));
    String out = JSON.readTree(o.frame()).at("/result/content/0/text").asText();
    assertThat(out).doesNotContain(SECRET).doesNotContain("IQoJ").doesNotContain("hunter2")
        .doesNotContain("MIIEpAIBAAKCAQEA7x").doesNotContain("PRIVATE KEY");
    assertThat(out).contains("ASIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE",
        "2026-12-02T08:00:00+00:00", "0123456789abcdef0123456789abcdef01234567");
    assertThat(o.redactions()).extracting(Redactor.Redaction::kind).contains("pem_private_key",
        "aws_session_token", "secret_assignment", "aws_secret_access_key");
  }

  @Test
  void aFortyCharacterStringWithoutAnAccessKeyIdIsNotTakenForASecret() {
    String frame = "{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{\"etag\":\"" + SECRET + "\"}}";
    assertThat(redactor.redact(frame.getBytes(UTF_8)).changed()).isFalse();
  }

  @Test
  void aTaskStatusNotificationLosesTheSecretsOfTheResultItCarries() {
    String frame = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tasks\",\"params\":{\"taskId\":"
        + "\"t\",\"status\":\"completed\",\"result\":{\"structuredContent\":{\"SecretAccessKey\":\""
        + SECRET + "\"}}}}";
    Redactor.Outcome o = redactor.redactParams(frame.getBytes(UTF_8));
    assertThat(new String(o.frame(), UTF_8)).doesNotContain(SECRET).contains(MARKER)
        .contains("\"taskId\":\"t\"");
    assertThat(o.redactions()).extracting(Redactor.Redaction::path)
        .containsExactly("/params/result/structuredContent/SecretAccessKey");
  }

  @Test
  void requestsAndNotificationsAreLeftAloneOutsideResultAndError() {
    String frame = "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"password\":\"p\"}}";
    byte[] b = frame.getBytes(UTF_8);
    assertThat(redactor.redact(b).frame()).isSameAs(b);
    String error = "{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":1,\"message\":\"m\","
        + "\"data\":{\"password\":\"p\"}}}";
    assertThat(new String(redactor.redact(error.getBytes(UTF_8)).frame(), UTF_8))
        .contains("\"password\":\"" + MARKER + "\"");
  }

  @Test
  void everyDetectionImpliesATrigger() {
    List<String> samples = new ArrayList<>(List.of("SecretAccessKey", "aws_secret_access_key",
        "Session-Token", "securityToken", "MasterUserPassword", "passwd", "authorizationToken",
        "privateKey", "clientSecret", "secretKey"));
    for (String name : samples) {
      assertThat(SecretText.isSecretName(name)).as(name).isTrue();
      assertThat(Triggers.in(name)).as(name).isTrue();
      assertThat(Triggers.in(name.getBytes(UTF_8), 0, name.length())).as(name).isTrue();
    }
    assertThat(Triggers.in("pagination_token next_token Asia Pacific")).isFalse();
  }
}
