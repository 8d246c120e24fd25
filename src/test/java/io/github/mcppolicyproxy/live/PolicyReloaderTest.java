package io.github.mcppolicyproxy.live;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.audit.JsonLinesViolationLog;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.policy.CommandInspector;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.PolicyEngine;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import io.github.mcppolicyproxy.policy.ToolCall;
import io.github.mcppolicyproxy.proxy.CallJudge;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyReloaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALLOW_READ = """
      {"version":"1","default":"deny","tools":{"read":{}}}
      """;
  private static final String ALLOW_READ_AND_WRITE = """
      {"version":"1","default":"deny","tools":{"read":{},"write":{}}}
      """;
  private static final String BROKEN = """
      {"version":"1",
       "default":"maybe",
       "tools":{"read":{"action":"explode"}}}
      """;

  @TempDir Path dir;
  private Path file;
  private Path logFile;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PrintStream stderr = new PrintStream(err, true, UTF_8);
  private final Quota quota = Quota.inMemory(new AtomicLong()::get, java.time.Clock.systemUTC());
  private LivePolicy live;
  private PolicyReloader reloader;
  private final List<String> swaps = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    file = dir.resolve("policy.json");
    logFile = dir.resolve("violations.jsonl");
    Files.writeString(file, ALLOW_READ, UTF_8);
    PolicyLoader loader = new PolicyLoader();
    live = new LivePolicy(judge(loader.load(file)), stderr);
    live.onSwap((old, now) -> swaps.add(old.engine().policy().sha256() + ">"
        + now.engine().policy().sha256()));
    JsonLinesViolationLog log = JsonLinesViolationLog.open(logFile, stderr, JSON, false);
    reloader = new PolicyReloader(() -> loader.load(file), this::judge, live, log, "s1",
        Clock.fixed(Instant.parse("2026-12-02T06:00:00Z"), ZoneOffset.UTC), stderr);
  }

  private CallJudge judge(Policy p) {
    return new CallJudge(new PolicyEngine(p, CommandInspector.NONE), quota);
  }

  private boolean allowed(String tool) {
    return live.get().judge(new ToolCall(tool, null), "s1") == null;
  }

  private List<JsonNode> logged() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(logFile, UTF_8)) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  @Test
  void aValidNewVersionAppliesToTheNextCallAndIsLoggedWithBothShas() throws Exception {
    String before = live.get().engine().policy().sha256();
    assertThat(allowed("write")).isFalse();
    Files.writeString(file, ALLOW_READ_AND_WRITE, UTF_8);

    PolicyReloader.Result r = reloader.reload("file changed");

    String after = live.get().engine().policy().sha256();
    assertThat(r).isEqualTo(new PolicyReloader.Result.Applied(before, after));
    assertThat(allowed("write")).isTrue();
    assertThat(swaps).containsExactly(before + ">" + after);
    JsonNode event = logged().get(0);
    assertThat(event.path("event").asText()).isEqualTo("policy_reloaded");
    assertThat(event.path("old_policy_sha256").asText()).isEqualTo(before);
    assertThat(event.path("policy_sha256").asText()).isEqualTo(after);
    assertThat(event.path("trigger").asText()).isEqualTo("file changed");
    assertThat(err.toString(UTF_8)).contains("policy reloaded (file changed)");
  }

  @Test
  void aReloadPrintsTheSameWarningsAsTheStartOnStderr() throws Exception {
    // valid, but its reason is never shown: the start would warn about it
    Files.writeString(file, """
        {"version":"1","default":"deny","tools":{"read":{},"write":{"reason":"never shown"}}}
        """, UTF_8);
    List<String> expected = io.github.mcppolicyproxy.policy.PolicyLint.warnings(
        new PolicyLoader().load(file));
    assertThat(expected).hasSize(1);

    assertThat(reloader.reload("file changed")).isInstanceOf(PolicyReloader.Result.Applied.class);

    List<String> lines = err.toString(UTF_8).lines().toList();
    assertThat(lines).contains("mcp-policy-proxy: warning: " + expected.get(0));
    assertThat(expected.get(0)).contains("/tools/write/reason: is never shown");
    assertThat(lines.indexOf("mcp-policy-proxy: warning: " + expected.get(0)))
        .as("after the line that says the reload applied")
        .isGreaterThan(lines.stream().filter(l -> l.contains("policy reloaded")).findFirst()
            .map(lines::indexOf).orElseThrow());
    err.reset();
    assertThat(reloader.reload("SIGHUP")).isInstanceOf(PolicyReloader.Result.Unchanged.class);
    assertThat(err.toString(UTF_8)).as("no reload, no warnings again").isEmpty();
  }

  @Test
  void aBrokenVersionChangesNothingAndListsEveryProblemWithPointerAndLine() throws Exception {
    String before = live.get().engine().policy().sha256();
    Files.writeString(file, BROKEN, UTF_8);

    PolicyReloader.Result r = reloader.reload("SIGHUP");

    assertThat(r).isInstanceOf(PolicyReloader.Result.Failed.class);
    List<?> problems = ((PolicyReloader.Result.Failed) r).problems();
    assertThat(problems).hasSizeGreaterThanOrEqualTo(2);
    assertThat(live.get().engine().policy().sha256()).isEqualTo(before);
    assertThat(allowed("read")).isTrue();
    assertThat(swaps).isEmpty();
    String text = err.toString(UTF_8);
    assertThat(text).contains("/default").contains("/tools/read/action").contains("(line 2")
        .contains("(line 3").contains("the policy in force (sha256 " + before.substring(0, 12)
            + ") stays");
    JsonNode event = logged().get(0);
    assertThat(event.path("event").asText()).isEqualTo("policy_reload_failed");
    assertThat(event.path("policy_sha256").asText()).isEqualTo(before);
    assertThat(event.path("problems")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(event.path("problems").findValuesAsText("pointer"))
        .contains("/default", "/tools/read/action");
    assertThat(event.path("problems").get(0).path("line").asInt()).isPositive();
  }

  @Test
  void aGoodVersionAfterABadOneApplies() throws Exception {
    Files.writeString(file, "{\"version\":", UTF_8);
    assertThat(reloader.reload("file changed")).isInstanceOf(PolicyReloader.Result.Failed.class);
    Files.writeString(file, ALLOW_READ_AND_WRITE, UTF_8);
    assertThat(reloader.reload("file changed")).isInstanceOf(PolicyReloader.Result.Applied.class);
    assertThat(allowed("write")).isTrue();
    assertThat(reloader.applied()).isEqualTo(1);
    assertThat(reloader.failed()).isEqualTo(1);
    assertThat(logged()).extracting(n -> n.path("event").asText())
        .containsExactly("policy_reload_failed", "policy_reloaded");
  }

  @Test
  void theSameBytesAgainAreNoReload() throws Exception {
    Files.writeString(file, ALLOW_READ, UTF_8); // touched, not changed
    assertThat(reloader.reload("file changed"))
        .isInstanceOf(PolicyReloader.Result.Unchanged.class);
    assertThat(swaps).isEmpty();
    assertThat(Files.size(logFile)).isZero();
  }

  @Test
  void aMissingFileIsAFailedReloadThatKeepsThePolicy() throws Exception {
    Files.delete(file);
    PolicyReloader.Result r = reloader.reload("file changed");
    assertThat(r).isInstanceOf(PolicyReloader.Result.Failed.class);
    assertThat(allowed("read")).isTrue();
  }
}
