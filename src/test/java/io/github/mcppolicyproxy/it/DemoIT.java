package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's first command: the demo, through the packaged jar, shows what it promises. */
class DemoIT {
  @Test
  void theDemoShowsTenExportsTheEleventhRefusedWithARetryAndADefaultDenyAndTheLog()
      throws Exception {
    try (ProxyProcess p = ProxyProcess.start(List.of("demo"))) {
      assertThat(p.waitFor(Duration.ofSeconds(60))).isZero();
      String out = String.join("\n", p.stdoutLines().stream()
          .map(b -> new String(b, StandardCharsets.UTF_8)).toList());
      assertThat(out).contains("tools/list  -> the agent sees: StartAHOReadSetExportJob ");
      for (int i = 1; i <= 10; i++) {
        assertThat(out).contains(String.format("StartAHOReadSetExportJob #%-2d -> allowed", i));
      }
      assertThat(out).containsPattern("StartAHOReadSetExportJob #11 -> REFUSED: Policy violation: "
          + "StartAHOReadSetExportJob is limited to 10 calls per minute for grant seed; retry in"
          + " \\d+ s")
          .containsPattern("call_aws .* -> REFUSED: .*default: deny");
      assertThat(out.lines().filter(l -> l.startsWith("  {\"time\"") && !l.contains("\"event\"")))
          .hasSize(2)
          .anyMatch(l -> l.contains("\"code\":\"rate_limited\""))
          .anyMatch(l -> l.contains("\"code\":\"denied\""));
    }
  }
}
