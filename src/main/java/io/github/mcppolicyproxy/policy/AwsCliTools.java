package io.github.mcppolicyproxy.policy;

import java.util.List;

/**
 * Which tools carry AWS CLI commands (so that {@code operations} rules apply to them) and which run
 * code the proxy cannot read. A tool carries AWS CLI commands when it is named {@code call_aws}
 * (awslabs.aws-api-mcp-server), ends in {@code ___call_aws} (the AWS MCP Server behind
 * {@code mcp-proxy-for-aws}, whose tools carry a prefix such as {@code aws___}), or is listed in
 * the policy's {@code aws_cli_tools}.
 */
public final class AwsCliTools {
  /** The tool of awslabs.aws-api-mcp-server that runs AWS CLI commands. */
  public static final String CALL_AWS = "call_aws";
  /** The suffix of a prefixed {@code call_aws}, e.g. {@code aws___call_aws}. */
  public static final String PREFIXED_CALL_AWS = "___call_aws";
  /** The AWS MCP Server's sandboxed-script tool, whose code the proxy cannot judge. */
  public static final String RUN_SCRIPT = "run_script";

  private AwsCliTools() {}

  /** True when {@code tool} carries AWS CLI commands under {@code named} (a policy's aws_cli_tools). */
  public static boolean carriesCommands(String tool, List<String> named) {
    return tool.equals(CALL_AWS) || tool.endsWith(PREFIXED_CALL_AWS) || named.contains(tool);
  }

  /** True when {@code tool} runs a script the proxy cannot inspect ({@code run_script}, {@code *___run_script}). */
  public static boolean runsScripts(String tool) {
    return tool.equals(RUN_SCRIPT) || tool.endsWith("___" + RUN_SCRIPT);
  }

  /** True for {@code call_aws} and {@code *___call_aws}, whatever the policy names. */
  public static boolean isWellKnownCliTool(String tool) {
    return tool.equals(CALL_AWS) || tool.endsWith(PREFIXED_CALL_AWS);
  }

  /** The tool names {@code check} tries when it has no upstream to ask: both known spellings. */
  public static List<String> wellKnown(List<String> named) {
    List<String> all = new java.util.ArrayList<>(List.of(CALL_AWS, "aws" + PREFIXED_CALL_AWS));
    named.stream().filter(n -> !all.contains(n)).forEach(all::add);
    return all;
  }
}
