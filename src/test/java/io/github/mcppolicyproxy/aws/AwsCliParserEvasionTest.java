package io.github.mcppolicyproxy.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Inputs an agent could use to make the proxy judge something other than what runs. */
class AwsCliParserEvasionTest {

  private final AwsCliParser parser = new AwsCliParser(new AwsDefaults(Optional.of("us-east-1"), Optional.empty()));

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t", "   \t  "})
  void emptyOrWhitespaceCommandIsUnparseable(String command) {
    assertThat(reason(command)).isEqualTo("cli_command is empty");
  }

  @Test
  void missingCommandIsUnparseable() {
    assertThat(reason(null)).isEqualTo("cli_command is missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"aws s3 ls\naws s3 rb s3://b --force", "aws s3 ls\r", "aws s3 ls 'a\nb'", "aws s3 ls \"a\nb\""})
  void lineBreakAnywhereIsUnparseable(String command) {
    assertThat(reason(command)).contains("line break at character");
  }

  @Test
  void nulCharacterIsUnparseable() {
    assertThat(reason("aws s3 ls s3://b\u0000x")).isEqualTo("NUL character at character 17");
  }

  @Test
  void otherControlCharacterIsUnparseable() {
    assertThat(reason("aws s3 ls s3://b\u001bx")).contains("control character U+001B");
  }

  @Test
  void quotedAndEscapedOperationNameIsTheOperationItSpells() {
    AwsCommand command = parsed("aws 'omics' \"st\"'art'-read-set-export-job --destination s3://b/");

    assertThat(command.operationKeys()).containsExactly("omics:StartReadSetExportJob");
    assertThat(command.cliOperation()).isEqualTo("start-read-set-export-job");
  }

  @Test
  void globalOptionsBetweenServiceAndOperationAreGlobal() {
    AwsCommand command = parsed("aws omics --region eu-west-1 --output json start-read-set-export-job --destination s3://b/");

    assertThat(command.operationKeys()).containsExactly("omics:StartReadSetExportJob");
    assertThat(command.region()).contains("eu-west-1");
    assertThat(command.globalOptions()).containsExactly("region", "output");
    assertThat(command.globalOptionValues()).containsEntry("output", "json");
    assertThat(command.params()).containsOnlyKeys("destination");
  }

  @Test
  void abbreviatedRegionIsTheRegionTheCliUses() {
    assertThat(parsed("aws omics list-sequence-stores --regi eu-west-3").region()).contains("eu-west-3");
    assertThat(parsed("aws omics list-sequence-stores --end=http://127.0.0.1:1").globalOptionValues())
        .containsEntry("endpoint-url", "http://127.0.0.1:1");
  }

  @Test
  void abbreviatedParameterIsFoundByParamValues() {
    AwsCommand command = parsed("aws omics start-read-set-export-job --dest s3://evil/ --role-arn r");

    assertThat(command.params()).containsKey("destination").doesNotContainKey("dest");
    assertThat(command.paramValues("destination")).containsExactly("s3://evil/");
    assertThat(command.hasParam("destination")).isTrue();
    assertThat(command.paramValues("role-arn")).containsExactly("r");
    assertThat(command.paramValues("sources")).isEmpty();
  }

  @Test
  void destinationInsideCliInputJsonIsNeverAParameterBecauseTheServerNeverSendsIt() {
    AwsCommand command = parsed("aws omics start-read-set-export-job --cli-input-json "
        + "'{\"destination\": \"s3://good/\", \"sequenceStoreId\": \"1\"}'");

    assertThat(command.paramValues("destination")).isEmpty();
    assertThat(command.params()).containsOnlyKeys("cli-input-json");
  }

  @Test
  void regionGivenTwiceIsTheLastOneAsArgparseKeepsIt() {
    assertThat(parsed("aws --region=us-east-1 omics list-sequence-stores --region eu-west-1").region())
        .contains("eu-west-1");
  }

  @Test
  void generateCliSkeletonParsesAndIsFlagged() {
    AwsCommand command = parsed("aws omics start-read-set-export-job --generate-cli-skeleton");

    assertThat(command.operationKeys()).containsExactly("omics:StartReadSetExportJob");
    assertThat(command.globalOptions()).contains("generate-cli-skeleton");
  }

  @Test
  void regionAndProfileComeFromDefaultsWhenTheCommandDoesNotSayAndNowhereWithoutDefaults() {
    AwsCliParser withEnv = new AwsCliParser(AwsDefaults.fromEnvironment(
        Map.of("AWS_DEFAULT_REGION", "eu-north-1", "AWS_PROFILE", "p1")));
    AwsCommand command = ((AwsParseResult.Parsed) withEnv.parse("aws sts get-caller-identity")).command();
    assertThat(command.region()).contains("eu-north-1");
    assertThat(command.profile()).contains("p1");

    AwsCommand bare = ((AwsParseResult.Parsed) new AwsCliParser(AwsDefaults.none())
        .parse("aws sts get-caller-identity")).command();
    assertThat(bare.region()).isEmpty();
    assertThat(bare.profile()).isEmpty();
  }

  @Test
  void tenThousandWordsAreParsedQuickly() {
    StringBuilder command = new StringBuilder("aws ec2 describe-instances --instance-ids");
    for (int i = 0; i < 10_000; i++) {
      command.append(" i-").append(i);
    }
    assertThatCode(() -> parsed(command.toString())).doesNotThrowAnyException();
    assertThat(parsed(command.toString()).params().get("instance-ids")).hasSize(10_000);
  }

  @Test
  @Timeout(10)
  void veryLongInputsAreAnsweredInLinearTime() {
    String longWord = "a".repeat(AwsCliParser.MAX_CHARS - 100);
    assertThat(parser.parse("aws s3 ls s3://" + longWord)).isInstanceOf(AwsParseResult.Parsed.class);
    assertThat(reason("aws s3 ls '" + longWord)).startsWith("unterminated single quote");
    assertThat(reason("aws s3 ls \"" + "\\\\".repeat(400_000))).startsWith("unterminated double quote");
    assertThat(reason("aws " + "--debug ".repeat(100_000))).startsWith("expected a service");
    assertThat(reason("aws s3 ls " + "x".repeat(AwsCliParser.MAX_CHARS))).contains("the limit is");
    String arn = "arn:aws:lambda:" + "x".repeat(500_000);
    assertThat(parser.parse("aws lambda get-function --function-name " + arn)).isNotNull();
  }

  @Test
  void randomInputNeverThrows() {
    Random random = new Random(20261124L);
    String alphabet = "aws s3 omics-- -=\"'\\$`|;&<>(){}[]*?#~\t\n\u0000\u2014:/.,ARN0123456789help";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder input = new StringBuilder(random.nextBoolean() ? "aws " : "");
      int length = random.nextInt(60);
      for (int j = 0; j < length; j++) {
        input.append(random.nextInt(10) == 0
            ? (char) random.nextInt(0x3000)
            : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String command = input.toString();
      assertThatCode(() -> assertThat(parser.parse(command)).isNotNull())
          .as("input %s", command).doesNotThrowAnyException();
    }
  }

  @Test
  void unparseableReasonIsNeverBlank() {
    for (String command : new String[] {"aws", "aws s3", "aws s3 cp", "x", "aws --", "aws --=", "aws --region"}) {
      assertThat(reason(command)).isNotBlank();
    }
  }

  @Test
  void aLargeCliInputJsonIsKeptAsOneValueQuickly() {
    String json = "{\"Items\": [" + "\"x\",".repeat(100_000) + "\"y\"]}";
    long start = System.nanoTime();
    AwsCommand command = parsed("aws ec2 describe-instances --cli-input-json '" + json + "'");
    assertThat(command.params().get("cli-input-json")).hasSize(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  private AwsCommand parsed(String command) {
    AwsParseResult result = parser.parse(command);
    assertThat(result).as("parse of %s", command).isInstanceOf(AwsParseResult.Parsed.class);
    return ((AwsParseResult.Parsed) result).command();
  }

  private String reason(String command) {
    AwsParseResult result = parser.parse(command);
    assertThat(result).as("parse of %s", command).isInstanceOf(AwsParseResult.Unparseable.class);
    return ((AwsParseResult.Unparseable) result).reason();
  }
}
