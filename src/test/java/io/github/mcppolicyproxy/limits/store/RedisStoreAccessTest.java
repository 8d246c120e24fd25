package io.github.mcppolicyproxy.limits.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis store against a real redis-server that needs an ACL user, with databases other than
 * 0, and across restarts of Redis itself (with and without persistence).
 */
class RedisStoreAccessTest {
  /** A minute a day from now: Redis expires keys of windows that ended. */
  private static final long START = (System.currentTimeMillis() / 60_000 + 24 * 60) * 60_000;
  private static RedisServer acl;

  @TempDir
  Path dir;

  @BeforeAll
  static void startRedisWithUsers() throws Exception {
    if (RedisServer.installed()) {
      List<String> options = new ArrayList<>(List.of("--user", "default", "off",
          "--user", "admin", "on", ">admin-pw", "~*", "+@all",
          "--user", "proxy", "on", ">s3cret-pw"));
      options.addAll(RedisServer.PROXY_ACL);
      options.addAll(List.of("--user", "reader", "on", ">reader-pw", "~*", "+@read", "+select"));
      acl = RedisServer.start(options);
    }
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (acl != null) {
      acl.close();
    }
  }

  private static Take take(String counter, int max) {
    return new Take("grant team-a", counter, START, START + 60_000, 1, max);
  }

  private static String uri(String userInfo, int db) {
    return "redis://" + userInfo + "127.0.0.1:" + acl.port() + (db == 0 ? "" : "/" + db);
  }

  /** Runs {@code check} on a connection of the admin user to database {@code db}. */
  private static void asAdmin(int db, Consumer<StatefulRedisConnection<String, String>> check) {
    RedisClient c = RedisClient.create(uri("admin:admin-pw@", db));
    try (StatefulRedisConnection<String, String> conn = c.connect()) {
      check.accept(conn);
    } finally {
      c.shutdown();
    }
  }

  @Test
  void anAclUserWithTheReadmesPermissionsCountsListsAndResets() throws Exception {
    assumeTrue(acl != null, "redis-server is not installed");
    Take t = take("acl", 2);
    try (RedisStore s = new RedisStore(uri("proxy:s3cret-pw@", 0), Duration.ofSeconds(10))) {
      assertThat(s.take(List.of(t))).isEqualTo(CounterStore.ALL_TAKEN);
      assertThat(s.take(List.of(t))).isEqualTo(CounterStore.ALL_TAKEN);
      assertThat(s.take(List.of(t))).isZero();
      s.give(List.of(t));
      assertThat(s.list(START)).filteredOn(c -> c.counter().equals("acl")).singleElement()
          .satisfies(c -> assertThat(c.count()).isEqualTo(1));
      assertThat(s.reset("grant team-a", "acl")).isEqualTo(1);
    }
  }

  @Test
  void aWrongPasswordOrNoUserIsAnOutageThatSaysWhyWithoutThePassword() throws Exception {
    assumeTrue(acl != null, "redis-server is not installed");
    try (RedisStore s = new RedisStore(uri("proxy:not-the-pw@", 0), Duration.ofSeconds(10))) {
      assertThatThrownBy(() -> s.take(List.of(take("wrong", 5))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("WRONGPASS")
          .hasMessageNotContaining("not-the-pw");
    }
    try (RedisStore s = new RedisStore(uri("", 0), Duration.ofSeconds(10))) {
      assertThatThrownBy(() -> s.take(List.of(take("wrong", 5))))
          .isInstanceOf(StoreException.class).hasMessageContaining("NOAUTH");
    }
    asAdmin(0, c -> assertThat(c.sync().keys("mcp-policy-proxy:*wrong*")).isEmpty());
  }

  @Test
  void aUserWithoutTheScriptCommandsIsAnOutageThatSaysWhy() throws Exception {
    assumeTrue(acl != null, "redis-server is not installed");
    try (RedisStore s = new RedisStore(uri("reader:reader-pw@", 0), Duration.ofSeconds(10))) {
      assertThatThrownBy(() -> s.take(List.of(take("noperm", 5))))
          .isInstanceOf(StoreException.class).hasMessageContaining("NOPERM");
    }
  }

  @Test
  void countersLiveInTheDatabaseTheUriNamesAndNowhereElse() throws Exception {
    assumeTrue(acl != null, "redis-server is not installed");
    Take t = take("db", 1);
    try (RedisStore db5 = new RedisStore(uri("proxy:s3cret-pw@", 5), Duration.ofSeconds(10));
        RedisStore db0 = new RedisStore(uri("proxy:s3cret-pw@", 0), Duration.ofSeconds(10))) {
      assertThat(db5.take(List.of(t))).isEqualTo(CounterStore.ALL_TAKEN);
      assertThat(db5.take(List.of(t))).as("db 5 is full").isZero();
      assertThat(db0.take(List.of(t))).as("db 0 counts on its own")
          .isEqualTo(CounterStore.ALL_TAKEN);
      assertThat(db0.reset("grant team-a", "db")).isEqualTo(1);
      assertThat(db5.list(START)).filteredOn(c -> c.counter().equals("db")).singleElement()
          .satisfies(c -> assertThat(c.count()).isEqualTo(1));
      assertThat(db5.describe()).endsWith("/5").doesNotContain("s3cret");
    }
    // a second connection sees the key in database 5 and not in database 0
    asAdmin(5, c -> assertThat(c.sync().hget(t.key(), "n")).isEqualTo("1"));
    asAdmin(0, c -> assertThat(c.sync().exists(t.key())).isZero());
  }

  @Test
  void aRedisThatRestartsEmptyForgetsTheCountsAndOneThatPersistsKeepsThem() throws Exception {
    assumeTrue(RedisServer.installed(), "redis-server is not installed");
    Take t = take("restart", 2);
    try (RedisServer plain = RedisServer.start();
        RedisServer aof = RedisServer.start(List.of("--appendonly", "yes",
            "--dir", dir.toString()))) {
      for (RedisServer r : List.of(plain, aof)) {
        try (RedisStore s = new RedisStore(r.uri(), Duration.ofSeconds(10))) {
          assertThat(s.take(List.of(t.withPermits(2)))).isEqualTo(CounterStore.ALL_TAKEN);
          assertThat(s.take(List.of(t))).isZero();
        }
        r.stop();
        r.startAgain();
      }
      try (RedisStore s = new RedisStore(plain.uri(), Duration.ofSeconds(10))) {
        assertThat(s.list(START)).as("no persistence: the window starts from zero").isEmpty();
        assertThat(s.take(List.of(t.withPermits(2)))).isEqualTo(CounterStore.ALL_TAKEN);
      }
      try (RedisStore s = new RedisStore(aof.uri(), Duration.ofSeconds(10))) {
        assertThat(s.take(List.of(t))).as("the append-only file kept the count").isZero();
        assertThat(s.list(START)).singleElement()
            .satisfies(c -> assertThat(c.count()).isEqualTo(2));
      }
    }
  }

  @Test
  void aUriThatIsNotRedisOrTurnsCertificateChecksOffIsRefusedWithoutThePassword() {
    assertThatThrownBy(() -> new RedisStore("redis://u:pa55word@127.0.0.1:6379/abc",
        Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not parse").hasMessageContaining("redis://u:***@")
        .hasMessageNotContaining("pa55word");
    assertThatThrownBy(() -> new RedisStore("rediss://u:pa55word@127.0.0.1:6379?verifyPeer=NONE",
        Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("verifyPeer=NONE").hasMessageNotContaining("pa55word");
    // checking the chain without the host name is the operator's choice, and allowed
    new RedisStore("rediss://127.0.0.1:6379?verifyPeer=CA", Duration.ofSeconds(1)).close();
  }
}
