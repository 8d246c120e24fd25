package io.github.mcppolicyproxy.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcppolicyproxy.limits.Quota.Outcome;
import io.github.mcppolicyproxy.limits.store.MemoryStore;
import io.github.mcppolicyproxy.policy.Limit;
import io.github.mcppolicyproxy.policy.Limit.Scope;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quota on the memory store: all-or-nothing reservations, windows, scopes and refunds. */
class QuotaTest {
  /** A minute start far from zero (epoch-aligned), so nothing depends on the clock's origin. */
  private static final long MINUTE = 29_000_000L * 60_000L;
  private final FakeClock clock = new FakeClock(MINUTE);
  private final SessionLimiters sessions = new SessionLimiters(clock::nanos);
  private final Quota quota = new TieredQuota(sessions, new MemoryStore(), "team-a", clock,
      TieredQuota.FailMode.CLOSED, s -> { });

  private static Limit perMinute(String counter, int max, Scope scope) {
    return new Limit("/tools/t/limits/0", counter, Duration.ofMinutes(1), "minute", max, scope);
  }

  private void advance(Duration d) {
    clock.advance(d);
  }

  /** One permit of each limit, asked in the order given. */
  private static Map<Limit, Integer> onePermitEach(Limit... limits) {
    Map<Limit, Integer> permits = new LinkedHashMap<>();
    for (Limit l : limits) {
      permits.put(l, 1);
    }
    return permits;
  }

  private static Map<Limit, Integer> one(Limit l) {
    return Map.of(l, 1);
  }

  private Outcome take(String session, Map<Limit, Integer> permits) {
    return quota.reserve(session, permits);
  }

  @Test
  void tenPerMinuteThenRefusedWithTheSecondsLeftInTheWindow() {
    Limit l = perMinute("rate", 10, Scope.GRANT);
    for (int i = 0; i < 10; i++) {
      assertThat(take("s", one(l))).as("call %d", i + 1).isInstanceOf(Outcome.Granted.class);
    }
    advance(Duration.ofSeconds(18));

    assertThat(take("s", one(l))).isEqualTo(new Outcome.Exhausted(l, "grant team-a", 42));
  }

  @Test
  void sharedWindowsStartOnTheMinuteWhateverTheFirstUse() {
    Limit l = perMinute("rate", 1, Scope.GLOBAL);
    advance(Duration.ofSeconds(50));
    assertThat(take("s", one(l))).isInstanceOf(Outcome.Granted.class);
    assertThat(take("s", one(l))).isEqualTo(new Outcome.Exhausted(l, "global", 10));

    advance(Duration.ofSeconds(10)); // the next minute starts: a fresh window
    assertThat(take("s", one(l))).isInstanceOf(Outcome.Granted.class);
  }

  @Test
  void sessionWindowsCountFromFirstUse() {
    Limit l = perMinute("rate", 1, Scope.SESSION);
    advance(Duration.ofSeconds(50));
    take("s", one(l));
    advance(Duration.ofSeconds(10)); // a new minute, but the session cycle began 10 s ago

    assertThat(take("s", one(l))).isEqualTo(new Outcome.Exhausted(l, "session", 50));
  }

  @Test
  void retryAfterIsRoundedUpToAWholeSecond() {
    Limit l = perMinute("rate", 1, Scope.SESSION);
    take("s", one(l));
    advance(Duration.ofMillis(59_500));

    assertThat(((Outcome.Exhausted) take("s", one(l))).retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void windowEdgeIsExact() {
    for (Scope scope : Scope.values()) {
      Limit l = perMinute("edge-" + scope.wire(), 2, scope);
      take("s", one(l));
      take("s", one(l));
      advance(Duration.ofMillis(59_999));
      assertThat(take("s", one(l))).as(scope.wire()).isInstanceOf(Outcome.Exhausted.class);
      advance(Duration.ofMillis(1));
      assertThat(take("s", one(l))).as(scope.wire()).isInstanceOf(Outcome.Granted.class);
      assertThat(take("s", one(l))).as(scope.wire()).isInstanceOf(Outcome.Granted.class);
      assertThat(take("s", one(l))).as(scope.wire()).isInstanceOf(Outcome.Exhausted.class);
      advance(Duration.ofMinutes(1));
    }
  }

  @Test
  void unusedPermitsDoNotCarryOverIntoTheNextWindow() {
    Limit l = perMinute("rate", 3, Scope.SESSION);
    take("s", one(l));
    advance(Duration.ofMinutes(5));

    assertThat(sessions.available("s", l)).isEqualTo(3);
  }

  @Test
  void limitsThatShareACounterShareTheCount() {
    for (Scope scope : Scope.values()) {
      Limit a = new Limit("/tools/a/limits/0", "shared", Duration.ofMinutes(1), "minute", 3, scope);
      Limit b = new Limit("/tools/b/limits/0", "shared", Duration.ofMinutes(1), "minute", 3, scope);
      take("s", one(a));
      take("s", one(b));
      take("s", one(a));

      assertThat(take("s", one(b))).as(scope.wire()).isInstanceOf(Outcome.Exhausted.class);
    }
  }

  @Test
  void refusedCallTakesNothingFromALimitThatHadRoom() {
    Limit full = perMinute("full", 1, Scope.GRANT);
    Limit roomy = perMinute("roomy", 5, Scope.GRANT);
    Limit session = perMinute("roomy-session", 5, Scope.SESSION);
    take("s", one(full));
    Map<Limit, Integer> all = onePermitEach(roomy, session, full);

    Outcome o = take("s", all);

    assertThat(o).isInstanceOf(Outcome.Exhausted.class);
    assertThat(((Outcome.Exhausted) o).limit()).isEqualTo(full);
    assertThat(sessions.available("s", session)).isEqualTo(5);
    for (int i = 0; i < 5; i++) {
      assertThat(take("s", one(roomy))).as("roomy %d", i + 1).isInstanceOf(Outcome.Granted.class);
    }
  }

  @Test
  void aCallRefusedByItsLastSessionLimitGivesBackWhatItsFirstOnesTook() {
    Limit roomy = perMinute("roomy", 3, Scope.SESSION);
    Limit credited = perMinute("credited", 2, Scope.SESSION);
    Limit full = perMinute("full", 1, Scope.SESSION);
    take("s", one(full));
    // a refund leaves a credit in `credited`'s window: the refused calls below take it first
    quota.refund(((Outcome.Granted) take("s", one(credited))).reservation());
    Map<Limit, Integer> all = onePermitEach(roomy, credited, full); // `full` is asked last

    for (int i = 0; i < 5; i++) {
      Outcome o = take("s", all);
      assertThat(o).as("call %d", i + 1).isInstanceOf(Outcome.Exhausted.class);
      assertThat(((Outcome.Exhausted) o).limit()).isEqualTo(full);
    }

    assertThat(sessions.available("s", roomy)).isEqualTo(3);
    assertThat(sessions.available("s", credited)).isEqualTo(2);
    for (int i = 0; i < 3; i++) {
      assertThat(take("s", one(roomy))).as("roomy %d", i + 1).isInstanceOf(Outcome.Granted.class);
    }
    assertThat(take("s", one(roomy))).isInstanceOf(Outcome.Exhausted.class);
    assertThat(take("s", Map.of(credited, 2))).isInstanceOf(Outcome.Granted.class);
    assertThat(take("s", one(credited))).isInstanceOf(Outcome.Exhausted.class);
    advance(Duration.ofMinutes(1));
    assertThat(sessions.available("s", roomy)).isEqualTo(3);
    assertThat(sessions.available("s", credited)).as("no credit outlives its window").isEqualTo(2);
  }

  /**
   * A session limit's windows are its limiter's, counted from the instant the limiter was made;
   * the windows its refunds and credits count in must be the same ones, not the clock's minutes.
   */
  @Test
  void aRefundCountsInTheWindowsOfTheLimiterItWasTakenFrom() {
    advance(Duration.ofMillis(17_300)); // the limiter is made off the minute: its windows start here
    Limit l = perMinute("rate", 2, Scope.SESSION);
    take("s", one(l)); // its first window: [17.3 s, 77.3 s)
    advance(Duration.ofMillis(59_900)); // 77.2 s, past the clock's minute, still the first window
    Outcome.Granted late = (Outcome.Granted) take("s", one(l));
    assertThat(sessions.available("s", l)).isZero();

    quota.refund(late.reservation());
    assertThat(sessions.available("s", l)).as("given back in its own window").isEqualTo(1);
    Outcome.Granted again = (Outcome.Granted) take("s", one(l));
    advance(Duration.ofMillis(200)); // 77.4 s: the limiter's second window, full again
    quota.refund(again.reservation());

    assertThat(sessions.available("s", l)).as("nothing carried into the next window").isEqualTo(2);
  }

  @Test
  void aFullSessionLimitLeavesTheSharedCountersAlone() {
    Limit shared = perMinute("shared", 2, Scope.GRANT);
    Limit session = perMinute("mine", 1, Scope.SESSION);
    Map<Limit, Integer> both = Map.of(shared, 1, session, 1);
    assertThat(take("s", both)).isInstanceOf(Outcome.Granted.class);
    assertThat(take("s", both)).isInstanceOf(Outcome.Exhausted.class);

    assertThat(take("other", both)).isInstanceOf(Outcome.Granted.class);
  }

  @Test
  void sessionScopeCountsPerSession() {
    Limit l = perMinute("rate", 1, Scope.SESSION);

    assertThat(take("alice", one(l))).isInstanceOf(Outcome.Granted.class);
    assertThat(take("bob", one(l))).isInstanceOf(Outcome.Granted.class);
    assertThat(take("alice", one(l))).isInstanceOf(Outcome.Exhausted.class);
  }

  @Test
  void grantAndGlobalScopesAreSharedAcrossSessions() {
    for (Scope scope : new Scope[] {Scope.GRANT, Scope.GLOBAL}) {
      Limit l = perMinute("shared-" + scope.wire(), 1, scope);
      assertThat(take("alice", one(l))).isInstanceOf(Outcome.Granted.class);
      assertThat(take("bob", one(l))).as(scope.wire()).isInstanceOf(Outcome.Exhausted.class);
    }
  }

  @Test
  void sameCounterNameInDifferentScopesCountsApart() {
    assertThat(take("s", one(perMinute("c", 1, Scope.SESSION)))).isInstanceOf(Outcome.Granted.class);
    assertThat(take("s", one(perMinute("c", 1, Scope.GRANT)))).isInstanceOf(Outcome.Granted.class);
    assertThat(take("s", one(perMinute("c", 1, Scope.GLOBAL)))).isInstanceOf(Outcome.Granted.class);
  }

  @Test
  void severalPermitsAreTakenTogetherOrNotAtAll() {
    Limit l = perMinute("rate", 3, Scope.SESSION);

    assertThat(take("s", Map.of(l, 2))).isInstanceOf(Outcome.Granted.class);
    assertThat(take("s", Map.of(l, 2))).isInstanceOf(Outcome.Exhausted.class);
    assertThat(sessions.available("s", l)).isEqualTo(1);
  }

  @Test
  void morePermitsThanTheMaximumCanNeverBeGranted() {
    Limit l = perMinute("rate", 3, Scope.SESSION);

    assertThat(take("s", Map.of(l, 4))).isEqualTo(new Outcome.Exhausted(l, "session", 60));
    assertThat(sessions.available("s", l)).isEqualTo(3);
  }

  @Test
  void aRefundGivesBackEveryPermitOfTheCallInItsWindow() {
    Limit shared = perMinute("shared", 1, Scope.GRANT);
    Limit session = perMinute("mine", 1, Scope.SESSION);
    Map<Limit, Integer> both = Map.of(shared, 1, session, 1);
    Outcome.Granted g = (Outcome.Granted) take("s", both);
    assertThat(take("s", both)).isInstanceOf(Outcome.Exhausted.class);

    quota.refund(g.reservation());

    assertThat(take("s", both)).isInstanceOf(Outcome.Granted.class);
    assertThat(take("s", both)).isInstanceOf(Outcome.Exhausted.class);
  }

  @Test
  void aRefundAfterTheWindowEndedGivesNothingToTheNextWindow() {
    Limit session = perMinute("mine", 1, Scope.SESSION);
    Outcome.Granted g = (Outcome.Granted) take("s", one(session));
    advance(Duration.ofMinutes(1));
    assertThat(take("s", one(session))).isInstanceOf(Outcome.Granted.class);

    quota.refund(g.reservation());

    assertThat(take("s", one(session))).isInstanceOf(Outcome.Exhausted.class);
  }

  @Test
  void peekTakesNothing() {
    Limit shared = perMinute("shared", 1, Scope.GRANT);
    assertThat(quota.peek("s", one(shared))).isInstanceOf(Outcome.Granted.class);
    assertThat(quota.peek("s", one(shared))).isInstanceOf(Outcome.Granted.class);
    take("s", one(shared));
    assertThat(quota.peek("s", one(shared))).isInstanceOf(Outcome.Exhausted.class);
  }

  @Test
  void aReloadThatLowersTheMaxKeepsTheCountAndRefusesAtOnce() {
    Limit ten = perMinute("c", 10, Scope.SESSION);
    for (int i = 0; i < 4; i++) {
      assertThat(take("s", one(ten))).isInstanceOf(Outcome.Granted.class);
    }
    Limit three = perMinute("c", 3, Scope.SESSION); // the same counter in the next policy version
    assertThat(sessions.available("s", three)).isZero();
    Outcome o = take("s", one(three));
    assertThat(o).isInstanceOf(Outcome.Exhausted.class);
    assertThat(((Outcome.Exhausted) o).retryAfterSeconds()).isEqualTo(60);
    advance(Duration.ofMinutes(1)); // the window that started at the reload ends
    assertThat(sessions.available("s", three)).isEqualTo(3);
  }

  @Test
  void aReloadThatRaisesTheMaxLeavesOnlyTheDifference() {
    Limit three = perMinute("c", 3, Scope.SESSION);
    for (int i = 0; i < 3; i++) {
      take("s", one(three));
    }
    assertThat(take("s", one(three))).isInstanceOf(Outcome.Exhausted.class);
    Limit five = perMinute("c", 5, Scope.SESSION);
    assertThat(sessions.available("s", five)).isEqualTo(2);
    assertThat(take("s", Map.of(five, 2))).isInstanceOf(Outcome.Granted.class);
    assertThat(take("s", one(five))).isInstanceOf(Outcome.Exhausted.class);
  }

  @Test
  void aReloadThatChangesTheWindowKeepsTheCountInAWindowStartingThen() {
    Limit minute = perMinute("c", 2, Scope.SESSION);
    take("s", one(minute));
    take("s", one(minute));
    advance(Duration.ofSeconds(50));
    Limit hour = new Limit("/tools/t/limits/0", "c", Duration.ofHours(1), "hour", 2, Scope.SESSION);
    Outcome o = take("s", one(hour));
    assertThat(o).isInstanceOf(Outcome.Exhausted.class);
    assertThat(((Outcome.Exhausted) o).retryAfterSeconds()).isEqualTo(3600);
    advance(Duration.ofMinutes(59));
    assertThat(take("s", one(hour))).isInstanceOf(Outcome.Exhausted.class);
    advance(Duration.ofMinutes(1));
    assertThat(take("s", one(hour))).isInstanceOf(Outcome.Granted.class);
  }

  @Test
  void aReloadThatChangesASharedMaxAppliesToTheCountOfTheCurrentWindow() {
    Limit ten = perMinute("c", 10, Scope.GRANT);
    for (int i = 0; i < 4; i++) {
      assertThat(take("s", one(ten))).isInstanceOf(Outcome.Granted.class);
    }
    assertThat(take("s", one(perMinute("c", 4, Scope.GRANT)))).isInstanceOf(Outcome.Exhausted.class);
    assertThat(take("s", one(perMinute("c", 5, Scope.GRANT)))).isInstanceOf(Outcome.Granted.class);
  }

  @Test
  void anUnchangedLimitInANewVersionIsTheSameCount() {
    Limit v1 = perMinute("c", 3, Scope.SESSION);
    take("s", one(v1));
    Limit v2 = new Limit("/tools/renamed/limits/0", "c", Duration.ofMinutes(1), "minute", 3,
        Scope.SESSION);
    assertThat(sessions.available("s", v2)).isEqualTo(2);
  }

  @Test
  void sessionsTakenInTurnKeepTheirOwnCounts() {
    // the limiters remember a limit's counter for the last session asked: switching sessions
    // must never let one session's calls count against the other's
    Limit l = perMinute("rate", 3, Scope.SESSION);
    for (int i = 0; i < 3; i++) {
      assertThat(take("alice", one(l))).as("alice %d", i + 1).isInstanceOf(Outcome.Granted.class);
      assertThat(take("bob", one(l))).as("bob %d", i + 1).isInstanceOf(Outcome.Granted.class);
    }
    assertThat(take("alice", one(l))).isInstanceOf(Outcome.Exhausted.class);
    assertThat(take("bob", one(l))).isInstanceOf(Outcome.Exhausted.class);
    assertThat(take("carol", one(l))).isInstanceOf(Outcome.Granted.class);
  }

  @Test
  void everyCallOfThreeSessionLimitsIsCountedInEachExactly() {
    Limit minute = perMinute("m", 100, Scope.SESSION);
    Limit hour = new Limit("/tools/t/limits/1", "h", Duration.ofHours(1), "hour", 150,
        Scope.SESSION);
    Limit second = new Limit("/all_tools/limits/0", "all", Duration.ofSeconds(1), "second", 1000,
        Scope.SESSION);
    Map<Limit, Integer> permits = Map.of(minute, 1, hour, 1, second, 1);
    for (int i = 0; i < 100; i++) {
      assertThat(take("s", permits)).as("call %d", i + 1).isInstanceOf(Outcome.Granted.class);
    }
    advance(Duration.ofSeconds(20));
    assertThat(take("s", permits)).isEqualTo(new Outcome.Exhausted(minute, "session", 40));
    assertThat(sessions.available("s", minute)).isZero();
    assertThat(sessions.available("s", hour)).isEqualTo(50);
    assertThat(sessions.available("s", second)).isEqualTo(1000); // a new second
  }

  @Test
  void callsOfTwoPolicyVersionsInTurnShareOneCount() {
    // two Limit objects of one counter (a reload while calls of the old version are in flight)
    Limit v1 = perMinute("c", 5, Scope.SESSION);
    Limit v2 = new Limit("/tools/renamed/limits/0", "c", Duration.ofMinutes(1), "minute", 5,
        Scope.SESSION);
    for (int i = 0; i < 5; i++) {
      assertThat(take("s", one(i % 2 == 0 ? v1 : v2))).as("call %d", i + 1)
          .isInstanceOf(Outcome.Granted.class);
    }
    assertThat(take("s", one(v1))).isInstanceOf(Outcome.Exhausted.class);
    assertThat(take("s", one(v2))).isInstanceOf(Outcome.Exhausted.class);
  }

  @Test
  void everyLimitOfACallIsJudgedAtOneInstant() {
    // a clock that moves on every reading: the three limits of a call read it once between them
    java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
    SessionLimiters moving = new SessionLimiters(() -> clock.nanos() + reads.incrementAndGet());
    Limit a = perMinute("a", 5, Scope.SESSION);
    Limit b = perMinute("b", 5, Scope.SESSION);
    Limit c = perMinute("c", 5, Scope.SESSION);
    Map<Limit, Integer> permits = Map.of(a, 1, b, 1, c, 1);
    moving.take("s", permits); // makes the limiters
    long before = reads.get();

    SessionLimiters.Taken taken = moving.take("s", permits);

    assertThat(reads.get() - before).isEqualTo(1);
    assertThat(taken.refused()).isNull();
    assertThat(taken.cycles()).containsOnlyKeys(a, b, c);
    assertThat(moving.available("s", a)).isEqualTo(3);
  }
}
