package io.github.mcppolicyproxy.limits.store;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Counters in Redis (or Valkey) for proxies on many machines. A take is one round trip: an atomic
 * Lua script (EVALSHA, EVAL when the server does not know it yet) that checks every counter of
 * the call and increments all of them or none. Each window is a hash
 * {@code mcp-policy-proxy:{grant}:COUNTER:WINDOWSTART} that expires a minute after its window
 * ends. At most once: Lettuce's own reconnect (which re-sends commands in flight, so a take could
 * count twice or a give be given twice) is off; after a failure the next call connects anew, so
 * a Redis that returns is used again without a restart. Used from one thread (see
 * {@link TimedStore}).
 */
public final class RedisStore implements CounterStore {
  private static final long KEEP_AFTER_END_MS = 60_000;

  /** KEYS: the counters; ARGV: per key permits, max, scope, counter, start, end. */
  static final String TAKE = """
      local n = #KEYS
      for i = 1, n do
        local have = tonumber(redis.call('HGET', KEYS[i], 'n') or '0')
        if have + tonumber(ARGV[6*i-5]) > tonumber(ARGV[6*i-4]) then return i end
      end
      if ARGV[6*n+1] == 'peek' then return 0 end
      for i = 1, n do
        redis.call('HINCRBY', KEYS[i], 'n', ARGV[6*i-5])
        redis.call('HSET', KEYS[i], 'max', ARGV[6*i-4], 'scope', ARGV[6*i-3],
            'counter', ARGV[6*i-2], 'start', ARGV[6*i-1], 'end', ARGV[6*i])
        redis.call('PEXPIREAT', KEYS[i], tonumber(ARGV[6*i]) + %d)
      end
      return 0
      """.formatted(KEEP_AFTER_END_MS);

  /** KEYS: the counters; ARGV: permits to give back to each (never below zero). */
  static final String GIVE = """
      for i = 1, #KEYS do
        local have = tonumber(redis.call('HGET', KEYS[i], 'n') or '-1')
        if have > 0 then
          redis.call('HINCRBY', KEYS[i], 'n', -math.min(have, tonumber(ARGV[i])))
        end
      end
      return 0
      """;

  private final RedisURI uri;
  private final RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private String takeSha;
  private String giveSha;

  /**
   * A store at {@code uri} ({@code redis://} or {@code rediss://}); connects on first use.
   *
   * @throws IllegalArgumentException when {@code uri} is not a Redis URI, or is a {@code rediss://}
   *     one that turns certificate checks off ({@code verifyPeer=NONE}: anyone between the proxy
   *     and Redis could then forge the counts); the message never holds the password
   */
  public RedisStore(String uri, Duration timeout) {
    this.uri = parse(Objects.requireNonNull(uri, "uri"));
    this.uri.setTimeout(timeout);
    this.client = RedisClient.create();
    client.setOptions(ClientOptions.builder()
        .autoReconnect(false)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .build());
  }

  private static RedisURI parse(String uri) {
    RedisURI parsed;
    try {
      parsed = RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the Redis URI " + redacted(uri, uri) + " does not"
          + " parse (redis://[user:password@]host:port[/db] or rediss://...): "
          + redacted(uri, String.valueOf(e.getMessage())), e);
    }
    if (parsed.isSsl() && parsed.getVerifyMode() == SslVerifyMode.NONE) {
      throw new IllegalArgumentException("the Redis URI " + redacted(uri, uri) + " turns"
          + " certificate checks off (verifyPeer=NONE), which would let anyone between this proxy"
          + " and Redis forge the counts; trust the server's CA instead (see the README, Shared"
          + " counters)");
    }
    return parsed;
  }

  /** {@code text} with the password of {@code uri} (if it has one) masked. */
  static String redacted(String uri, String text) {
    int scheme = uri.indexOf("://");
    int at = uri.lastIndexOf('@');
    int colon = uri.indexOf(':', scheme + 3);
    if (scheme < 0 || at < scheme) {
      return text;
    }
    String password = colon > 0 && colon < at ? uri.substring(colon + 1, at)
        : uri.substring(scheme + 3, at); // redis://password@host: the password alone
    return password.isEmpty() ? text : text.replace(password, "***");
  }

  /** Connects now if it can (at start-up, so the first call need not wait); else on first use. */
  public void tryConnect() {
    try {
      redis();
    } catch (StoreException e) {
      // the first call reports it
    }
  }

  private RedisCommands<String, String> redis() throws StoreException {
    if (connection != null && !connection.isOpen()) {
      connection.closeAsync();
      connection = null; // lost: connect anew
    }
    if (connection == null) {
      try {
        connection = client.connect(uri);
      } catch (RedisException e) {
        throw new StoreException("cannot reach " + describe() + ": " + message(e), e);
      }
    }
    return connection.sync();
  }

  @Override
  public int take(List<Take> takes) throws StoreException {
    return script(takes, false);
  }

  @Override
  public int peek(List<Take> takes) throws StoreException {
    return script(takes, true);
  }

  private int script(List<Take> takes, boolean peek) throws StoreException {
    String[] keys = new String[takes.size()];
    String[] args = new String[takes.size() * 6 + 1];
    for (int i = 0; i < takes.size(); i++) {
      Take t = takes.get(i);
      keys[i] = t.key();
      args[6 * i] = Integer.toString(t.permits());
      args[6 * i + 1] = Integer.toString(t.max());
      args[6 * i + 2] = t.scope();
      args[6 * i + 3] = t.counter();
      args[6 * i + 4] = Long.toString(t.windowStart());
      args[6 * i + 5] = Long.toString(t.windowEnd());
    }
    args[args.length - 1] = peek ? "peek" : "take";
    Long full = run(TAKE, true, keys, args);
    return full == 0 ? ALL_TAKEN : (int) (full - 1);
  }

  @Override
  public void give(List<Take> takes) throws StoreException {
    String[] keys = takes.stream().map(Take::key).toArray(String[]::new);
    String[] args = takes.stream().map(t -> Integer.toString(t.permits())).toArray(String[]::new);
    run(GIVE, false, keys, args);
  }

  /** EVALSHA, or EVAL (which also loads the script) when the server has not seen it. */
  private Long run(String script, boolean take, String[] keys, String[] args)
      throws StoreException {
    RedisCommands<String, String> r = redis();
    String sha = take ? takeSha : giveSha;
    try {
      if (sha != null) {
        try {
          return r.evalsha(sha, ScriptOutputType.INTEGER, keys, args);
        } catch (RedisNoScriptException e) {
          // a restarted or flushed server: EVAL below loads it again
        }
      }
      Long result = r.eval(script, ScriptOutputType.INTEGER, keys, args);
      if (take) {
        takeSha = r.digest(script);
      } else {
        giveSha = r.digest(script);
      }
      return result;
    } catch (RedisException e) {
      throw new StoreException(describe() + ": " + message(e), e);
    }
  }

  @Override
  public List<CounterState> list(long nowMillis) throws StoreException {
    RedisCommands<String, String> r = redis();
    List<CounterState> out = new ArrayList<>();
    try {
      ScanIterator<String> keys = ScanIterator.scan(r,
          ScanArgs.Builder.matches(Take.PREFIX + "*").limit(500));
      while (keys.hasNext()) {
        Map<String, String> h = r.hgetall(keys.next());
        if (h.containsKey("end") && Long.parseLong(h.get("end")) > nowMillis) {
          out.add(new CounterState(h.get("scope"), h.get("counter"),
              Long.parseLong(h.get("start")), Long.parseLong(h.get("end")),
              Long.parseLong(h.getOrDefault("n", "0")), Long.parseLong(h.get("max"))));
        }
      }
    } catch (RedisException | NumberFormatException e) {
      throw new StoreException(describe() + ": " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public int reset(String scope, String counter) throws StoreException {
    RedisCommands<String, String> r = redis();
    try {
      ScanIterator<String> keys = ScanIterator.scan(r, ScanArgs.Builder
          .matches(Take.PREFIX + Take.scopeKey(scope) + ":" + counter + ":*").limit(500));
      int n = 0;
      while (keys.hasNext()) {
        n += (int) (long) r.del(keys.next());
      }
      return n;
    } catch (RedisException e) {
      throw new StoreException(describe() + ": " + e.getMessage(), e);
    }
  }

  private static String message(RedisException e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
  }

  @Override
  public String describe() {
    return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort()
        + (uri.getDatabase() == 0 ? "" : "/" + uri.getDatabase());
  }

  @Override
  public void close() {
    if (connection != null) {
      connection.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
  }
}
