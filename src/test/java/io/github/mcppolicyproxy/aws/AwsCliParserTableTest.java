package io.github.mcppolicyproxy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Real CLI commands against what the CLI runs for them, from the tables in src/test/resources/aws. */
class AwsCliParserTableTest {

  private final AwsCliParser parser = new AwsCliParser(new AwsDefaults(Optional.of("us-east-1"), Optional.empty()));

  static Stream<Arguments> parsedCommands() throws IOException {
    return lines("aws/parsed-commands.txt").stream().map(line -> {
      String[] parts = line.split(" => ");
      if (parts.length < 4 || parts.length > 5) {
        throw new IllegalArgumentException("bad table line: " + line);
      }
      return Arguments.of(parts[0], parts[1], parts[2], parts[3], parts.length == 5 ? parts[4] : "");
    });
  }

  static Stream<Arguments> refusedCommands() throws IOException {
    return lines("aws/refused-commands.txt").stream().map(line -> {
      int arrow = line.lastIndexOf(" => ");
      return Arguments.of(line.substring(0, arrow), line.substring(arrow + 4));
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parsedCommands")
  void commandIsParsedIntoTheOperationsRegionProfileAndParamsTheCliUses(
      String command, String operations, String region, String profile, String params) {
    AwsParseResult result = parser.parse(command);

    assertThat(result).isInstanceOf(AwsParseResult.Parsed.class);
    AwsCommand parsed = ((AwsParseResult.Parsed) result).command();
    assertThat(parsed.operationKeys()).containsExactly(operations.split(","));
    assertThat(parsed.region()).isEqualTo(region.equals("-") ? Optional.empty() : Optional.of(region));
    assertThat(parsed.profile()).isEqualTo(profile.equals("-") ? Optional.empty() : Optional.of(profile));
    if (!params.isBlank()) {
      for (String param : params.split(" & ")) {
        int eq = param.indexOf('=');
        String name = param.substring(0, eq);
        String values = param.substring(eq + 1);
        List<String> expected = values.isEmpty() ? List.of() : Arrays.asList(values.split(";"));
        assertThat(parsed.params()).as("params of %s", command).containsEntry(name, expected);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedCommands")
  void commandThatCannotBeJudgedIsUnparseableWithAPreciseReason(String command, String reasonFragment) {
    AwsParseResult result = parser.parse(command);

    assertThat(result).isInstanceOf(AwsParseResult.Unparseable.class);
    assertThat(((AwsParseResult.Unparseable) result).reason()).contains(reasonFragment);
  }

  private static List<String> lines(String resource) throws IOException {
    try (InputStream in = AwsCliParserTableTest.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing test resource " + resource);
      }
      List<String> lines = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          lines.add(line);
        }
      }
      return lines;
    }
  }
}
