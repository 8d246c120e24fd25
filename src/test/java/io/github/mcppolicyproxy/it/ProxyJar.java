package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/** Where the packaged proxy jar and this JVM's java are, for tests that start the proxy. */
public final class ProxyJar {
  private ProxyJar() {}

  /** target/mcp-policy-proxy.jar, or the {@code proxy.jar} system property failsafe sets. */
  public static Path path() {
    Path jar = Path.of(System.getProperty("proxy.jar", "target/mcp-policy-proxy.jar"));
    assertThat(jar).as("the packaged proxy jar (run mvn verify)").exists();
    return jar;
  }

  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
