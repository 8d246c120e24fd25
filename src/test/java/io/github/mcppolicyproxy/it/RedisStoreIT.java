package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mcppolicyproxy.limits.store.RedisServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged proxy against real redis-servers the way operators run them: an ACL user in a
 * database other than 0, a wrong password, TLS with a private CA (trusted through the JVM's trust
 * store, and not trusted), and the store and grant named by {@code MCP_POLICY_PROXY_STATE} and
 * {@code MCP_POLICY_PROXY_GRANT} alone.
 */
class RedisStoreIT {
  private static final String META = "io.github.mcp-policy-proxy/refusal";
  private static final Duration SLOW = Duration.ofMinutes(2);
  /** Two a day for the grant (a day: no window edge inside a run); suggest has no limits. */
  private static final String TWO_A_DAY = """
      {"version":"1","default":"deny","tools":{
        "standin_echo":{"limits":[{"counter":"echo","window":"day","max":2,"scope":"grant"}]},
        "suggest_aws_commands":{}}}""";

  @TempDir
  Path dir;

  private Path policy() throws IOException {
    return ProxyProcess.write(dir, "two.policy.json", TWO_A_DAY);
  }

  /** A proxy of the stand-in with {@code args} before {@code --}, extra env and JVM options. */
  private ProxyProcess proxy(String session, List<String> args, Map<String, String> env,
      List<String> jvm) throws IOException {
    List<String> all = new ArrayList<>(List.of("--policy", policy().toString(),
        "--violation-log", dir.resolve("violations-" + session + ".jsonl").toString(),
        "--session-id", session, "--state-timeout-ms", "20000"));
    all.addAll(args);
    all.add("--");
    all.addAll(List.of(ProxyProcess.java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Xmx64m", "-cp", ProxyProcess.jar().toString(), ProxyProcess.STAND_IN, "--test-tools"));
    List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Xmx96m", "-Duser.home=" + dir)); // never the home's state.db, whatever happens
    options.addAll(jvm);
    return ProxyProcess.start(all, env, options);
  }

  private ProxyProcess proxy(String session, String state, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("--state", state, "--grant", "team-a"));
    all.addAll(List.of(args));
    return proxy(session, all, Map.of(), List.of());
  }

  private static JsonNode call(ProxyProcess p, int id, String tool, String arguments)
      throws Exception {
    p.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":"
        + "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}");
    while (true) {
      JsonNode n = ProxyProcess.JSON.readTree(p.nextLine(SLOW));
      if (!n.has("method") && n.path("id").asInt(-1) == id) {
        return n;
      }
    }
  }

  private static JsonNode echo(ProxyProcess p, int id) throws Exception {
    return call(p, id, "standin_echo", "{\"n\":" + id + "}");
  }

  private static boolean allowed(JsonNode answer) {
    return answer.has("result") && !answer.path("result").path("isError").asBoolean();
  }

  private static JsonNode refusal(JsonNode answer) {
    return answer.path("result").path("_meta").path(META);
  }

  private static void initialize(List<ProxyProcess> proxies) throws Exception {
    for (ProxyProcess p : proxies) { // all starting at once: the slowest sets the pace
      p.send("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
          + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
          + "\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}");
    }
    for (ProxyProcess p : proxies) {
      assertThat(ProxyProcess.JSON.readTree(p.nextLine(SLOW)).path("id").asInt(-1)).isZero();
      p.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }
  }

  /** The counts of every window of {@code counter}, per grant key, in database {@code db}. */
  private static Map<String, String> counts(RedisURI uri, String counter, SslOptions ssl) {
    RedisClient c = RedisClient.create();
    if (ssl != null) {
      c.setOptions(ClientOptions.builder().sslOptions(ssl).build());
    }
    try (var conn = c.connect(uri)) {
      RedisCommands<String, String> r = conn.sync();
      Map<String, String> out = new HashMap<>();
      for (String key : r.keys("mcp-policy-proxy:*:" + counter + ":*")) {
        out.put(key.substring(0, key.lastIndexOf(':')), r.hget(key, "n"));
      }
      return out;
    } finally {
      c.shutdown();
    }
  }

  @Test
  void anAclUserInDatabaseFiveSharesCountersAndAWrongPasswordFailsClosedTellingTheClientWhy()
      throws Exception {
    assumeTrue(RedisServer.installed(), "redis-server is not installed");
    List<String> options = new ArrayList<>(List.of("--user", "default", "off",
        "--user", "admin", "on", ">admin-pw", "~*", "+@all",
        "--user", "proxy", "on", ">s3cret-pw"));
    options.addAll(RedisServer.PROXY_ACL);
    try (RedisServer redis = RedisServer.start(options)) {
      String at = "@127.0.0.1:" + redis.port() + "/5";
      String wrong = "redis://proxy:wr0ng-pw" + at;
      // the environment names another grant: --grant wins
      try (ProxyProcess good = proxy("good", List.of("--state", "redis://proxy:s3cret-pw" + at,
              "--grant", "team-a"), Map.of("MCP_POLICY_PROXY_GRANT", "not-this-one"), List.of());
          ProxyProcess bad = proxy("bad", wrong)) {
        initialize(List.of(good, bad));
        assertThat(allowed(echo(good, 1))).as("stderr:\n%s", good.stderr()).isTrue();

        JsonNode refused = echo(bad, 1);
        assertThat(refusal(refused).path("code").asText()).isEqualTo("quota_unavailable");
        assertThat(refusal(refused).path("retry_after_seconds").asInt()).isPositive();
        assertThat(refused.path("result").path("content").get(0).path("text").asText())
            .as("the client hears why").contains("redis://127.0.0.1:" + redis.port() + "/5")
            .contains("WRONGPASS").doesNotContain("wr0ng-pw");
        assertThat(allowed(call(bad, 2, "suggest_aws_commands", "{\"query\":\"list buckets\"}")))
            .as("a call without shared limits goes on").isTrue();
        bad.assertStderrContains("WRONGPASS", "quota_unavailable");
        Path log = dir.resolve("violations-bad.jsonl");
        Awaitility.await().atMost(SLOW).until(() -> Files.exists(log)
            && Files.readString(log).contains("\"code\":\"quota_unavailable\""));
        assertThat(bad.stderr() + Files.readString(log)).doesNotContain("wr0ng-pw");
      }
      // the count went to database 5, and only there (a second connection looks)
      RedisURI admin = RedisURI.create("redis://admin:admin-pw@127.0.0.1:" + redis.port());
      admin.setDatabase(5);
      assertThat(counts(admin, "echo", null)).containsOnly(
          Map.entry("mcp-policy-proxy:{team-a}:echo", "1"));
      admin.setDatabase(0);
      assertThat(counts(admin, "echo", null)).isEmpty();

      Run counters = runProxy(List.of("counters", "--state", wrong, "--state-timeout-ms", "20000"));
      assertThat(counters.exit).as("counters with a wrong password: " + counters.stderr)
          .isEqualTo(3);
      assertThat(counters.stderr).contains("WRONGPASS").doesNotContain("wr0ng-pw");
    }
  }

  @Test
  void aTlsStoreIsUsedWhenTheJvmTrustsItsCaAndRefusedWhenItDoesNot() throws Exception {
    assumeTrue(RedisServer.installed(), "redis-server is not installed");
    Path ca = dir.resolve("ca.crt");
    Path cert = dir.resolve("redis.crt");
    Path key = dir.resolve("redis.key");
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", dir.resolve("ca.key").toString(), "-out", ca.toString(), "-days",
        "2", "-subj", "/CN=mcp-policy-proxy test CA");
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key.toString(), "-out", dir.resolve("redis.csr").toString(),
        "-subj", "/CN=127.0.0.1");
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl("x509", "-req", "-in", dir.resolve("redis.csr").toString(), "-CA", ca.toString(),
        "-CAkey", dir.resolve("ca.key").toString(), "-set_serial", "2", "-days", "2",
        "-extfile", dir.resolve("san.ext").toString(), "-out", cert.toString());
    // the operator's trust store: the private CA in PKCS12, as keytool -importcert makes it
    Path trust = dir.resolve("trust.p12");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (InputStream in = Files.newInputStream(ca)) {
      store.setCertificateEntry("redis-ca",
          CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    try (OutputStream out = Files.newOutputStream(trust)) {
      store.store(out, "changeit".toCharArray());
    }
    try (RedisServer redis = RedisServer.startTls(cert, key)) {
      assertThat(redis.uri()).startsWith("rediss://");
      try (ProxyProcess trusting = proxy("trusting", List.of("--state", redis.uri(),
              "--grant", "team-a"), Map.of(), List.of("-Djavax.net.ssl.trustStore=" + trust,
              "-Djavax.net.ssl.trustStorePassword=changeit"));
          ProxyProcess untrusting = proxy("untrusting", redis.uri())) {
        initialize(List.of(trusting, untrusting));
        assertThat(allowed(echo(trusting, 1))).as("stderr:\n%s", trusting.stderr()).isTrue();
        JsonNode refused = echo(untrusting, 1);
        assertThat(refusal(refused).path("code").asText()).isEqualTo("quota_unavailable");
        assertThat(refusal(refused).path("reason").asText()).contains(redis.uri())
            .contains("unable to find valid certification path");
        untrusting.assertStderrContains("unable to find valid certification path");
        assertThat(allowed(echo(trusting, 2))).isTrue();
        assertThat(refusal(echo(trusting, 3)).path("code").asText()).isEqualTo("rate_limited");
      }
      SslOptions ssl = SslOptions.builder().jdkSslProvider().trustManager(ca.toFile()).build();
      assertThat(counts(RedisURI.create(redis.uri()), "echo", ssl)).containsOnly(
          Map.entry("mcp-policy-proxy:{team-a}:echo", "2"));
    }
  }

  @Test
  void proxiesGivenTheSameGrantByTheEnvironmentShareItsCountersAndOthersDoNot()
      throws Exception {
    assumeTrue(RedisServer.installed(), "redis-server is not installed");
    try (RedisServer redis = RedisServer.start()) {
      Map<String, String> teamA = Map.of("MCP_POLICY_PROXY_STATE", redis.uri(),
          "MCP_POLICY_PROXY_GRANT", "team-a");
      Map<String, String> teamB = Map.of("MCP_POLICY_PROXY_STATE", redis.uri(),
          "MCP_POLICY_PROXY_GRANT", "team-b");
      try (ProxyProcess a1 = proxy("a1", List.of(), teamA, List.of());
          ProxyProcess a2 = proxy("a2", List.of(), teamA, List.of());
          ProxyProcess b = proxy("b", List.of(), teamB, List.of())) {
        initialize(List.of(a1, a2, b));
        assertThat(allowed(echo(a1, 1))).as("stderr:\n%s", a1.stderr()).isTrue();
        assertThat(allowed(echo(a2, 1))).isTrue();
        JsonNode third = echo(a1, 2);
        assertThat(refusal(third).path("code").asText()).isEqualTo("rate_limited");
        assertThat(refusal(third).path("scope").asText()).isEqualTo("grant team-a");
        assertThat(refusal(echo(a2, 2)).path("code").asText()).isEqualTo("rate_limited");
        assertThat(allowed(echo(b, 1))).as("team-b counts on its own").isTrue();
      }
      assertThat(counts(RedisURI.create(redis.uri()), "echo", null)).containsOnly(
          Map.entry("mcp-policy-proxy:{team-a}:echo", "2"),
          Map.entry("mcp-policy-proxy:{team-b}:echo", "1"));
    }
  }

  private void openssl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Run r = exec(cmd);
    assertThat(r.exit).as("openssl %s: %s", String.join(" ", args), r.stderr).isZero();
  }

  private record Run(int exit, String stdout, String stderr) {}

  /** Runs {@code mcp-policy-proxy ARGS} to its end. */
  private Run runProxy(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProxyProcess.java(), "-Duser.home=" + dir, "-jar",
        ProxyProcess.jar().toString()));
    cmd.addAll(args);
    return exec(cmd);
  }

  /** Runs {@code cmd} to its end, with nothing on its stdin. */
  private static Run exec(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread errReader = new Thread(() -> {
      try {
        p.getErrorStream().transferTo(err);
      } catch (IOException e) {
        // ended
      }
    });
    errReader.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("%s ended", cmd).isTrue();
    errReader.join(10_000);
    return new Run(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
  }
}
