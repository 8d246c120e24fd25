package io.github.mcppolicyproxy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link AwsCliParser#afterOperation} against the argparse pass it stands for (the service's
 * parser, one positional: the operation) on word lists that start with an operation of the model
 * and go on with options, values, {@code --}, negative numbers, words with spaces and {@code =}.
 */
class AfterOperationTest {

  private static final String[] WORDS = {"--", "-", "--x", "--x=1", "--instance-ids", "--region",
      "--region=us-east-1", "-1", "-1.5", "-x", "a b", "--a b", "i-1", "value", "--=", "=", "--help",
      "--debug", "--output", "json", "--no-paginate", "--q", "--", "-.5"};

  @Test
  void theWordsAfterTheOperationAreWhatTheServicesParserLeaves() throws Exception {
    List<String> operations = new ArrayList<>(CliModel.get().service("ec2").orElseThrow().commands().keySet());
    operations.addAll(CliModel.get().service("s3api").orElseThrow().commands().keySet());
    SplittableRandom random = new SplittableRandom(14);
    int dashesSecond = 0;
    for (int i = 0; i < 100_000; i++) {
      List<String> words = new ArrayList<>();
      words.add(operations.get(random.nextInt(operations.size())));
      for (int k = random.nextInt(7); k > 0; k--) {
        words.add(WORDS[random.nextInt(WORDS.length)]);
      }
      ArgParse.Result full = ArgParse.parseKnown(AwsCliParser.OPERATION, words, "aws ec2");
      assertThat(CliArgs.single(full.byDest().get("operation"))).isEqualTo(words.get(0));
      assertThat(AwsCliParser.afterOperation(words)).as("%s", words).isEqualTo(full.extras());
      dashesSecond += words.size() > 1 && words.get(1).equals("--") ? 1 : 0;
    }
    assertThat(dashesSecond).as("lists with -- right after the operation").isGreaterThan(1000);
  }
}
