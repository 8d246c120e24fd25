package io.github.mcppolicyproxy.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.policy.Code;
import io.github.mcppolicyproxy.policy.CommandInspector;
import io.github.mcppolicyproxy.policy.PolicyEngine;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import io.github.mcppolicyproxy.policy.Refusal;
import io.github.mcppolicyproxy.policy.ToolCall;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallJudgeTest {
  private static final String SEED = """
      {"version":"1","default":"deny","tools":{
        "StartAHOReadSetExportJob":{"limits":[{"counter":"startahoreadsetexportjob_rate","window":"minute","max":10,"scope":"grant"}]},
        "per_session":{"limits":[{"window":"hour","max":1}]},
        "pay":{"action":"require_approval","limits":[{"counter":"pay","window":"minute","max":1}]}}}""";

  private final io.github.mcppolicyproxy.limits.FakeClock clock =
      new io.github.mcppolicyproxy.limits.FakeClock(29_000_000L * 60_000L);
  private final io.github.mcppolicyproxy.limits.SessionLimiters sessions =
      new io.github.mcppolicyproxy.limits.SessionLimiters(clock::nanos);
  private final Quota quota = new io.github.mcppolicyproxy.limits.TieredQuota(sessions,
      new io.github.mcppolicyproxy.limits.store.MemoryStore(), "team-a", clock,
      io.github.mcppolicyproxy.limits.TieredQuota.FailMode.CLOSED, s -> { });
  private final CallJudge judge;

  CallJudgeTest() throws Exception {
    judge = new CallJudge(new PolicyEngine(new PolicyLoader().parse("seed.json", SEED.getBytes(UTF_8)),
        CommandInspector.NONE), quota);
  }

  private static ToolCall call(String tool) {
    return new ToolCall(tool, JsonNodeFactory.instance.objectNode());
  }

  @Test
  void eleventhCallInAMinuteIsRateLimitedWithRetryInSecondsAndTheRulePointer() {
    for (int i = 0; i < 10; i++) {
      assertThat(judge.judge(call("StartAHOReadSetExportJob"), "s" + i)).isNull();
    }
    clock.advance(Duration.ofSeconds(18));

    Refusal r = judge.judge(call("StartAHOReadSetExportJob"), "another");

    assertThat(r.code()).isEqualTo(Code.RATE_LIMITED);
    assertThat(r.rule()).isEqualTo("/tools/StartAHOReadSetExportJob/limits/0");
    assertThat(r.retryAfterSeconds()).hasValue(42);
    assertThat(r.scope()).isEqualTo("grant team-a");
    assertThat(r.reason()).isEqualTo("StartAHOReadSetExportJob is limited to 10 calls per minute"
        + " for grant team-a");
    assertThat(r.agentText()).isEqualTo("Policy violation: StartAHOReadSetExportJob is limited to 10"
        + " calls per minute for grant team-a; retry in 42 s (rule"
        + " /tools/StartAHOReadSetExportJob/limits/0, code rate_limited).");
  }

  @Test
  void sessionLimitSaysSoInItsReason() {
    assertThat(judge.judge(call("per_session"), "a")).isNull();

    Refusal r = judge.judge(call("per_session"), "a");

    assertThat(r.reason()).endsWith("is limited to 1 call per hour in this session");
    assertThat(r.agentText()).contains("retry in 3600 s");
    assertThat(judge.judge(call("per_session"), "b")).isNull();
  }

  @Test
  void callNeedingApprovalIsRefusedAsApprovalUnavailableAndTakesNoQuota() {
    Refusal r = judge.judge(call("pay"), "s");

    assertThat(r.code()).isEqualTo(Code.APPROVAL_UNAVAILABLE);
    assertThat(r.rule()).isEqualTo("/tools/pay");
    assertThat(r.retryAfterSeconds()).isEmpty();
    assertThat(judge.engine().policy().tools().values().stream()
        .flatMap(e -> e.limits().stream()).filter(l -> l.counter().equals("pay"))
        .allMatch(l -> sessions.available("s", l) == 1)).isTrue();
  }

  @Test
  void deniedCallIsRefusedByTheRulesBeforeAnyQuota() {
    Refusal r = judge.judge(call("other"), "s");

    assertThat(r.code()).isEqualTo(Code.DENIED);
    assertThat(r.rule()).isEqualTo("/default");
  }
}
