package io.github.mcppolicyproxy.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.jar.JarFile;

/**
 * The command prefix that puts the proxy under test in front of a server command. The real proxy
 * ({@code java -jar <proxy.jar> --policy P --violation-log L --}) when {@code -Dproxy.impl=jar}, or
 * when the jar named by {@code proxy.jar} holds the {@code io/github/mcppolicyproxy/proxy/}
 * package; otherwise (or with {@code -Dproxy.impl=node}) the Node stand-in {@code passthrough.mjs}.
 */
public final class ProxyUnderTest {

  /** The policy the transparency tests run under: forward everything. */
  public static final String ALLOW_ALL_POLICY = "{\"version\":\"1\",\"default\":\"allow\"}\n";

  private static final String PROXY_PACKAGE = "io/github/mcppolicyproxy/proxy/";

  private final List<String> prefix;
  private final String description;

  private ProxyUnderTest(List<String> prefix, String description) {
    this.prefix = List.copyOf(prefix);
    this.description = Objects.requireNonNull(description, "description");
  }

  /** Chooses the proxy under test; writes the allow-all policy into {@code workDir}. */
  public static ProxyUnderTest select(NodePeers peers, Path workDir) {
    String impl = System.getProperty("proxy.impl", "auto");
    String jarProperty = System.getProperty("proxy.jar", "");
    Path jar = jarProperty.isEmpty() ? null : Path.of(jarProperty);
    boolean useJar = switch (impl) {
      case "jar" -> true;
      case "node" -> false;
      case "auto" -> jar != null && holdsProxy(jar);
      default -> throw new IllegalArgumentException("-Dproxy.impl=" + impl + " is not one of jar, node, auto");
    };
    if (!useJar) {
      return new ProxyUnderTest(peers.passthrough(), "passthrough.mjs (stand-in; no proxy in " + jar + ")");
    }
    if (jar == null || !Files.isRegularFile(jar)) {
      throw new IllegalStateException("-Dproxy.impl=jar but proxy.jar (" + jar + ") is not a file");
    }
    Path policy = write(workDir.resolve("allow.policy.json"), ALLOW_ALL_POLICY);
    Path violations = violationLog(workDir);
    String java = io.github.mcppolicyproxy.it.ProxyJar.java();
    return new ProxyUnderTest(
        List.of(java, "-jar", jar.toString(), "--policy", policy.toString(), "--violation-log", violations.toString(), "--"),
        "java -jar " + jar);
  }

  /**
   * The real proxy, enforcing {@code policyJson} (written to {@code policy.json} in {@code workDir})
   * and logging refusals to {@code violations.jsonl} there; {@code jvmOptions} go before
   * {@code -jar}. Enforcement cannot be stood in for, so this fails when the jar holds no proxy.
   */
  public static ProxyUnderTest enforcing(Path workDir, String policyJson, String... jvmOptions) {
    Path jar = Path.of(System.getProperty("proxy.jar", "target/mcp-policy-proxy.jar"));
    if (!holdsProxy(jar)) {
      throw new IllegalStateException(jar + " does not hold the proxy: run `mvn package` first");
    }
    Path policy = write(workDir.resolve("policy.json"), policyJson);
    String java = io.github.mcppolicyproxy.it.ProxyJar.java();
    List<String> prefix = new java.util.ArrayList<>(List.of(java));
    prefix.addAll(List.of(jvmOptions));
    prefix.addAll(List.of("-jar", jar.toString(), "--policy", policy.toString(),
        "--violation-log", violationLog(workDir).toString(), "--"));
    return new ProxyUnderTest(prefix, "java -jar " + jar + " --policy " + policy);
  }

  /** Where a proxy started for {@code workDir} logs its refusals. */
  public static Path violationLog(Path workDir) {
    return workDir.resolve("violations.jsonl");
  }

  private static boolean holdsProxy(Path jar) {
    if (!Files.isRegularFile(jar)) return false;
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.stream().anyMatch(e -> e.getName().startsWith(PROXY_PACKAGE) && e.getName().endsWith(".class"));
    } catch (IOException e) {
      return false; // an empty stub jar is not a zip: no proxy inside
    }
  }

  private static Path write(Path file, String content) {
    try {
      return Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The command prefix, ending with {@code --}. */
  public List<String> prefix() {
    return prefix;
  }

  @Override
  public String toString() {
    return description;
  }
}
