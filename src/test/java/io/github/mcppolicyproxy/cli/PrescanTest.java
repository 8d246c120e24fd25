package io.github.mcppolicyproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class PrescanTest {
  private static Prescan scan(String... args) {
    return Prescan.of(args).orElseThrow();
  }

  @Test
  void thePolicyAndTheCommandAfterDoubleDashAreFound() {
    Prescan s = scan("--violation-log", "-", "--policy", "p.json", "--require-audit", "--",
        "python3", "server.py", "--policy", "theirs");
    assertThat(s.policy()).isEqualTo(Path.of("p.json"));
    assertThat(s.command()).containsExactly("python3", "server.py", "--policy", "theirs");
    assertThat(scan("--policy=a b.json", "--session-id=s", "--", "x").policy())
        .isEqualTo(Path.of("a b.json"));
  }

  @Test
  void noCommandIsTheDefaultUpstreamAndNoPolicyIsTheDefaultPolicy() {
    assertThat(scan()).isEqualTo(new Prescan(null, List.of()));
    assertThat(scan("--session-id", "s1")).isEqualTo(new Prescan(null, List.of()));
    assertThat(scan("--policy", "p.json", "--")).isEqualTo(new Prescan(Path.of("p.json"), List.of()));
  }

  @Test
  void anOptionValueThatLooksLikeACommandIsNotTakenForOne() {
    // --otlp-endpoint takes a value: "uvx" is its value, "x" after "--" the command
    assertThat(scan("--otlp-endpoint", "uvx", "--", "x").command()).containsExactly("x");
  }

  @Test
  void anythingButAnUnambiguousProxyStartGivesNothing() {
    for (String[] args : new String[][] {
        {"check", "p.json"}, // a subcommand
        {"--policy", "p.json", "python3", "server.py"}, // a command without "--"
        {"--help"}, {"-V"}, {"--version"},
        {"--polcy", "p.json", "--", "x"}, // a typo: picocli reports it, nothing is started
        {"--require-audit=true", "--", "x"}, // a form the scan does not read
        {"--policy"}, // a missing value
    }) {
      assertThat(Prescan.of(args)).as(String.join(" ", args)).isEmpty();
    }
  }

  @Test
  void theScansOptionsAreExactlyTheProxysOwn() {
    CommandLine cl = new CommandLine(new Commands.ProxyCommand(
        new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), System.err, null));
    List<OptionSpec> options = cl.getCommandSpec().options().stream()
        .filter(o -> !o.usageHelp() && !o.versionHelp()).toList();
    Set<String> valued = options.stream().filter(o -> o.arity().max() > 0)
        .flatMap(o -> Set.of(o.names()).stream()).collect(Collectors.toSet());
    Set<String> flags = options.stream().filter(o -> o.arity().max() == 0)
        .flatMap(o -> Set.of(o.names()).stream()).collect(Collectors.toSet());
    assertThat(Prescan.VALUED).isEqualTo(valued);
    assertThat(Prescan.FLAGS).isEqualTo(flags);
  }
}
