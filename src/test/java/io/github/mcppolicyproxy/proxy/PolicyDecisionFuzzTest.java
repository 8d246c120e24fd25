package io.github.mcppolicyproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.audit.JsonLinesViolationLog;
import io.github.mcppolicyproxy.jsonrpc.EnvelopeScanner;
import io.github.mcppolicyproxy.jsonrpc.FrameReader;
import io.github.mcppolicyproxy.jsonrpc.FrameWriter;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.policy.CommandInspector;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.PolicyEngine;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the whole client-side decision: for a random policy of tool-level rules and a random
 * {@code tools/call} frame (tool names from a small alphabet with look-alikes, names and keys
 * sometimes spelled with escapes, keys sometimes repeated, sometimes sent as a notification), the
 * proxy forwards the frame exactly when an independent reference, computed on the fully parsed
 * frame, says it may pass.
 *
 * <p>Longer run: {@code mvn test -Dtest='*FuzzTest' -Djqwik.tries.default=100000 -DskipNode}
 */
class PolicyDecisionFuzzTest {
  /** Names, look-alikes included: case, Cyrillic, zero-width, NFC/NFD, fullwidth, spaces. */
  static final List<String> NAMES = List.of("echo", "Echo", "ech\u043e", "echo\u200b", "echo ",
      "\uff45cho", "caf\u00e9", "cafe\u0301", "rm", "rm_all", "rm*", "");
  static final List<String> GLOBS = List.of("rm*", "*o", "caf?", "e*", "*");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()).build();

  /** A policy as the reference sees it. */
  record Rules(boolean defaultDeny, List<String> hide, Map<String, String> tools,
      String denyMode) {
    String json() {
      ObjectNode p = JSON.createObjectNode().put("version", "1")
          .put("default", defaultDeny ? "deny" : "allow");
      if (!hide.isEmpty()) {
        hide.forEach(p.putArray("hide")::add);
      }
      ObjectNode t = p.putObject("tools");
      tools.forEach((name, action) -> {
        ObjectNode e = t.putObject(name);
        if (!action.equals("allow")) {
          e.put("action", action);
        }
        if (denyMode != null) {
          e.putArray("deny_if").addObject().put("path", "args.mode").put("op", "eq")
              .put("value", denyMode);
        }
      });
      return p.toString();
    }
  }

  @Provide
  Arbitrary<Rules> rules() {
    // keys with white space at an end do not load (no tool name has it); calls still use them
    Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(NAMES)
        .filter(n -> !n.isEmpty() && n.equals(n.strip())),
        Arbitraries.of(GLOBS));
    Arbitrary<Map<String, String>> tools = Arbitraries.maps(key,
        Arbitraries.of("allow", "deny", "require_approval")).ofMaxSize(4);
    return Combinators.combine(Arbitraries.of(true, false), key.list().ofMaxSize(2).uniqueElements(),
        tools, Arbitraries.of("x", "y").injectNull(0.5)).as(Rules::new);
  }

  /** A generated frame and what the reference needs to know about how it was built. */
  record Call(String frame) {}

  @Provide
  Arbitrary<Call> calls() {
    Arbitrary<String> name = Arbitraries.of(NAMES);
    Arbitrary<String> mode = Arbitraries.of("\"x\"", "\"y\"", "\"X\"", "1", "[\"x\"]", "[[\"y\"]]",
        "null", "{\"x\":1}");
    Arbitrary<String> args = Combinators.combine(mode.injectNull(0.3), Arbitraries.of("", ",\"k\":1",
        ",\"mode\":\"x\"", ",\"mode\":\"z\"")).as((m, extra) -> "{\"a\":0"
        + (m == null ? "" : ",\"mode\":" + m) + extra + "}");
    return Combinators.combine(name, name, Arbitraries.integers().between(0, 15), args,
        Arbitraries.of("1", "\"s\"", "-0.5e1").injectNull(0.2))
        .as((n, other, shape, a, id) -> new Call(frame(n, other, shape, a, id)));
  }

  private static String frame(String name, String other, int shape, String args, String id) {
    String n = quote(name, shape == 1);
    String nameKey = shape == 2 ? "\"na\\u006de\"" : "\"name\"";
    String params = switch (shape) {
      case 3 -> "{" + nameKey + ":" + n + ",\"name\":" + quote(other, false) + ",\"arguments\":"
          + args + "}";
      case 4 -> "{\"arguments\":" + args + "," + nameKey + ":" + n + ",\"arguments\":{}}";
      case 5 -> "{\"arguments\":" + args + "}";
      case 6 -> "{" + nameKey + ":" + n + ",\"arguments\":[" + args + "]}";
      default -> "{" + nameKey + ":" + n + ",\"arguments\":" + args + "}";
    };
    String method = shape == 7 ? "\"tools\\/call\"" : "\"tools/call\"";
    String extra = shape == 8 ? ",\"method\":\"ping\"" : "";
    return "{\"jsonrpc\":\"2.0\"" + (id == null ? "" : ",\"id\":" + id) + ",\"method\":" + method
        + extra + ",\"params\":" + params + "}";
  }

  /** JSON string literal; with {@code escaped}, every character as a \\u escape. */
  private static String quote(String s, boolean escaped) {
    if (!escaped) {
      try {
        return JSON.writeValueAsString(s);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    StringBuilder b = new StringBuilder("\"");
    s.chars().forEach(c -> b.append(String.format("\\u%04x", c)));
    return b.append('"').toString();
  }

  @Property
  void theProxyForwardsExactlyWhatTheReferenceAllows(@ForAll("rules") Rules rules,
      @ForAll("calls") Call call) throws Exception {
    byte[] frame = call.frame().getBytes(StandardCharsets.UTF_8);
    boolean forwarded = proxyForwards(rules, frame);
    boolean expected = reference(rules, call.frame());
    net.jqwik.api.statistics.Statistics.collect(expected ? "forwarded" : "refused");
    assertThat(forwarded).as("policy %s, frame %s", rules.json(), call.frame()).isEqualTo(expected);
  }

  /** The reference decision, on the fully parsed frame, from the rules as written. */
  static boolean reference(Rules rules, String frame) {
    JsonNode root;
    try {
      root = STRICT.readTree(frame);
    } catch (Exception e) {
      return false; // a repeated key: ambiguous, never forwarded
    }
    if (!root.has("id")) {
      return false; // a notification cannot be answered, never forwarded
    }
    JsonNode params = root.get("params");
    JsonNode name = params.get("name");
    JsonNode args = params.get("arguments");
    if (name == null || !name.isTextual() || (args != null && !args.isObject())) {
      return false;
    }
    String tool = name.asText();
    for (String h : rules.hide()) {
      if (matches(h, tool)) {
        return false;
      }
    }
    boolean named = false;
    for (Map.Entry<String, String> e : rules.tools().entrySet()) {
      if (matches(e.getKey(), tool)) {
        named = true;
        if (e.getValue().equals("deny")) {
          return false;
        }
        if (rules.denyMode() != null && modeIs(args, rules.denyMode())) {
          return false;
        }
      }
    }
    if (!named) {
      return !rules.defaultDeny();
    }
    // the most specific key decides between allow and approval (no approval channel: refused)
    String best = null;
    int bestScore = -1;
    for (Map.Entry<String, String> e : rules.tools().entrySet()) {
      int score = e.getKey().contains("*") || e.getKey().contains("?")
          ? e.getKey().replace("*", "").replace("?", "").length() : Integer.MAX_VALUE;
      if (matches(e.getKey(), tool) && score > bestScore) {
        best = e.getValue();
        bestScore = score;
      }
    }
    return !"require_approval".equals(best);
  }

  /** deny_if args.mode eq V: any value found (arrays stand for their elements) equals V. */
  private static boolean modeIs(JsonNode args, String v) {
    if (args == null || !args.has("mode")) {
      return false;
    }
    List<JsonNode> flat = new ArrayList<>();
    flatten(args.get("mode"), flat);
    return flat.stream().anyMatch(n -> n.isTextual() && n.asText().equals(v));
  }

  private static void flatten(JsonNode n, List<JsonNode> out) {
    if (n.isArray()) {
      n.forEach(e -> flatten(e, out));
    } else {
      out.add(n);
    }
  }

  /** Exact match, or a glob (* any run, ? one UTF-16 unit) by simple backtracking. */
  static boolean matches(String pattern, String s) {
    return match(pattern, 0, s, 0);
  }

  private static boolean match(String p, int i, String s, int j) {
    if (i == p.length()) {
      return j == s.length();
    }
    char c = p.charAt(i);
    if (c == '*') {
      for (int k = j; k <= s.length(); k++) {
        if (match(p, i + 1, s, k)) {
          return true;
        }
      }
      return false;
    }
    if (j == s.length()) {
      return false;
    }
    return (c == '?' || c == s.charAt(j)) && match(p, i + 1, s, j + 1);
  }

  /** Runs the frame through the real client pump; true when it was written to the upstream. */
  private static boolean proxyForwards(Rules rules, byte[] frame) throws Exception {
    Policy policy = new PolicyLoader().parse("fuzz.json",
        rules.json().getBytes(StandardCharsets.UTF_8));
    ObjectMapper mapper = new ObjectMapper();
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true,
        StandardCharsets.UTF_8);
    ProxyConfig config = new ProxyConfig("fuzz", 1 << 20, 100, UpstreamQueue.DEFAULT_MAX_BYTES,
        RefusalStyle.RESULT, Duration.ZERO, false, false, Clock.systemUTC(), quiet);
    ByteArrayOutputStream upstream = new ByteArrayOutputStream();
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    UpstreamQueue toServer = new UpstreamQueue(new FrameWriter(upstream), 1 << 20, 100, quiet);
    ClientToServer c2s = new ClientToServer(
        new FrameReader(new ByteArrayInputStream(new byte[0]), 1 << 20), toServer,
        new FrameWriter(client), new EnvelopeScanner(1 << 20),
        new CallJudge(new PolicyEngine(policy, CommandInspector.NONE), Quota.inMemory(() -> 0L, java.time.Clock.systemUTC())),
        JsonLinesViolationLog.toStderr(quiet, mapper, false), new InFlight(100),
        new Answers(mapper, RefusalStyle.RESULT), config);
    c2s.frame(frame);
    assertThat(toServer.drain(Duration.ofSeconds(5))).isTrue();
    toServer.close();
    byte[] sent = upstream.toByteArray();
    if (sent.length == 0) {
      return false;
    }
    assertThat(new String(sent, StandardCharsets.UTF_8))
        .as("forwarded byte for byte").isEqualTo(new String(frame, StandardCharsets.UTF_8) + "\n");
    return true;
  }
}
