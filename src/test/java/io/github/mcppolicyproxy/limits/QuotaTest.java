package io.github.mcppolicyproxy.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcppolicyproxy.limits.Quota.Outcome;
import io.github.mcppolicyproxy.policy.Limit;
import io.github.mcppolicyproxy.policy.Limit.Scope;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QuotaTest {
  /** Starts far from zero so that nothing depends on the clock's origin. */
  private final AtomicLong nanos = new AtomicLong(TimeUnit.HOURS.toNanos(5) + 123_456_789L);
  private final Quota quota = new Quota(nanos::get);

  private static Limit perMinute(String counter, int max, Scope scope) {
    return new Limit("/tools/t/limits/0", counter, Duration.ofMinutes(1), "minute", max, scope);
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  private static Map<Limit, Integer> one(Limit l) {
    return Map.of(l, 1);
  }

  @Test
  void tenPerMinuteThenRefusedWithTheSecondsLeftInTheWindow() {
    Limit l = perMinute("rate", 10, Scope.GRANT);
    for (int i = 0; i < 10; i++) {
      assertThat(quota.tryReserve("s", one(l))).as("call %d", i + 1).isInstanceOf(Outcome.Granted.class);
    }
    advance(Duration.ofSeconds(18));

    Outcome o = quota.tryReserve("s", one(l));

    assertThat(o).isEqualTo(new Outcome.Exhausted(l, 42));
    assertThat(quota.available("s", l)).isZero();
  }

  @Test
  void retryAfterIsRoundedUpToAWholeSecond() {
    Limit l = perMinute("rate", 1, Scope.SESSION);
    quota.tryReserve("s", one(l));
    advance(Duration.ofMillis(59_500));

    assertThat(((Outcome.Exhausted) quota.tryReserve("s", one(l))).retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void windowEdgeIsExact() {
    Limit l = perMinute("rate", 2, Scope.SESSION);
    quota.tryReserve("s", one(l));
    quota.tryReserve("s", one(l));

    advance(Duration.ofMillis(59_999));
    assertThat(quota.tryReserve("s", one(l))).isInstanceOf(Outcome.Exhausted.class);
    advance(Duration.ofMillis(1));
    assertThat(quota.tryReserve("s", one(l))).isInstanceOf(Outcome.Granted.class);
    assertThat(quota.available("s", l)).isEqualTo(1);
  }

  @Test
  void unusedPermitsDoNotCarryOverIntoTheNextWindow() {
    Limit l = perMinute("rate", 3, Scope.SESSION);
    quota.tryReserve("s", one(l));
    advance(Duration.ofMinutes(5));

    assertThat(quota.available("s", l)).isEqualTo(3);
  }

  @Test
  void limitsThatShareACounterShareTheCount() {
    Limit a = new Limit("/tools/a/limits/0", "shared", Duration.ofMinutes(1), "minute", 3, Scope.SESSION);
    Limit b = new Limit("/tools/b/limits/0", "shared", Duration.ofMinutes(1), "minute", 3, Scope.SESSION);

    quota.tryReserve("s", one(a));
    quota.tryReserve("s", one(b));
    quota.tryReserve("s", one(a));

    assertThat(quota.tryReserve("s", one(b))).isInstanceOf(Outcome.Exhausted.class);
    assertThat(quota.available("s", a)).isZero();
  }

  @Test
  void refusedCallTakesNothingFromALimitThatHadRoom() {
    Limit full = perMinute("full", 1, Scope.SESSION);
    Limit roomy = perMinute("roomy", 5, Scope.SESSION);
    quota.tryReserve("s", one(full));
    Map<Limit, Integer> both = new LinkedHashMap<>();
    both.put(roomy, 1);
    both.put(full, 1);

    Outcome o = quota.tryReserve("s", both);

    assertThat(o).isInstanceOf(Outcome.Exhausted.class);
    assertThat(((Outcome.Exhausted) o).limit()).isEqualTo(full);
    assertThat(quota.available("s", roomy)).isEqualTo(5);
  }

  @Test
  void sessionScopeCountsPerSession() {
    Limit l = perMinute("rate", 1, Scope.SESSION);

    assertThat(quota.tryReserve("alice", one(l))).isInstanceOf(Outcome.Granted.class);
    assertThat(quota.tryReserve("bob", one(l))).isInstanceOf(Outcome.Granted.class);
    assertThat(quota.tryReserve("alice", one(l))).isInstanceOf(Outcome.Exhausted.class);
  }

  @Test
  void grantAndGlobalScopesAreSharedAcrossSessions() {
    for (Scope scope : new Scope[] {Scope.GRANT, Scope.GLOBAL}) {
      Limit l = perMinute("shared-" + scope.wire(), 1, scope);
      assertThat(quota.tryReserve("alice", one(l))).isInstanceOf(Outcome.Granted.class);
      assertThat(quota.tryReserve("bob", one(l))).as(scope.wire()).isInstanceOf(Outcome.Exhausted.class);
    }
  }

  @Test
  void sameCounterNameInDifferentScopesCountsApart() {
    assertThat(quota.tryReserve("s", one(perMinute("c", 1, Scope.SESSION)))).isInstanceOf(Outcome.Granted.class);
    assertThat(quota.tryReserve("s", one(perMinute("c", 1, Scope.GRANT)))).isInstanceOf(Outcome.Granted.class);
  }

  @Test
  void severalPermitsAreTakenTogetherOrNotAtAll() {
    Limit l = perMinute("rate", 3, Scope.SESSION);

    assertThat(quota.tryReserve("s", Map.of(l, 2))).isInstanceOf(Outcome.Granted.class);
    assertThat(quota.tryReserve("s", Map.of(l, 2))).isInstanceOf(Outcome.Exhausted.class);
    assertThat(quota.available("s", l)).isEqualTo(1);
  }

  @Test
  void morePermitsThanTheMaximumCanNeverBeGranted() {
    Limit l = perMinute("rate", 3, Scope.SESSION);

    Outcome o = quota.tryReserve("s", Map.of(l, 4));

    assertThat(o).isEqualTo(new Outcome.Exhausted(l, 60));
    assertThat(quota.available("s", l)).isEqualTo(3);
  }

  @Test
  void aReloadThatLowersTheMaxKeepsTheCountAndRefusesAtOnce() {
    Limit ten = perMinute("c", 10, Scope.GRANT);
    for (int i = 0; i < 4; i++) {
      assertThat(quota.tryReserve("s", one(ten))).isInstanceOf(Outcome.Granted.class);
    }
    Limit three = perMinute("c", 3, Scope.GRANT); // the same counter in the next policy version
    assertThat(quota.available("s", three)).isZero();
    assertThat(quota.tryReserve("s", one(three))).isEqualTo(new Outcome.Exhausted(three, 60));
    advance(Duration.ofMinutes(1)); // the window that started at the reload ends
    assertThat(quota.available("s", three)).isEqualTo(3);
  }

  @Test
  void aReloadThatRaisesTheMaxLeavesOnlyTheDifference() {
    Limit three = perMinute("c", 3, Scope.SESSION);
    for (int i = 0; i < 3; i++) {
      quota.tryReserve("s", one(three));
    }
    assertThat(quota.tryReserve("s", one(three))).isInstanceOf(Outcome.Exhausted.class);
    Limit five = perMinute("c", 5, Scope.SESSION);
    assertThat(quota.available("s", five)).isEqualTo(2);
    assertThat(quota.tryReserve("s", Map.of(five, 2))).isInstanceOf(Outcome.Granted.class);
    assertThat(quota.tryReserve("s", one(five))).isInstanceOf(Outcome.Exhausted.class);
  }

  @Test
  void aReloadThatChangesTheWindowKeepsTheCountInAWindowStartingThen() {
    Limit minute = perMinute("c", 2, Scope.GLOBAL);
    quota.tryReserve("s", one(minute));
    quota.tryReserve("s", one(minute));
    advance(Duration.ofSeconds(50));
    Limit hour = new Limit("/tools/t/limits/0", "c", Duration.ofHours(1), "hour", 2, Scope.GLOBAL);
    Outcome o = quota.tryReserve("s", one(hour));
    assertThat(o).isEqualTo(new Outcome.Exhausted(hour, 3600));
    advance(Duration.ofMinutes(59));
    assertThat(quota.tryReserve("s", one(hour))).isInstanceOf(Outcome.Exhausted.class);
    advance(Duration.ofMinutes(1));
    assertThat(quota.tryReserve("s", one(hour))).isInstanceOf(Outcome.Granted.class);
  }

  @Test
  void anUnchangedLimitInANewVersionIsTheSameCount() {
    Limit v1 = perMinute("c", 3, Scope.SESSION);
    quota.tryReserve("s", one(v1));
    Limit v2 = new Limit("/tools/renamed/limits/0", "c", Duration.ofMinutes(1), "minute", 3,
        Scope.SESSION);
    assertThat(quota.available("s", v2)).isEqualTo(2);
  }
}
