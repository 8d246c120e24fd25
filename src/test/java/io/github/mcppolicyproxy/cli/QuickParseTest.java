package io.github.mcppolicyproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcppolicyproxy.cli.Commands.ProxyCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Holds {@link QuickParse} to picocli: on generated proxy command lines (every option of the
 * proxy, values good and bad, both forms, repeats, commands after {@code --}), whatever it reads
 * picocli reads alike, field for field, mixins included; and the common lines are read by it.
 *
 * <p>Longer run: {@code -Dquickparse.cases=500000 -Dquickparse.seed=N}.
 */
class QuickParseTest {
  private static final int CASES = Integer.getInteger("quickparse.cases", 20_000);
  private static final String[] VALUES = {"0", "1", "5", "250", "1048576", "010", "-1", "+5",
      "1e3", "0x10", "99999999999", "9999999999999999999", "", "-", "--", "--policy", "a b",
      "p.json", "x=y", "result", "error", "open", "closed", "memory", "redis://h:1", "é",
      "http://localhost:4318", "refuse", "out-of-band", " 7", "7 ", "-x"};
  private static final String[] WORDS = {"python3", "server.py", "--policy", "-v", "--", "x=1"};

  @Test
  void whateverItReadsPicocliReadsAlike() {
    Random r = new Random(Long.getLong("quickparse.seed", 20261202L));
    List<String> names = new ArrayList<>(Prescan.VALUED);
    names.addAll(Prescan.FLAGS);
    names.sort(null);
    int quick = 0;
    int scanned = 0;
    for (int n = 0; n < CASES; n++) {
      List<String> args = new ArrayList<>();
      int options = r.nextInt(6);
      for (int i = 0; i < options; i++) {
        String name = names.get(r.nextInt(names.size()));
        if (Prescan.FLAGS.contains(name)) {
          args.add(name);
        } else {
          String v = r.nextInt(3) == 0 ? VALUES[r.nextInt(VALUES.length)]
              : VALUES[r.nextInt(5)]; // mostly good numbers, which every option reads
          if (r.nextBoolean()) {
            args.add(name + "=" + v);
          } else {
            args.add(name);
            args.add(v);
          }
        }
      }
      if (r.nextInt(4) > 0) {
        args.add("--");
        for (int w = r.nextInt(4); w > 0; w--) {
          args.add(WORDS[r.nextInt(WORDS.length)]);
        }
      }
      String[] a = args.toArray(String[]::new);
      if (Prescan.of(a).isEmpty()) {
        continue; // only what the pre-scan accepts is read quickly
      }
      scanned++;
      ProxyCommand mine = new ProxyCommand(null, null, null, null);
      if (!QuickParse.fill(mine, a)) {
        continue;
      }
      quick++;
      assertThat(QuickParse.verify(a, mine)).as(String.join(" ", a)).isEmpty();
    }
    assertThat(quick).as("lines read quickly of %s pre-scanned", scanned)
        .isGreaterThan(scanned / 3);
  }

  @Test
  void theCommonLinesAreReadQuicklyAndAsPicocliReadsThem() {
    for (String[] a : new String[][] {
        {}, {"--"}, {"--", "uvx", "awslabs.aws-api-mcp-server@latest"},
        {"--policy", "/p/a b.json", "--violation-log", "-", "--", "python3", "s.py", "--policy",
            "x"},
        {"--policy=p.json", "--state", "memory", "--grant=g1", "--require-audit", "--no-refund",
            "--max-frame-bytes", "1048576", "--shutdown-grace-ms=0", "--", "node", "s.js"}}) {
      ProxyCommand mine = new ProxyCommand(null, null, null, null);
      assertThat(QuickParse.fill(mine, a)).as(String.join(" ", a)).isTrue();
      assertThat(QuickParse.verify(a, mine)).as(String.join(" ", a)).isEmpty();
    }
    ProxyCommand mine = new ProxyCommand(null, null, null, null);
    QuickParse.fill(mine, new String[] {"--policy", "p.json", "--", "python3", "s.py"});
    assertThat(mine.policy).isEqualTo(Path.of("p.json"));
    assertThat(mine.command).containsExactly("python3", "s.py");
    assertThat(mine.maxPending).isPositive();
  }

  @Test
  void whatItDoesNotReadWithoutDoubtIsLeftToPicocli() {
    for (String[] a : new String[][] {
        {"--policy", "a", "--policy", "b"}, // picocli refuses a repeat
        {"--max-pending", "010"}, {"--max-pending", "-1"}, {"--max-pending=+5"},
        {"--max-frame-bytes", "99999999999"}, {"--policy="}, {"--session-id", "--policy"},
        {"--session-id", "-x"}, {"check", "p.json"}, {"--help"}}) {
      ProxyCommand mine = new ProxyCommand(null, null, null, null);
      assertThat(QuickParse.fill(mine, a)).as(String.join(" ", a)).isFalse();
      assertThat(mine.policy).isNull();
    }
  }

  @Test
  void theCheckSeesADifference() {
    String[] a = {"--policy", "p.json", "--max-pending", "7", "--", "python3"};
    ProxyCommand mine = new ProxyCommand(null, null, null, null);
    assertThat(QuickParse.fill(mine, a)).isTrue();
    mine.maxPending = 8;
    assertThat(QuickParse.verify(a, mine)).get().asString().contains("maxPending: 8 / 7");
    mine.maxPending = 7;
    mine.state.failMode = "open";
    assertThat(QuickParse.verify(a, mine)).get().asString().contains("state.failMode");
    mine.state.failMode = "closed";
    mine.command.add("extra");
    assertThat(QuickParse.verify(a, mine)).get().asString().contains("command");
    assertThat(QuickParse.verify(new String[] {"--policy", "a", "--policy", "b"}, mine)).get()
        .asString().contains("picocli refuses");
    assertThat(new CommandLine(new ProxyCommand(null, null, null, null))).isNotNull();
  }
}
