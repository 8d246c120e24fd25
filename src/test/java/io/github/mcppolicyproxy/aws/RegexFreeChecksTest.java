package io.github.mcppolicyproxy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hand-written checks of the parser against the regexes they stand for: region names,
 * {@code --region *}, negative numbers' neighbours, IAM prefixes and operation names. Inputs are
 * drawn from small alphabets that reach every branch, plus the real names of the model.
 */
class RegexFreeChecksTest {

  private static List<String> words(String alphabet, int count, int maxLength, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = random.nextInt(maxLength + 1);
      StringBuilder w = new StringBuilder(n);
      for (int j = 0; j < n; j++) {
        w.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      out.add(w.toString());
    }
    return out;
  }

  @Test
  void regionNamesAreTheRegexsRegionNames() {
    List<String> inputs = words("ab-1-9z", 100_000, 14, 1);
    inputs.addAll(words("abcdef-01", 100_000, 18, 2));
    // dash-separated runs of letters or digits, near the shape of a region name
    SplittableRandom random = new SplittableRandom(6);
    for (int i = 0; i < 200_000; i++) {
      List<String> runs = new ArrayList<>();
      for (int k = 1 + random.nextInt(4); k > 0; k--) {
        runs.add(words(random.nextInt(4) == 0 ? "0123456789" : "abcz", 1, 7, random.nextLong()).get(0));
      }
      inputs.add(String.join("-", runs));
    }
    inputs.addAll(CliModel.get().regions());
    inputs.addAll(List.of("us-east-1", "us-gov-west-1", "eu-west-10", "ab-c-123", "abcdef-a-1", "a-b-1", "ab--c-1",
        "ab-c-", "ab-c-1-", "ab-1", "us-east-1a", "", "-", "us-east-1\n"));
    int regions = 0;
    for (String s : inputs) {
      boolean expected = CliArgs.REGION.matcher(s).matches();
      assertThat(CliArgs.isRegionName(s)).as("region name %s", s).isEqualTo(expected);
      regions += expected ? 1 : 0;
    }
    assertThat(regions).as("inputs that are region names").isGreaterThan(1000);
  }

  @Test
  void regionWildcardIsFoundWhereTheServersSearchFindsIt() {
    List<String> parts = List.of("--region", "--regio", " ", "\t", "\u00a0", "\u2003", "\u3000", "\n", "*", "**", "x",
        "'", "--region=", "\u001c", "\u0085", "\u200b");
    SplittableRandom random = new SplittableRandom(3);
    int found = 0;
    for (int i = 0; i < 300_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int j = random.nextInt(8); j > 0; j--) {
        text.append(parts.get(random.nextInt(parts.size())));
      }
      String s = text.toString();
      boolean expected = RegionWildcard.appliesByRegex(s);
      assertThat(RegionWildcard.applies(s)).as("--region * in [%s]", s).isEqualTo(expected);
      found += expected ? 1 : 0;
    }
    assertThat(found).as("texts the server expands").isGreaterThan(1000);
  }

  @Test
  void operationPartsAreCheckedAsTheRegexesCheckThem() {
    List<String> services = words("az09-A_", 200_000, 8, 4);
    List<String> names = words("aZ09-_", 200_000, 8, 5);
    for (CliModel.Service s : CliModel.get().services().values()) {
      services.add(ServiceNames.iamPrefix(s));
      s.botocoreName().ifPresent(services::add);
      for (CliModel.Command c : s.commands().values()) {
        c.apiName().ifPresent(names::add);
      }
    }
    int validServices = 0;
    for (String s : services) {
      boolean expected = AwsOperation.SERVICE.matcher(s).matches();
      assertThat(AwsOperation.isServicePrefix(s)).as("service prefix %s", s).isEqualTo(expected);
      validServices += expected ? 1 : 0;
    }
    int validNames = 0;
    for (String n : names) {
      boolean expected = AwsOperation.NAME.matcher(n).matches();
      assertThat(AwsOperation.isName(n)).as("operation name %s", n).isEqualTo(expected);
      validNames += expected ? 1 : 0;
    }
    assertThat(validServices).isGreaterThan(1000);
    assertThat(validNames).isGreaterThan(10_000);
  }
}
