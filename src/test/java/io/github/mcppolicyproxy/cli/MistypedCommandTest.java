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

class MistypedCommandTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new Cli(new ByteArrayInputStream(new byte[0]), out,
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aMistypedSubcommandIsNamedWithTheClosestRealOneAndNothingStarts() {
    assertThat(run("chek", "policy.json")).isEqualTo(2);
    assertThat(stderr()).contains("unknown command 'chek'; did you mean 'check'?")
        .contains("-- chek").doesNotContain("upstream pid");
    assertThat(out.size()).isZero();
  }

  @Test
  void transposedLettersAndACapitalAreTyposToo() {
    assertThat(run("explian", "p.json", "--tool", "x")).isEqualTo(2);
    assertThat(run("dmeo")).isEqualTo(2);
    assertThat(run("--session-id", "s1", "Check", "p.json")).isEqualTo(2);
    assertThat(stderr()).contains("'explian'; did you mean 'explain'?")
        .contains("'dmeo'; did you mean 'demo'?").contains("'Check'; did you mean 'check'?");
  }

  @Test
  void theSuggestionsComeFromTheRegisteredSubcommands() {
    picocli.CommandLine cl = new picocli.CommandLine(new Commands.ProxyCommand(
        new ByteArrayInputStream(new byte[0]), out, System.err, null));
    cl.addSubcommand("approvals", new picocli.CommandLine(picocli.CommandLine.Model.CommandSpec.create()));
    assertThat(MistypedCommand.find(new String[] {"aprovals"}, cl))
        .contains("unknown command 'aprovals'; did you mean 'approvals'? (to start an upstream"
            + " named 'aprovals', write: mcp-policy-proxy [OPTIONS] -- aprovals ...)");
    assertThat(MistypedCommand.find(new String[] {"chek"}, cl)).isEmpty();
  }

  @Test
  void wordsFarFromEverySubcommandProgramsOnThePathAndPathsAreUpstreams() {
    picocli.CommandLine cl = new picocli.CommandLine(new Commands.ProxyCommand(
        new ByteArrayInputStream(new byte[0]), out, System.err, null));
    cl.addSubcommand(new CheckCommand());
    cl.addSubcommand(new DemoCommand());
    cl.addSubcommand(new ExplainCommand());
    for (String upstream : new String[] {"uvx", "node", "npx", "python3", "java", "./chek",
        "/opt/demo/dmeo"}) {
      assertThat(MistypedCommand.find(new String[] {"--policy", "check", upstream, "x"}, cl))
          .as(upstream).isEmpty();
    }
    assertThat(MistypedCommand.find(new String[] {"--policy=p.json", "chekc"}, cl)).isPresent();
    assertThat(MistypedCommand.find(new String[] {"--policy", "p.json", "--", "chek"}, cl))
        .isEmpty();
  }

  @Test
  void afterDoubleDashAMistypedLookingWordIsStartedAsTheUpstream() throws Exception {
    Path policy = Files.writeString(dir.resolve("p.json"), "{\"version\":\"1\",\"default\":\"allow\"}");
    int code = run("--policy", policy.toString(), "--violation-log",
        dir.resolve("v.jsonl").toString(), "--", "chek");
    assertThat(code).isEqualTo(127);
    assertThat(stderr()).doesNotContain("unknown command").contains("chek");
  }

  @Test
  void distanceCountsATranspositionAsOneEdit() {
    assertThat(MistypedCommand.distance("explian", "explain")).isEqualTo(1);
    assertThat(MistypedCommand.distance("chek", "check")).isEqualTo(1);
    assertThat(MistypedCommand.distance("node", "demo")).isGreaterThan(1);
  }
}
