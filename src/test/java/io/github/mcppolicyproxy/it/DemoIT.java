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

  @Test
  void theSuccessorDemoJudgesCommandsInsideThePrefixedToolAndDeniesTheScriptTool()
      throws Exception {
    try (ProxyProcess p = ProxyProcess.start(List.of("demo", "--successor"))) {
      assertThat(p.waitFor(Duration.ofSeconds(60))).isZero();
      String out = String.join("\n", p.stdoutLines().stream()
          .map(b -> new String(b, StandardCharsets.UTF_8)).toList());
      assertThat(out).containsPattern("tools/list  -> the agent sees: .*aws___call_aws")
          .doesNotContain("sees: aws___run_script").doesNotContainPattern("sees: .*aws___run_script,")
          .contains("aws___call_aws \"aws s3api list-buckets\" -> allowed")
          .containsPattern("--destination s3://genomics-exports/run-1/\" -> allowed")
          .containsPattern("--destination s3://elsewhere/run-1/\" -> REFUSED: .*"
              + "omics:StartReadSetExportJob")
          .contains("aws___call_aws \"aws s3api delete-bucket --bucket prod\" -> REFUSED: Policy"
              + " violation: AWS operation s3:DeleteBucket is denied")
          .containsPattern("sts assume-role .* -> REFUSED: .*sts:AssumeRole is denied")
          .containsPattern("aws___run_script -> REFUSED: .*cannot read");
      assertThat(out.lines().filter(l -> l.startsWith("  {\"time\"") && !l.contains("\"event\"")))
          .hasSize(4).allMatch(l -> l.contains("\"code\":\"denied\""));
    }
  }
}
