package io.github.mcppolicyproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code explain} and {@code check} tell an operator, run in process. */
class ExplainMessagesTest {
  private static final String POLICY = """
      {"version":"1","default":"allow","tools":{"call_aws":{}},
       "operations":{"*:Delete*":{"action":"deny","reason":"no deletions"},
                     "s3:DeleteBucket":{"action":"deny","reason":"buckets hold the lab's data"},
                     "*":{}}}""";

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new Cli(new ByteArrayInputStream(new byte[0]), out,
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
  }

  @Test
  void explainShowsTheReasonOfTheMostSpecificDeny() throws Exception {
    Path p = Files.writeString(dir.resolve("p.json"), POLICY);

    int code = run("explain", p.toString(), "--tool", "call_aws", "--args",
        "{\"cli_command\":\"aws s3api delete-bucket --bucket lab\"}", "--env", "AWS_REGION=us-east-1");

    String stdout = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(stdout + err).isEqualTo(1);
    assertThat(stdout).contains("REFUSE denied (rule /operations/s3:DeleteBucket)")
        .contains("buckets hold the lab's data").doesNotContain("no deletions");
  }

  @Test
  void explainArgsThatAreNotJsonAreDescribedWithoutParserInternals() throws Exception {
    Path p = Files.writeString(dir.resolve("p.json"), POLICY);

    assertThat(run("explain", p.toString(), "--tool", "x", "--args", "{\"a\": tru}")).isEqualTo(2);

    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--args is not JSON: Unrecognized token")
        .contains("at line 1, column").doesNotContain("REDACTED").doesNotContain("Source");
  }

  @Test
  void checkPrintsWarningsForRulesThatLoadButNeverApply() throws Exception {
    Path p = Files.writeString(dir.resolve("p.json"), """
        {"version":"1","default":"allow","tools":{"s3:DeleteBucket":{"action":"deny"}}}""");

    assertThat(run("check", p.toString())).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("warning: " + p + ": /tools/s3:DeleteBucket: ").contains("1 warning");
  }

  @Test
  void checkRefusesAToolPredicateOutsideArgsNamingTheRoot() throws Exception {
    Path p = Files.writeString(dir.resolve("p.json"), """
        {"version":"1","default":"allow","tools":{"put":{"deny_if":[
          {"path":"bucket","op":"eq","value":"prod"}]}}}""");

    assertThat(run("check", p.toString())).isEqualTo(2);

    assertThat(out.toString(StandardCharsets.UTF_8)).contains("/tools/put/deny_if/0/path")
        .contains("did you mean \"args.bucket\"?").contains("1 error");
  }
}
