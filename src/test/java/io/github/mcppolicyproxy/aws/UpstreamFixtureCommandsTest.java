package io.github.mcppolicyproxy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code cli_command} the real awslabs.aws-api-mcp-server was recorded answering
 * (src/test/resources/aws/upstream-call-aws-commands.json, copied from the shared fixtures): where the
 * server ran the command, the operation and region it reported are ground truth.
 */
class UpstreamFixtureCommandsTest {

  static Stream<Arguments> recordedCommands() throws IOException {
    JsonNode root;
    try (InputStream in = UpstreamFixtureCommandsTest.class.getClassLoader()
        .getResourceAsStream("aws/upstream-call-aws-commands.json")) {
      root = new ObjectMapper().readTree(in);
    }
    return StreamSupport.stream(root.get("commands").spliterator(), false)
        .map(node -> Arguments.of(node.get("cli_command").asText(), node));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedCommands")
  void recordedCommandParsesToTheOperationAndRegionTheServerReported(String command, JsonNode fixture) {
    Map<String, String> env = new HashMap<>();
    fixture.get("server_env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    AwsParseResult result = new AwsCliParser(AwsDefaults.fromEnvironment(env)).parse(command);

    if (command.contains("|")) {
      // The server passes "| grep foo" to its argument parser as words and refuses them there;
      // the proxy refuses the shell operator itself.
      assertThat(result).isInstanceOf(AwsParseResult.Unparseable.class);
      return;
    }
    JsonNode metadata = fixture.get("metadata");
    if (metadata == null || metadata.isNull()) {
      // The server refused the command itself (an unknown operation or option) or ran nothing:
      // the proxy may refuse it too, but what it parses must still be a real operation.
      if (result instanceof AwsParseResult.Parsed p) {
        assertThat(p.command().operationKeys()).isNotEmpty();
      }
      return;
    }
    assertThat(result).isInstanceOf(AwsParseResult.Parsed.class);
    AwsCommand parsed = ((AwsParseResult.Parsed) result).command();
    {
      // metadata.service is botocore's service name; for these services it equals the IAM prefix.
      assertThat(parsed.operationKeys())
          .containsExactly(metadata.get("service").asText() + ":" + metadata.get("operation").asText());
      assertThat(parsed.region()).contains(metadata.get("region_name").asText());
    }
  }
}
