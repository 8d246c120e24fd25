package io.github.mcppolicyproxy.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The recorded {@code tools/call} exchanges of the real server ({@code standin/calls.json}),
 * indexed by scenario, tool and key argument.
 *
 * <p>The scenario comes from each recording's {@code server_env}: {@code READ_OPERATIONS_ONLY}
 * gives "read-only", {@code REQUIRE_MUTATION_CONSENT} "mutation-consent", the first security
 * policy file "security-policy" and a second, different one "security-policy-2"; the rest is
 * "default". Lookups fall back to "default" when the scenario has no recording for the call.
 */
final class Recordings {

  /** One recorded frame and its direction. */
  record Frame(boolean fromServer, ObjectNode message) {}

  /** One recorded exchange: the client's request first, then every frame in order. */
  record Exchange(String title, String scenario, List<Frame> frames) {
    Exchange {
      frames = List.copyOf(frames);
    }

    ObjectNode request() {
      return frames.get(0).message();
    }
  }

  private final Map<String, List<Exchange>> byKey = new LinkedHashMap<>();

  private Recordings() {}

  /** Loads {@code standin/calls.json} from the class path. */
  static Recordings load(ObjectMapper json) {
    JsonNode root = Resources.json(json, "standin/calls.json");
    Recordings recordings = new Recordings();
    List<JsonNode> policies = new ArrayList<>();
    String previousScenario = "default";
    for (JsonNode example : root.path("examples")) {
      String scenario = scenario(example.path("server_env"), policies, previousScenario);
      previousScenario = scenario;
      List<Frame> frames = new ArrayList<>();
      for (JsonNode frame : example.path("exchange")) {
        frames.add(new Frame("server->client".equals(frame.path("dir").asText()),
            (ObjectNode) frame.path("message")));
      }
      Exchange exchange = new Exchange(example.path("title").asText(), scenario, frames);
      JsonNode params = exchange.request().path("params");
      String key = key(scenario, params.path("name").asText(), keyArgument(params.path("arguments")));
      recordings.byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(exchange);
    }
    return recordings;
  }

  /**
   * The recordings for a call: several when they differ only in the client's answer to an
   * elicitation, empty when nothing was recorded.
   */
  List<Exchange> find(String scenario, String tool, JsonNode arguments) {
    JsonNode argument = keyArgument(arguments);
    List<Exchange> found = byKey.get(key(scenario, tool, argument));
    if (found == null && !scenario.equals("default")) {
      found = byKey.get(key("default", tool, argument));
    }
    if (found == null) {
      return List.of();
    }
    // Same call recorded twice in one scenario without elicitation (suggest_aws_commands with and
    // without its remote service): replay the success, a stand-in is there to be usable.
    List<Exchange> withElicitation = found.stream().filter(Recordings::elicits).toList();
    if (!withElicitation.isEmpty()) {
      return withElicitation;
    }
    return List.of(found.stream().filter(e -> !isError(e)).findFirst().orElse(found.get(0)));
  }

  static boolean elicits(Exchange exchange) {
    return exchange.frames().stream().anyMatch(f -> f.fromServer() && f.message().has("method")
        && f.message().has("id"));
  }

  private static boolean isError(Exchange exchange) {
    Frame last = exchange.frames().get(exchange.frames().size() - 1);
    return last.message().path("result").path("isError").asBoolean(false);
  }

  /** The argument that identifies a call: {@code cli_command}, {@code query} or {@code script_name}. */
  private static JsonNode keyArgument(JsonNode arguments) {
    for (String name : List.of("cli_command", "query", "script_name")) {
      if (arguments.has(name)) {
        return arguments.get(name);
      }
    }
    return arguments;
  }

  private static String key(String scenario, String tool, JsonNode argument) {
    return scenario + "\u0000" + tool + "\u0000" + argument.toString();
  }

  private static String scenario(JsonNode env, List<JsonNode> policies, String previous) {
    if (env.path("READ_OPERATIONS_ONLY").asText().equals("true")) {
      return "read-only";
    }
    if (env.path("REQUIRE_MUTATION_CONSENT").asText().equals("true")) {
      return "mutation-consent";
    }
    JsonNode policy = env.get("policy_file");
    if (policy == null) {
      return "default";
    }
    if (!policy.isObject()) { // "same as previous"
      return previous;
    }
    if (!policies.contains(policy)) {
      policies.add(policy);
    }
    int index = policies.indexOf(policy);
    return index == 0 ? "security-policy" : "security-policy-" + (index + 1);
  }

  /** Loads class-path resources of the stand-in. */
  static final class Resources {
    private Resources() {}

    static JsonNode json(ObjectMapper json, String name) {
      try (InputStream in = Recordings.class.getClassLoader().getResourceAsStream(name)) {
        Objects.requireNonNull(in, () -> name + ": not on the class path");
        return json.readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(name + ": cannot read", e);
      }
    }
  }
}
