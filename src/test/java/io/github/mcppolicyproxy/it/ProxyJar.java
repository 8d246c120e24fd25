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

  /**
   * The java that runs the proxy: the {@code proxy.java} system property when set ({@code mvn
   * -Pjlink verify} points it at the container's jlink runtime), else this JVM's.
   */
  public static String java() {
    String java = System.getProperty("proxy.java", "");
    return java.isBlank() ? Path.of(System.getProperty("java.home"), "bin", "java").toString() : java;
  }
}
