package io.github.mcppolicyproxy.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.mcppolicyproxy.audit.JsonLinesViolationLog;
import io.github.mcppolicyproxy.aws.AwsCommandInspector;
import io.github.mcppolicyproxy.aws.AwsDefaults;
import io.github.mcppolicyproxy.limits.FakeClock;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.limits.SessionLimiters;
import io.github.mcppolicyproxy.limits.TieredQuota;
import io.github.mcppolicyproxy.limits.store.MemoryStore;
import io.github.mcppolicyproxy.policy.Code;
import io.github.mcppolicyproxy.policy.Limit;
import io.github.mcppolicyproxy.policy.PolicyEngine;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import io.github.mcppolicyproxy.policy.ToolCall;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link CallJudge#warmUp} runs ahead what a policy's first calls would wait for (one decision of
 * {@code aws sts get-caller-identity}, a limiter of the quota's own): it must count nothing and
 * change no decision, and it warms the quota only for a policy with limits. {@link
 * CallRefusals#warmUp} (the first refusal's answer and record) must answer and write nothing.
 */
class WarmUpTest {
  private static final String ONE_EACH = """
      {"version":"1","default":"deny","tools":{"call_aws":{}},
       "operations":{"sts:GetCallerIdentity":{"limits":[{"counter":"whoami","window":"hour","max":1}]},
                     "ec2:Describe*":{"limits":[{"counter":"describe","window":"hour","max":1,"scope":"grant"}]}}}""";

  private final FakeClock clock = new FakeClock(29_000_000L * 60_000L);

  private static ToolCall callAws(String command) {
    return new ToolCall("call_aws", JsonNodeFactory.instance.objectNode().put("cli_command", command));
  }

  private CallJudge judge(String policy, Quota quota) throws Exception {
    return new CallJudge(new PolicyEngine(new PolicyLoader().parse("p.json", policy.getBytes(UTF_8)),
        new AwsCommandInspector(AwsDefaults.none())), quota);
  }

  private Quota memoryQuota() {
    return new TieredQuota(new SessionLimiters(clock::nanos), new MemoryStore(), "team", clock,
        TieredQuota.FailMode.CLOSED, s -> { });
  }

  @Test
  void theWarmUpTakesNoPermitOfTheCommandItDecides() throws Exception {
    CallJudge judge = judge(ONE_EACH, memoryQuota());
    judge.warmUp();
    judge.warmUp();
    assertThat(judge.judge(callAws("aws sts get-caller-identity"), "s"))
        .as("the one permit of the hour is still there after two warm-ups").isNull();
    assertThat(judge.judge(callAws("aws sts get-caller-identity"), "s").code()).isEqualTo(Code.RATE_LIMITED);
    assertThat(judge.judge(callAws("aws ec2 describe-regions"), "s")).isNull();
  }

  @Test
  void theSessionLimitersWarmUpAddsNoCounter() {
    SessionLimiters limiters = new SessionLimiters(clock::nanos);
    Limit limit = new Limit("/tools/x/limits/0", "x", Duration.ofMinutes(1), "minute", 3, Limit.Scope.SESSION);
    assertThat(limiters.take("s", Map.of(limit, 1)).refused()).isNull();
    limiters.warmUp();
    assertThat(limiters.available("s", limit)).isEqualTo(2);
    assertThat(limiters.available("another", limit)).isEqualTo(3);
  }

  @Test
  void theQuotaIsWarmedOnlyForAPolicyWithLimits() throws Exception {
    AtomicInteger warmed = new AtomicInteger();
    Quota quota = new Quota() {
      private final Quota inner = memoryQuota();

      @Override
      public Outcome reserve(String session, Map<Limit, Integer> permits) {
        return inner.reserve(session, permits);
      }

      @Override
      public void refund(Reservation reservation) {
        inner.refund(reservation);
      }

      @Override
      public Outcome peek(String session, Map<Limit, Integer> permits) {
        return inner.peek(session, permits);
      }

      @Override
      public void warmUp() {
        warmed.incrementAndGet();
      }
    };
    judge("""
        {"version":"1","default":"allow","tools":{"echo":{}}}""", quota).warmUp();
    assertThat(warmed).as("no limits: nothing to warm").hasValue(0);
    judge("""
        {"version":"1","default":"allow","tools":{"echo":{"limits":[{"window":"minute","max":5}]}}}""", quota)
        .warmUp();
    assertThat(warmed).as("a tool's limit").hasValue(1);
    judge(ONE_EACH, quota).warmUp();
    assertThat(warmed).as("an operation's limit").hasValue(2);
    judge("""
        {"version":"1","default":"allow","all_tools":{"limits":[{"window":"minute","max":5}]}}""", quota).warmUp();
    assertThat(warmed).as("all_tools' limit").hasValue(3);
  }

  @Test
  void theFirstRefusalsWarmUpAnswersNothingAndWritesNoRecord() throws Exception {
    RecordingLog log = new RecordingLog();
    ObjectMapper mapper = new ObjectMapper();
    for (RefusalStyle style : RefusalStyle.values()) {
      CallRefusals.warmUp(new Answers(mapper, style), log);
    }
    assertThat(log.records).as("no record written").isEmpty();
    assertThat(log.events).as("no event written").isEmpty();
    assertThat(log.warmUps).hasSize(RefusalStyle.values().length);
    // the sample is a record the real log can render: the warm-up walks the path a refusal takes
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String line = JsonLinesViolationLog.toStderr(
        new PrintStream(err, true, UTF_8), mapper, false).json(log.warmUps.get(0));
    assertThat(mapper.readTree(line).get("code").asText()).isEqualTo("denied");
    assertThat(err.size()).isZero();
  }
}
