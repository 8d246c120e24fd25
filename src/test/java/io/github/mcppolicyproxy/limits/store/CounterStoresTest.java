package io.github.mcppolicyproxy.limits.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three stores against the same contract, on real servers: a SQLite file in a temp dir and
 * a redis-server on a loopback port. Eight threads, each with a store of its own (as eight
 * processes would have), race for the same counters.
 */
class CounterStoresTest {
  /** A minute a day from now: Redis expires keys of windows that ended, so no window of the past. */
  private static final long START =
      (System.currentTimeMillis() / 60_000 + 24 * 60) * 60_000;
  private static RedisServer redis;

  @TempDir
  Path dir;

  @BeforeAll
  static void startRedis() throws Exception {
    if (RedisServer.installed()) {
      redis = RedisServer.start();
    }
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  private static Take take(String scope, String counter, int max) {
    return new Take(scope, counter, START, START + 60_000, 1, max);
  }

  private Supplier<CounterStore> sqlite() {
    Path file = dir.resolve("state.db");
    return () -> {
      try {
        return new SqliteStore(file, 10_000);
      } catch (StoreException e) {
        throw new AssertionError(e);
      }
    };
  }

  private Supplier<CounterStore> redisStores(String prefixCounter) {
    assumeTrue(redis != null, "redis-server is not installed");
    return () -> new RedisStore(redis.uri(), Duration.ofSeconds(10));
  }

  /** Eight stores, 8 x 60 takes of two counters (max 100 and 70): exactly 70 calls take both. */
  private void exactAdmissionUnderContention(Supplier<CounterStore> stores, String name)
      throws Exception {
    Take a = take("grant team-a", name + "-a", 100);
    Take b = take("global", name + "-b", 70);
    AtomicInteger admitted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    List<CounterStore> opened = new ArrayList<>();
    try {
      for (int t = 0; t < 8; t++) {
        CounterStore s = stores.get();
        opened.add(s);
        done.add(pool.submit((Callable<Void>) () -> {
          for (int i = 0; i < 60; i++) {
            if (s.take(List.of(a, b)) == CounterStore.ALL_TAKEN) {
              admitted.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      assertThat(admitted).hasValue(70);
      List<CounterState> states = opened.get(0).list(START);
      assertThat(states).filteredOn(c -> c.counter().equals(name + "-a"))
          .singleElement().satisfies(c -> {
            assertThat(c.count()).isEqualTo(70); // the refused calls took nothing from "a"
            assertThat(c.max()).isEqualTo(100);
            assertThat(c.scope()).isEqualTo("grant team-a");
            assertThat(c.resetMillis()).isEqualTo(START + 60_000);
          });
    } finally {
      pool.shutdownNow();
      opened.forEach(CounterStore::close);
    }
  }

  @Test
  void memoryAdmitsExactlyTheMaximumUnderContention() throws Exception {
    MemoryStore shared = new MemoryStore();
    exactAdmissionUnderContention(() -> shared, "memory");
  }

  @Test
  void sqliteAdmitsExactlyTheMaximumUnderContention() throws Exception {
    exactAdmissionUnderContention(sqlite(), "sqlite");
  }

  @Test
  void redisAdmitsExactlyTheMaximumUnderContention() throws Exception {
    exactAdmissionUnderContention(redisStores("redis"), "redis");
  }

  private void countsSurviveAReopenAndGiveAndResetWork(Supplier<CounterStore> stores, String name)
      throws Exception {
    Take t = take("grant team-a", name, 3);
    Take other = take("grant team-b", name, 3);
    try (CounterStore s = stores.get()) {
      assertThat(s.take(List.of(t))).isEqualTo(CounterStore.ALL_TAKEN);
      assertThat(s.take(List.of(t))).isEqualTo(CounterStore.ALL_TAKEN);
      assertThat(s.take(List.of(other))).isEqualTo(CounterStore.ALL_TAKEN);
    }
    try (CounterStore s = stores.get()) { // a restart: a new connection, the same file or server
      assertThat(s.peek(List.of(t.withPermits(2)))).isZero();
      assertThat(s.take(List.of(t))).isEqualTo(CounterStore.ALL_TAKEN);
      assertThat(s.take(List.of(t))).isZero();
      s.give(List.of(t.withPermits(2)));
      s.give(List.of(t.withPermits(5))); // never below zero
      assertThat(s.take(List.of(t.withPermits(3)))).isEqualTo(CounterStore.ALL_TAKEN);
      assertThat(s.reset("grant team-a", name)).isEqualTo(1);
      assertThat(s.take(List.of(t.withPermits(3)))).isEqualTo(CounterStore.ALL_TAKEN);
      assertThat(s.list(START)).filteredOn(c -> c.scope().equals("grant team-b")
          && c.counter().equals(name)).singleElement()
          .satisfies(c -> assertThat(c.count()).isEqualTo(1)); // another grant, untouched
      assertThat(s.list(START + 60_000)).isEmpty(); // ended windows are not listed
    }
  }

  @Test
  void sqliteKeepsCountsAcrossARestart() throws Exception {
    countsSurviveAReopenAndGiveAndResetWork(sqlite(), "restart");
  }

  @Test
  void redisKeepsCountsAcrossARestartOfTheProxy() throws Exception {
    countsSurviveAReopenAndGiveAndResetWork(redisStores("restart"), "restart");
  }

  @Test
  void redisKeysArePrefixedPerGrantAndExpire() throws Exception {
    assumeTrue(redis != null, "redis-server is not installed");
    long now = System.currentTimeMillis();
    long start = now - now % 60_000;
    Take t = new Take("grant team-a", "ttl", start, start + 60_000, 1, 5);
    try (RedisStore s = new RedisStore(redis.uri(), Duration.ofSeconds(10))) {
      s.take(List.of(t));
    }
    io.lettuce.core.RedisClient c = io.lettuce.core.RedisClient.create(redis.uri());
    try (var conn = c.connect()) {
      String key = "mcp-policy-proxy:{team-a}:ttl:" + start;
      assertThat(conn.sync().hget(key, "n")).isEqualTo("1");
      long ttl = conn.sync().pttl(key);
      assertThat(ttl).isPositive().isLessThanOrEqualTo(120_000);
    } finally {
      c.shutdown();
    }
  }

  @Test
  void aStoreThatDoesNotAnswerInTimeIsAnOutageAndALateTakeIsGivenBack() throws Exception {
    MemoryStore inner = new MemoryStore();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    CounterStore slow = new CounterStore() {
      @Override
      public int take(List<Take> takes) throws StoreException {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return inner.take(takes);
      }

      @Override
      public int peek(List<Take> takes) {
        return inner.peek(takes);
      }

      @Override
      public void give(List<Take> takes) {
        inner.give(takes);
      }

      @Override
      public List<CounterState> list(long nowMillis) {
        return inner.list(nowMillis);
      }

      @Override
      public int reset(String scope, String counter) {
        return inner.reset(scope, counter);
      }

      @Override
      public String describe() {
        return "slow";
      }

      @Override
      public void close() {}
    };
    Take t = take("global", "slow", 1);
    try (TimedStore timed = new TimedStore(() -> slow, "slow", Duration.ofMillis(100),
        Duration.ZERO)) {
      long before = System.nanoTime();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> timed.take(List.of(t)))
          .isInstanceOf(StoreException.class).hasMessageContaining("did not answer within");
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
      release.countDown();
      // the late take ran, saw its caller gone and gave its permit back
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> timed.peek(List.of(t)) == CounterStore.ALL_TAKEN
              && inner.list(START).stream().allMatch(c -> c.count() == 0));
    }
  }
}
