package io.github.mcppolicyproxy.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mcppolicyproxy.limits.store.CounterState;
import io.github.mcppolicyproxy.limits.store.RedisServer;
import io.github.mcppolicyproxy.limits.store.RedisStore;
import io.github.mcppolicyproxy.limits.store.SqliteStore;
import io.github.mcppolicyproxy.limits.store.StoreException;
import io.github.mcppolicyproxy.limits.store.TimedStore;
import io.github.mcppolicyproxy.policy.Limit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst that crosses a window edge, on the embedded store and on a real redis-server, with an
 * injected clock: eight "processes" (each its own quota and SQLite or Redis connection) race, the
 * clock crosses the minute in the middle of the burst, and each window admits exactly its maximum.
 */
class WindowEdgeBurstTest {
  private static final long MINUTE = (System.currentTimeMillis() / 60_000 + 60) * 60_000;

  @TempDir
  Path dir;

  @Test
  void eachWindowOfABurstAdmitsExactlyItsMaximum() throws Exception {
    Path file = dir.resolve("state.db");
    burstAcrossTheEdge(() -> new SqliteStore(file, 30_000), "sqlite");
  }

  @Test
  void eachWindowOfABurstAdmitsExactlyItsMaximumOnRedis() throws Exception {
    assumeTrue(RedisServer.installed(), "redis-server is not installed");
    try (RedisServer redis = RedisServer.start()) {
      burstAcrossTheEdge(() -> new RedisStore(redis.uri(), Duration.ofSeconds(30)), "redis");
    }
  }

  /** Eight quotas, each with a store of its own from {@code opener}, burst across a minute. */
  private void burstAcrossTheEdge(TimedStore.Opener opener, String name) throws Exception {
    FakeClock clock = new FakeClock(MINUTE + 59_000);
    Limit limit = new Limit("/tools/t/limits/0", "burst", Duration.ofMinutes(1), "minute", 10,
        Limit.Scope.GRANT);
    AtomicInteger before = new AtomicInteger();
    AtomicInteger after = new AtomicInteger();
    // the last thread to arrive moves the clock over the edge while the others wait
    CyclicBarrier edge = new CyclicBarrier(8, () -> clock.advance(Duration.ofSeconds(1)));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<TieredQuota> quotas = new ArrayList<>();
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int t = 0; t < 8; t++) {
        TieredQuota q = new TieredQuota(new SessionLimiters(clock::nanos),
            new TimedStore(opener, name, Duration.ofSeconds(60), Duration.ofSeconds(30)),
            "team-a", clock, TieredQuota.FailMode.CLOSED, s -> { });
        quotas.add(q);
        done.add(pool.submit(() -> {
          for (int i = 0; i < 5; i++) {
            if (q.reserve("s", Map.of(limit, 1)) instanceof Quota.Outcome.Granted) {
              before.incrementAndGet();
            }
          }
          edge.await();
          for (int i = 0; i < 5; i++) {
            if (q.reserve("s", Map.of(limit, 1)) instanceof Quota.Outcome.Granted) {
              after.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      assertThat(before).hasValue(10);
      assertThat(after).hasValue(10);
      List<CounterState> windows = ((TimedStore) quotas.get(0).store()).list(MINUTE);
      assertThat(windows).extracting(CounterState::windowStart)
          .containsExactlyInAnyOrder(MINUTE, MINUTE + 60_000);
      assertThat(windows).allSatisfy(w -> assertThat(w.count()).isEqualTo(10));
    } finally {
      pool.shutdownNow();
      quotas.forEach(TieredQuota::close);
    }
  }

  @Test
  void anUnreachableStoreRefusesSharedLimitsWhenClosedAndCountsInMemoryWhenOpen()
      throws Exception {
    FakeClock clock = new FakeClock(MINUTE);
    Limit shared = new Limit("/tools/t/limits/0", "c", Duration.ofMinutes(1), "minute", 1,
        Limit.Scope.GLOBAL);
    Limit session = new Limit("/tools/u/limits/0", "s", Duration.ofMinutes(1), "minute", 1,
        Limit.Scope.SESSION);
    TimedStore.Opener broken = () -> {
      throw new StoreException("disk on fire");
    };
    List<String> notices = new ArrayList<>();
    try (TieredQuota closed = new TieredQuota(new SessionLimiters(clock::nanos),
        new TimedStore(broken, "broken", Duration.ofSeconds(5), Duration.ZERO), "g", clock,
        TieredQuota.FailMode.CLOSED, notices::add)) {
      assertThat(closed.reserve("s", Map.of(shared, 1))).isInstanceOf(Quota.Outcome.Unavailable.class);
      assertThat(closed.reserve("s", Map.of(session, 1)))
          .as("a call without shared limits goes on").isInstanceOf(Quota.Outcome.Granted.class);
      assertThat(closed.reserve("s", Map.of(shared, 1, session, 1)))
          .isInstanceOf(Quota.Outcome.Exhausted.class); // the session limit answers first
    }
    assertThat(notices).singleElement().asString().contains("disk on fire")
        .contains("quota_unavailable");
    try (TieredQuota open = new TieredQuota(new SessionLimiters(clock::nanos),
        new TimedStore(broken, "broken", Duration.ofSeconds(5), Duration.ZERO), "g", clock,
        TieredQuota.FailMode.OPEN, notices::add)) {
      Quota.Outcome first = open.reserve("s", Map.of(shared, 1));
      assertThat(first).isInstanceOf(Quota.Outcome.Granted.class);
      assertThat(((Quota.Outcome.Granted) first).reservation().fallback()).isTrue();
      assertThat(open.reserve("s", Map.of(shared, 1))).isInstanceOf(Quota.Outcome.Exhausted.class);
      open.refund(((Quota.Outcome.Granted) first).reservation());
      assertThat(open.reserve("s", Map.of(shared, 1))).isInstanceOf(Quota.Outcome.Granted.class);
    }
    assertThat(notices.get(1)).contains("this process's memory");
  }
}
