package io.github.mcppolicyproxy.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ApprovalStatesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-08-01T00:00:00Z");
  private static final ApprovalStates.Binding CALL =
      new ApprovalStates.Binding("deploy", "a".repeat(64), "p".repeat(64));

  private static ApprovalStates at(Instant now, SecureRandom random) {
    return new ApprovalStates(Clock.fixed(now, ZoneOffset.UTC), JSON, random);
  }

  @Test
  void aStateIsRedeemedOnce() {
    SecureRandom random = new SecureRandom();
    ApprovalStates states = at(T0, random);
    String s1 = states.seal(CALL, T0.plusSeconds(10), ApprovalStates.Carried.NONE);
    String s2 = states.seal(CALL, T0.plusSeconds(10), ApprovalStates.Carried.NONE);

    assertThat(s1).isNotEqualTo(s2).startsWith(ApprovalStates.PREFIX);
    assertThat(states.redeem(s1, CALL)).isInstanceOf(ApprovalStates.Redemption.Valid.class);
    assertThat(states.redeem(s1, CALL)).isEqualTo(
        new ApprovalStates.Redemption.Invalid("the requestState was already used once"));
    assertThat(states.redeem(s2, CALL)).isInstanceOf(ApprovalStates.Redemption.Valid.class);
    assertThat(states.remembered()).isEqualTo(2);
  }

  @Test
  void bindingIsCheckedForToolArgumentsAndPolicy() {
    ApprovalStates states = at(T0, new SecureRandom());
    String s = states.seal(CALL, T0.plusSeconds(10), ApprovalStates.Carried.NONE);

    assertThat(states.redeem(s, new ApprovalStates.Binding("other", CALL.argumentsSha256(),
        CALL.policySha256()))).isInstanceOf(ApprovalStates.Redemption.Invalid.class);
    assertThat(states.redeem(s, new ApprovalStates.Binding("deploy", "b".repeat(64),
        CALL.policySha256()))).isInstanceOf(ApprovalStates.Redemption.Invalid.class);
    assertThat(states.redeem(s, new ApprovalStates.Binding("deploy", CALL.argumentsSha256(),
        "q".repeat(64)))).isEqualTo(new ApprovalStates.Redemption.Invalid(
            "the policy changed since the approval was asked"));
    assertThat(states.redeem(s, CALL)).isInstanceOf(ApprovalStates.Redemption.Valid.class);
  }

  @Test
  void expiryIsExclusiveAndCarriedUpstreamStateComesBack() {
    ApprovalStates issuer = at(T0, new SecureRandom());
    ApprovalStates.Carried carried = new ApprovalStates.Carried("up-1",
        JSON.createObjectNode().put("k", 1), true);
    String s = issuer.seal(CALL, T0.plusSeconds(10), carried);

    assertThat(issuer.redeem(s, CALL)).isInstanceOf(ApprovalStates.Redemption.Valid.class);
    ApprovalStates.Redemption r = issuer.redeem(issuer.seal(CALL, T0, carried), CALL);
    assertThat(r).isInstanceOf(ApprovalStates.Redemption.Expired.class);
    String again = issuer.seal(CALL, T0.plusSeconds(1), carried);
    ApprovalStates.Carried back =
        ((ApprovalStates.Redemption.Valid) issuer.redeem(again, CALL)).carried();
    assertThat(back.upstreamState()).isEqualTo("up-1");
    assertThat(back.upstreamResponses().path("k").asInt()).isEqualTo(1);
    assertThat(back.continuation()).isTrue();
  }

  @Test
  void usedNoncesAreForgottenOnceTheirStatesExpired() {
    java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(T0);
    Clock moving = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    ApprovalStates states = new ApprovalStates(moving, JSON, new SecureRandom());
    String first = states.seal(CALL, T0.plusSeconds(10), ApprovalStates.Carried.NONE);
    assertThat(states.redeem(first, CALL)).isInstanceOf(ApprovalStates.Redemption.Valid.class);
    now.set(T0.plusSeconds(11));
    String second = states.seal(CALL, T0.plusSeconds(20), ApprovalStates.Carried.NONE);

    assertThat(states.redeem(second, CALL)).isInstanceOf(ApprovalStates.Redemption.Valid.class);
    assertThat(states.remembered()).isEqualTo(1);
    assertThat(states.redeem(first, CALL)).isInstanceOf(ApprovalStates.Redemption.Expired.class);
  }
}
