package io.github.mcppolicyproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every client configuration in the README can be pasted: each {@code json} block parses, and the
 * command line of each server entry (the launcher's, {@code java -jar}'s or {@code docker run}'s
 * arguments to the proxy) and of each {@code claude mcp add} line is accepted by the proxy's own
 * parser, with every {@code config/} policy it names present and loading. Nothing is started.
 */
class ReadmeSnippetsTest {
  private static final Pattern BLOCK = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

  ReadmeSnippetsTest() throws java.io.IOException {}

  @Test
  void everyJsonBlockParses() throws Exception {
    Matcher m = BLOCK.matcher(readme);
    int blocks = 0;
    while (m.find()) {
      if (m.group(1).equals("json")) {
        blocks++;
        // One JSON value, or several in a row (log lines): each must parse whole.
        try (com.fasterxml.jackson.databind.MappingIterator<JsonNode> values =
            JSON.readerFor(JsonNode.class).readValues(m.group(2))) {
          assertThat(values.readAll()).as("the json block at offset %d", m.start()).isNotEmpty();
        }
      }
    }
    assertThat(blocks).isGreaterThanOrEqualTo(6);
  }

  @Test
  void everyClientConfigurationRunsACommandLineTheProxyAccepts() throws Exception {
    List<List<String>> proxyArgs = new ArrayList<>();
    Matcher m = BLOCK.matcher(readme);
    while (m.find()) {
      if (!m.group(1).equals("json")) {
        continue;
      }
      JsonNode root = JSON.readTree(m.group(2));
      JsonNode servers = root.has("mcpServers") ? root.path("mcpServers") : root.path("servers");
      servers.fields().forEachRemaining(e -> {
        List<String> argv = new ArrayList<>();
        argv.add(e.getValue().path("command").asText());
        e.getValue().path("args").forEach(a -> argv.add(a.asText()));
        proxyArgs.add(proxyArguments(argv));
      });
    }
    for (String line : readme.split("\\n")) {
      if (line.startsWith("claude mcp add ")) {
        List<String> words = List.of(line.split(" +"));
        proxyArgs.add(proxyArguments(words.subList(words.indexOf("--") + 1, words.size())));
      }
    }
    assertThat(proxyArgs).as("Claude Desktop (2), Claude Code, Cursor, VS Code, container")
        .hasSizeGreaterThanOrEqualTo(6);
    for (List<String> args : proxyArgs) {
      Commands.ProxyCommand command = parse(args);
      assertThat(command.command).as("the upstream of %s", args).isNotEmpty();
      if (command.policy != null && command.policy.toString().contains("/config/")) {
        Path repoFile = Path.of("config").resolve(command.policy.getFileName());
        assertThat(repoFile).as("the policy %s names", args).exists();
        new PolicyLoader().load(repoFile); // and it loads
      }
    }
  }

  /** The proxy's arguments in a server's argv: after the launcher, {@code java -jar J} or the image. */
  private static List<String> proxyArguments(List<String> argv) {
    String program = argv.get(0);
    if (program.endsWith("bin/mcp-policy-proxy") || program.endsWith("mcp-policy-proxy.cmd")) {
      return argv.subList(1, argv.size());
    }
    if (program.equals("java")) {
      return argv.subList(argv.indexOf("-jar") + 2, argv.size());
    }
    if (program.equals("docker")) {
      assertThat(argv).contains("run", "-i", "--rm");
      return argv.subList(argv.indexOf("mcp-policy-proxy") + 1, argv.size());
    }
    throw new AssertionError("a README server entry runs neither the launcher, java -jar nor docker: " + argv);
  }

  private static Commands.ProxyCommand parse(List<String> args) {
    PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    Commands.ProxyCommand command = new Commands.ProxyCommand(new ByteArrayInputStream(new byte[0]),
        new ByteArrayOutputStream(), err, null);
    CommandLine cl = new CommandLine(command);
    cl.setStopAtPositional(true); // as Cli does: the upstream's own options follow its name
    cl.setUnmatchedOptionsArePositionalParams(false);
    cl.parseArgs(args.toArray(String[]::new)); // throws ParameterException when not accepted
    return command;
  }
}
