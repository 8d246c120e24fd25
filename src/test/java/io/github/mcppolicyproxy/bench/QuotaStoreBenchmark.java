package io.github.mcppolicyproxy.bench;

import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.limits.SessionLimiters;
import io.github.mcppolicyproxy.limits.TieredQuota;
import io.github.mcppolicyproxy.limits.store.MemoryStore;
import io.github.mcppolicyproxy.limits.store.RedisServer;
import io.github.mcppolicyproxy.limits.store.RedisStore;
import io.github.mcppolicyproxy.limits.store.SqliteStore;
import io.github.mcppolicyproxy.limits.store.TimedStore;
import io.github.mcppolicyproxy.policy.Limit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one quota decision per store, as the proxy makes it: a call with one {@code grant}
 * and one {@code global} limit (always with room), reserved through the bounded store thread.
 * memory: this process; sqlite: a file in a temp dir (WAL, BEGIN IMMEDIATE); redis: a
 * redis-server started on a loopback port (one Lua script per call). Sampled: p50 and p99.
 *
 * <p>Run: {@code mvn -q test-compile exec:exec@bench -Dbench=QuotaStoreBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class QuotaStoreBenchmark {
  @Param({"memory", "sqlite", "redis"})
  public String store;

  private RedisServer redis;
  private Path dir;
  private TimedStore timed;
  private Quota quota;
  private Map<Limit, Integer> permits;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("quota-bench");
    TimedStore.Opener opener = switch (store) {
      case "memory" -> MemoryStore::new;
      case "sqlite" -> () -> new SqliteStore(dir.resolve("state.db"), 5000);
      default -> {
        redis = RedisServer.start();
        RedisStore r = new RedisStore(redis.uri(), Duration.ofSeconds(5));
        yield () -> r;
      }
    };
    timed = new TimedStore(opener, store, Duration.ofSeconds(5), Duration.ofSeconds(5));
    quota = new TieredQuota(new SessionLimiters(System::nanoTime), timed, "bench",
        Clock.systemUTC(), TieredQuota.FailMode.CLOSED, s -> { });
    permits = Map.of(
        new Limit("/tools/t/limits/0", "grant_rate", Duration.ofMinutes(1), "minute",
            Integer.MAX_VALUE, Limit.Scope.GRANT), 1,
        new Limit("/tools/t/limits/1", "global_rate", Duration.ofMinutes(1), "minute",
            Integer.MAX_VALUE, Limit.Scope.GLOBAL), 1);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    timed.close();
    if (redis != null) {
      redis.close();
    }
  }

  @Benchmark
  public Object reserve() {
    Quota.Outcome o = quota.reserve("s", permits);
    if (!(o instanceof Quota.Outcome.Granted)) {
      throw new IllegalStateException("not granted: " + o);
    }
    return o;
  }
}
