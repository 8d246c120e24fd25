package io.github.mcppolicyproxy.peers;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The third-party MCP peers from npm installed under {@code src/test/node}: builds the command
 * lines of their servers, clients and helpers. Tests are skipped only with {@code -DskipNode};
 * anywhere else a missing {@code node} or {@code node_modules} fails them with the fix to apply.
 */
public final class NodePeers {

  private final String node;
  private final Path dir;

  private NodePeers(String node, Path dir) {
    this.node = Objects.requireNonNull(node, "node");
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  /** Locates node and the npm project, or skips the calling test when -DskipNode is set. */
  public static NodePeers locate() {
    assumeFalse(Boolean.getBoolean("skipNode"), "Node peers skipped by -DskipNode");
    Path dir = Path.of(System.getProperty("node.peers.dir", "src/test/node")).toAbsolutePath().normalize();
    String node = findNode(System.getProperty("node.executable", "node"));
    if (!Files.isDirectory(dir.resolve("node_modules/@modelcontextprotocol/server-everything"))) {
      throw new IllegalStateException(dir.resolve("node_modules") + " lacks the MCP peers: run `node "
          + "ensure-node-modules.mjs` (or `npm ci`) in " + dir + "; `mvn verify` does it in pre-integration-test");
    }
    return new NodePeers(node, dir);
  }

  private static String findNode(String name) {
    if (name.contains(File.separator)) {
      if (Files.isExecutable(Path.of(name))) return name;
    } else {
      for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        Path candidate = Path.of(entry, name);
        if (Files.isExecutable(candidate)) return candidate.toString();
      }
    }
    throw new IllegalStateException("`" + name + "` (Node.js 20+) is not on the PATH: install it, point "
        + "-Dnode.executable at it, or pass -DskipNode to skip the Node-based tests");
  }

  /** The npm project directory, {@code src/test/node}. */
  public Path dir() {
    return dir;
  }

  /** The node executable. */
  public String node() {
    return node;
  }

  /** {@code node <script> args...} for a script of the npm project. */
  public List<String> script(String script, String... args) {
    List<String> command = new ArrayList<>(List.of(node, dir.resolve(script).toString()));
    command.addAll(List.of(args));
    return command;
  }

  /** The reference server of every MCP feature, on stdio. */
  public List<String> serverEverything() {
    return script("node_modules/@modelcontextprotocol/server-everything/dist/index.js", "stdio");
  }

  /** The reference filesystem server, confined to {@code root}. */
  public List<String> serverFilesystem(Path root) {
    return script("node_modules/@modelcontextprotocol/server-filesystem/dist/index.js", root.toString());
  }

  /** Our server on the TypeScript SDK v2 (2026-07-28 and, from the same factory, 2025 revisions). */
  public List<String> v2Server() {
    return script("v2-server.mjs");
  }

  /** The byte-exact tee that logs every frame to {@code log}; the proxied command follows. */
  public List<String> wiretap(Path log) {
    return script("wiretap.mjs", "--log", log.toString(), "--");
  }

  /** The trivial parse-and-forward proxy, as a command prefix. */
  public List<String> passthrough() {
    return script("passthrough.mjs", "--");
  }

  /** The MCP Inspector's CLI entry ({@code --method ...} options, then {@code --}, then the server). */
  public List<String> inspectorCli(String... options) {
    return script("node_modules/@modelcontextprotocol/inspector/clients/cli/build/index.js", options);
  }

  /** Concatenates command parts. */
  @SafeVarargs
  public static List<String> join(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> part : parts) all.addAll(part);
    return List.copyOf(all);
  }
}
