package io.github.mcppolicyproxy.standin;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Command-line settings of the stand-in upstream. Immutable; {@link #parse} fails fast with a
 * message that names the offending option.
 *
 * @param record file that receives every stdin line before it is processed, if any
 * @param scenario which recorded server configuration {@code call_aws} replays (see {@link Recordings})
 * @param readOnlyListing list tools as with {@code READ_OPERATIONS_ONLY=true}
 * @param experimentalAgentScripts list {@code get_execution_plan} as with {@code EXPERIMENTAL_AGENT_SCRIPTS=true}
 * @param healthOmicsTool also list {@code StartAHOReadSetExportJob}
 * @param testTools also list and serve the {@code standin_*} fault tools
 * @param pageSize tools per {@code tools/list} page, if paginated
 * @param descriptions tool descriptions replaced from the start ({@code --describe TOOL=TEXT})
 * @param successor answer as the AWS MCP Server (the successor behind {@code mcp-proxy-for-aws}):
 *     tools prefixed {@code aws___}, plus its script, documentation and presigned-URL tools
 * @param tasks answer a {@code tools/call} that may take a task with one (see {@link Tasks})
 * @param taskNotifications also send a status notification when a task ends
 */
public record StandInOptions(
    Optional<Path> record,
    String scenario,
    boolean readOnlyListing,
    boolean experimentalAgentScripts,
    boolean healthOmicsTool,
    boolean testTools,
    OptionalInt pageSize,
    java.util.Map<String, String> descriptions,
    boolean successor,
    boolean tasks,
    boolean taskNotifications) {

  /** The prefix of the AWS MCP Server's tools. */
  public static final String SUCCESSOR_PREFIX = "aws___";

  /** The scenarios that {@link Recordings} derives from the recordings' {@code server_env}. */
  public static final List<String> SCENARIOS =
      List.of("default", "read-only", "mutation-consent", "security-policy", "security-policy-2");

  public StandInOptions {
    if (!SCENARIOS.contains(scenario)) {
      throw new IllegalArgumentException(
          "--scenario: \"" + scenario + "\" is not one of " + String.join(", ", SCENARIOS));
    }
    if (pageSize.isPresent() && pageSize.getAsInt() < 1) {
      throw new IllegalArgumentException("--page-size must be at least 1, was " + pageSize.getAsInt());
    }
    descriptions = java.util.Map.copyOf(descriptions);
  }

  /** Parses the stand-in's arguments; throws {@link IllegalArgumentException} on any unknown or malformed one. */
  public static StandInOptions parse(String[] args) {
    Optional<Path> record = Optional.empty();
    String scenario = "default";
    boolean readOnly = false;
    boolean experimental = false;
    boolean healthOmics = true;
    boolean testTools = false;
    OptionalInt pageSize = OptionalInt.empty();
    java.util.Map<String, String> descriptions = new java.util.HashMap<>();
    boolean successor = false;
    boolean tasks = false;
    boolean taskNotifications = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--record" -> record = Optional.of(Path.of(value(args, ++i, arg)));
        case "--read-only" -> {
          readOnly = true;
          scenario = "read-only";
        }
        case "--require-mutation-consent" -> scenario = "mutation-consent";
        case "--scenario" -> scenario = value(args, ++i, arg);
        case "--experimental-agent-scripts" -> experimental = true;
        case "--healthomics-tool" -> healthOmics = true;
        case "--no-healthomics-tool" -> healthOmics = false;
        case "--test-tools" -> testTools = true;
        case "--describe" -> {
          String text = value(args, ++i, arg);
          int eq = text.indexOf('=');
          if (eq < 1) {
            throw new IllegalArgumentException("--describe needs TOOL=DESCRIPTION, not \"" + text + "\"");
          }
          descriptions.put(text.substring(0, eq), text.substring(eq + 1));
        }
        case "--successor" -> {
          successor = true;
          healthOmics = false; // a server of its own, not part of the AWS MCP Server
        }
        case "--tasks" -> tasks = true;
        case "--task-notifications" -> {
          tasks = true;
          taskNotifications = true;
        }
        case "--page-size" -> {
          String text = value(args, ++i, arg);
          try {
            pageSize = OptionalInt.of(Integer.parseInt(text));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--page-size: \"" + text + "\" is not an integer", e);
          }
        }
        default -> throw new IllegalArgumentException("unknown option \"" + arg + "\"");
      }
    }
    readOnly = readOnly || scenario.equals("read-only");
    return new StandInOptions(record, scenario, readOnly, experimental, healthOmics, testTools, pageSize,
        descriptions, successor, tasks, taskNotifications);
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }
}
