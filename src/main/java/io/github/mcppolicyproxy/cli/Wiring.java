package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.mcppolicyproxy.audit.JsonLinesViolationLog;
import io.github.mcppolicyproxy.audit.LogRotation;
import io.github.mcppolicyproxy.aws.AwsCommandInspector;
import io.github.mcppolicyproxy.aws.AwsDefaults;
import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.limits.Quota;
import io.github.mcppolicyproxy.policy.CommandInspector;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.policy.PolicyEngine;
import io.github.mcppolicyproxy.policy.PolicyException;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import io.github.mcppolicyproxy.proxy.CallJudge;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** Builds the object graph, in one visible place, for the proxy and the demo. */
final class Wiring {
  private Wiring() {}

  static ObjectMapper mapper() {
    // Refusal texts and filtered lists may carry any Unicode: write it as plain UTF-8.
    return JsonMapper.builder()
        .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
        .build();
  }

  /** The file, or the policy bundled in the jar when {@code file} is null. */
  static Policy policy(Path file) throws PolicyException {
    PolicyLoader loader = new PolicyLoader();
    return file == null ? loader.loadBuiltin(PolicyLoader.BUILTIN_DEFAULT) : loader.load(file);
  }

  /** The judge for one upstream, whose environment gives {@code call_aws} its default region. */
  static CallJudge judge(Policy policy, Map<String, String> upstreamEnv) {
    // the demo's: in memory (the demo never touches the user's state), the grant named as the
    // proxy names it
    String grant;
    try {
      String source = policy.source(); // a path, or builtin:NAME for a bundled policy
      grant = new StateOptions().grant(Map.of(), Path.of(source.substring(
          Math.max(source.lastIndexOf('/'), source.lastIndexOf(':')) + 1)));
    } catch (IllegalArgumentException e) { // an odd source name: any grant will do in memory
      grant = "default";
    }
    // the grant's windows are aligned to the clock (a minute's window starts on the minute): here
    // the clock reads as if the demo started on the minute, so that its scripted calls fall in one
    // window whenever it runs (started in a minute's last seconds, the eleventh export would
    // otherwise land in a new window and be allowed)
    java.time.Clock utc = java.time.Clock.systemUTC();
    java.time.Clock fromTheMinute = java.time.Clock.offset(utc,
        java.time.Duration.ofMillis(-(utc.millis() % 60_000)));
    return judge(policy, upstreamEnv, Quota.inMemory(System::nanoTime, fromTheMinute, grant));
  }

  /** A judge for one policy version; every version of a session shares {@code quota}. */
  static CallJudge judge(Policy policy, Map<String, String> upstreamEnv, Quota quota) {
    return new CallJudge(new PolicyEngine(policy, inspector(upstreamEnv)), quota);
  }

  /** Prints every problem of a policy that did not load, one a line, after {@code prefix}. */
  static void report(PolicyException e, PrintStream to, String prefix) {
    for (io.github.mcppolicyproxy.policy.PolicyProblem p : e.problems()) {
      to.println(prefix + p);
    }
  }

  /** One line for a client: the file and its first problem (all of them are on stderr). */
  static String summary(PolicyException e) {
    java.util.List<io.github.mcppolicyproxy.policy.PolicyProblem> all = e.problems();
    String first = all.isEmpty() ? "it is not usable" : all.get(0).toString();
    return "The policy proxy cannot start: the policy does not load: " + first
        + (all.size() > 1 ? " (and " + (all.size() - 1) + " more; the proxy's stderr lists them)"
            : "");
  }

  /** The file and every problem, as the error's data. */
  static com.fasterxml.jackson.databind.JsonNode details(PolicyException e, ObjectMapper mapper) {
    com.fasterxml.jackson.databind.node.ObjectNode data = mapper.createObjectNode();
    if (!e.problems().isEmpty()) {
      data.put("policy", e.problems().get(0).file());
    }
    com.fasterxml.jackson.databind.node.ArrayNode problems = data.putArray("problems");
    e.problems().forEach(p -> problems.add(p.toString()));
    return data;
  }

  /** Reads call_aws commands, with the upstream's region and profile as defaults. */
  static CommandInspector inspector(Map<String, String> upstreamEnv) {
    return new AwsCommandInspector(AwsDefaults.fromEnvironment(upstreamEnv));
  }

  /** Opens the violation log: {@code -} is stderr, anything else a file appended to. */
  static ViolationLog log(String spec, PrintStream stderr, ObjectMapper mapper, boolean values)
      throws IOException {
    return log(spec, stderr, mapper, values, LogRotation.NEVER);
  }

  /** As {@link #log(String, PrintStream, ObjectMapper, boolean)}, a file rotated as given. */
  static ViolationLog log(String spec, PrintStream stderr, ObjectMapper mapper, boolean values,
      LogRotation rotation) throws IOException {
    if ("-".equals(spec)) {
      return JsonLinesViolationLog.toStderr(stderr, mapper, values);
    }
    return JsonLinesViolationLog.open(Path.of(spec), stderr, mapper, values, rotation);
  }

  static String defaultLogPath() {
    return Path.of(System.getProperty("user.home"), ".mcp-policy-proxy", "violations.jsonl")
        .toString();
  }
}
