package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/mcp-policy-proxy as a client and a person meet it: installed on a path with spaces, with and
 * without a jar, with a stale jar, from two terminals at once (a pty from {@code script}), and with
 * JVM options that print on stdout. Maven is replaced by a recording stand-in on the PATH (the
 * build tool is the boundary; what is tested is the launcher around it).
 */
class LauncherIT {
  private static final String POLICY = "{\"version\":\"1\",\"default\":\"allow\"}";

  @TempDir
  Path tmp;

  private Path top;
  private Path launcher;
  private Path mvnLog;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void install() throws Exception {
    top = tmp.resolve("my tools").resolve("mcp policy proxy");
    Files.createDirectories(top.resolve("bin"));
    launcher = top.resolve("bin").resolve("mcp-policy-proxy");
    Files.copy(Path.of("bin", "mcp-policy-proxy"), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path source = top.resolve("src/main/java/A.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, "class A {}");
    Files.setLastModifiedTime(source, FileTime.from(Instant.now().minusSeconds(3600)));
    Path config = top.resolve("config/aws-api-mcp-server.policy.json");
    Files.createDirectories(config.getParent());
    Files.copy(Path.of("config/aws-api-mcp-server.policy.json"), config);
    Files.setLastModifiedTime(config, FileTime.from(Instant.now().minusSeconds(3600)));
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path fakeBin = Files.createDirectories(tmp.resolve("fake bin"));
    mvnLog = tmp.resolve("mvn.log");
    Path mvn = fakeBin.resolve("mvn");
    Files.writeString(mvn, "#!/bin/sh\necho \"$$ $* MAVEN_OPTS=$MAVEN_OPTS\" >> \"$FAKE_MVN_LOG\"\nsleep 3\n"
        + "mkdir -p target && cp \"$FAKE_MVN_JAR\" target/mcp-policy-proxy.jar\n");
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    env.put("PATH", fakeBin + ":/usr/bin:/bin");
    env.put("JAVA_HOME", Path.of(ProxyJar.java()).getParent().getParent().toString());
    env.put("HOME", home.toString());
    env.put("FAKE_MVN_LOG", mvnLog.toString());
    env.put("FAKE_MVN_JAR", ProxyProcess.jar().toAbsolutePath().toString());
    env.put("MCP_POLICY_PROXY_JAVA_OPTS", "-Duser.home=" + home);
  }

  private void installJar() throws Exception {
    Files.createDirectories(top.resolve("target"));
    Files.copy(ProxyProcess.jar(), top.resolve("target/mcp-policy-proxy.jar"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private List<String> proxyOfTheStandIn() throws Exception {
    Path policy = ProxyProcess.write(tmp, "allow all.json", POLICY);
    return List.of(launcher.toString(), "--policy", policy.toString(), "--violation-log",
        tmp.resolve("violations.jsonl").toString(), "--", "mcp-policy-proxy", "stand-in");
  }

  @Test
  void onAPathWithSpacesItServesAClientAndJvmOutputNeverReachesStdout() throws Exception {
    installJar();
    env.put("MCP_POLICY_PROXY_JAVA_OPTS", env.get("MCP_POLICY_PROXY_JAVA_OPTS")
        + " -XX:StartFlightRecording=filename=" + tmp.resolve("r.jfr").toString().replace(" ", "_")
        + " -Xlog:gc -verbose:gc -XX:+PrintFlagsFinal");
    Files.createDirectories(tmp.resolve("r.jfr").getParent());
    try (ProxyProcess p = ProxyProcess.command(proxyOfTheStandIn(), env)) {
      JsonNode init = p.initialize(Duration.ofSeconds(90));
      assertThat(init.path("result").path("serverInfo").path("name").asText()).isNotEmpty();
      JsonNode list = p.call(1, "tools/list", "{}");
      assertThat(list.path("result").path("tools").findValuesAsText("name")).contains("call_aws");
      p.closeStdin();
      assertThat(p.waitFor(Duration.ofSeconds(60))).isZero();
      for (byte[] line : p.stdoutLines()) {
        assertThat(ProxyProcess.JSON.readTree(line).path("jsonrpc").asText())
            .as("every stdout line is a frame: %s", new String(line, StandardCharsets.UTF_8))
            .isEqualTo("2.0");
      }
      assertThat(p.stdoutLines()).hasSize(2);
      p.assertStderrContains("[jfr,startup] Started recording", "[gc]", "UseSerialGC");
    }
  }

  @Test
  void theContainersEntryPointKeepsJvmOutputOffStdoutToo() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("app dir"));
    Files.copy(ProxyProcess.jar(), app.resolve("mcp-policy-proxy.jar"));
    Path policy = ProxyProcess.write(tmp, "allow all.json", POLICY);
    env.put("MCP_POLICY_PROXY_JAVA", ProxyJar.java());
    env.put("MCP_POLICY_PROXY_APP", app.toString());
    env.put("MCP_POLICY_PROXY_JAVA_OPTS", env.get("MCP_POLICY_PROXY_JAVA_OPTS")
        + " -XX:StartFlightRecording=filename=" + tmp.resolve("e.jfr") + " -verbose:gc");
    try (ProxyProcess p = ProxyProcess.command(List.of("sh", Path.of("src/main/docker/entrypoint.sh")
        .toAbsolutePath().toString(), "--policy", policy.toString(), "--violation-log",
        tmp.resolve("v.jsonl").toString(), "--", "mcp-policy-proxy", "stand-in"), env)) {
      assertThat(p.initialize(Duration.ofSeconds(90)).path("result").path("serverInfo").isObject()).isTrue();
      p.closeStdin();
      assertThat(p.waitFor(Duration.ofSeconds(60))).isZero();
      assertThat(p.stdoutLines()).hasSize(1);
      assertThat(p.stderr()).contains("[jfr,startup] Started recording");
    }
  }

  @Test
  void withNoJarAClientsFirstRequestIsAnsweredWithTheCommandThatBuildsIt() throws Exception {
    try (ProxyProcess p = ProxyProcess.command(proxyOfTheStandIn(), env)) {
      p.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"id\":3}}");
      p.send("{\"method\":\"initialize\",\"params\":{\"clientInfo\":{\"id\":9,\"name\":\"c\"}},"
          + "\"jsonrpc\":\"2.0\",\"id\":\"first \\\"one\\\"\"}");
      byte[] answer = p.nextLine(Duration.ofSeconds(60));
      JsonNode n = ProxyProcess.JSON.readTree(answer);
      assertThat(n.path("id").asText()).isEqualTo("first \"one\"");
      assertThat(n.path("error").path("code").asInt()).isEqualTo(-32002);
      assertThat(n.path("error").path("message").asText())
          .contains("not built yet").contains("'" + launcher + " build'");
      assertThat(p.waitFor(Duration.ofSeconds(10))).isEqualTo(1);
      assertThat(p.stderr()).contains("not built yet");
    }
    assertThat(mvnLog).as("nothing is built inside a client's spawn").doesNotExist();
  }

  @Test
  void aNumericIdIsEchoedAsSent() throws Exception {
    try (ProxyProcess p = ProxyProcess.command(proxyOfTheStandIn(), env)) {
      p.send("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"x\":{\"id\":5}}}");
      assertThat(new String(p.nextLine(Duration.ofSeconds(60)), StandardCharsets.UTF_8))
          .startsWith("{\"jsonrpc\":\"2.0\",\"id\":0,\"error\":{\"code\":-32002,");
    }
  }

  @Test
  void aJarOlderThanItsSourcesIsRunAsItIsWithAWarningThatNamesBuild() throws Exception {
    installJar();
    Files.setLastModifiedTime(top.resolve("target/mcp-policy-proxy.jar"),
        FileTime.from(Instant.now().minusSeconds(7200)));
    try (ProxyProcess p = ProxyProcess.command(List.of(launcher.toString(), "--version"), env)) {
      assertThat(p.waitFor(Duration.ofSeconds(60))).isZero();
      assertThat(new String(p.stdoutLines().get(0), StandardCharsets.UTF_8)).startsWith("mcp-policy-proxy ");
      assertThat(p.stderr()).contains("warning: " + top.resolve("target/mcp-policy-proxy.jar")
          + " is older than " + top.resolve("src/main/java/A.java")).contains("'" + launcher + " build'");
    }
    assertThat(mvnLog).doesNotExist();
  }

  @Test
  void aJavaOlderThan17InJavaHomeIsPassedOverForOneOnThePath() throws Exception {
    installJar();
    Path old = tmp.resolve("jdk 11");
    Files.createDirectories(old.resolve("bin"));
    Files.writeString(old.resolve("release"), "JAVA_VERSION=\"11.0.2\"\n");
    Files.writeString(old.resolve("bin/java"), "#!/bin/sh\necho 'this java is too old' >&2\nexit 99\n");
    Files.setPosixFilePermissions(old.resolve("bin/java"), PosixFilePermissions.fromString("rwxr-xr-x"));
    env.put("JAVA_HOME", old.toString());
    env.put("PATH", Path.of(ProxyJar.java()).getParent() + ":" + env.get("PATH"));
    try (ProxyProcess p = ProxyProcess.command(List.of(launcher.toString(), "--version"), env)) {
      assertThat(p.waitFor(Duration.ofSeconds(60))).isZero();
      assertThat(new String(p.stdoutLines().get(0), StandardCharsets.UTF_8)).startsWith("mcp-policy-proxy ");
      assertThat(p.stderr()).doesNotContain("too old");
    }
  }

  @Test
  void twoConcurrentFirstStartsFromTerminalsBuildOnceAndBothRun() throws Exception {
    List<ProxyProcess> starts = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        // script gives the launcher a terminal on stdin, as a person's shell would.
        starts.add(ProxyProcess.command(List.of("script", "-q", "-e", "-c",
            "'" + launcher + "' --version", "/dev/null"), env));
      }
      for (ProxyProcess p : starts) {
        assertThat(p.waitFor(Duration.ofSeconds(120))).as(p.stderr()).isZero();
        String out = new String(String.join("\n", p.stdoutLines().stream()
            .map(b -> new String(b, StandardCharsets.UTF_8)).toList()));
        assertThat(out).contains("mcp-policy-proxy 0.").doesNotContain("\u001b[");
      }
    } finally {
      starts.forEach(ProxyProcess::close);
    }
    List<String> builds = Files.readAllLines(mvnLog);
    assertThat(builds).hasSize(1);
    assertThat(builds.get(0)).contains("-B", "--no-transfer-progress", "-Dstyle.color=never", "package",
        "-Djansi.noreset=true");
    assertThat(top.resolve("target/.build-lock")).doesNotExist();
    try (java.util.stream.Stream<Path> built = Files.list(top.resolve("target"))) {
      assertThat(built.map(f -> f.getFileName().toString()))
          .as("the build made the start-up archive for the java it found")
          .anyMatch(n -> n.matches("mcp-policy-proxy-[0-9][0-9.]*\\.(jsa|aot)"));
    }
  }

  /** A JDK 25+ under /usr/lib/jvm (these machines have Temurin 25), or null. */
  private static Path jdk25() throws Exception {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return null;
    }
    try (java.util.stream.Stream<Path> homes = Files.list(jvms)) {
      for (Path home : homes.sorted().toList()) {
        Path release = home.resolve("release");
        if (Files.isRegularFile(release) && Files.isExecutable(home.resolve("bin/java"))) {
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("JAVA_VERSION=\"(\\d+)")
              .matcher(Files.readString(release));
          if (m.find() && Integer.parseInt(m.group(1)) >= 25) {
            return home;
          }
        }
      }
    }
    return null;
  }

  @Test
  void onJdk25BuildMakesAnAotCacheThatTheLauncherUsesUntilTheJarIsNewer() throws Exception {
    Path jdk = jdk25();
    assumeTrue(jdk != null, "needs a JDK 25+ under /usr/lib/jvm");
    env.put("JAVA_HOME", jdk.toString());
    try (ProxyProcess b = ProxyProcess.command(List.of(launcher.toString(), "build"), env)) {
      assertThat(b.waitFor(Duration.ofSeconds(240))).as(b.stderr()).isZero();
    }
    Path aot;
    try (java.util.stream.Stream<Path> built = Files.list(top.resolve("target"))) {
      aot = built.filter(f -> f.getFileName().toString().matches("mcp-policy-proxy-2[5-9][0-9.]*\\.aot"))
          .findFirst().orElseThrow(() -> new AssertionError("no AOT cache in " + top.resolve("target")));
    }
    // AOTMode=on: the JVM exits rather than start without the cache it was given
    env.put("MCP_POLICY_PROXY_JAVA_OPTS", env.get("MCP_POLICY_PROXY_JAVA_OPTS")
        + " -XX:AOTMode=on -Xlog:aot=info");
    try (ProxyProcess p = ProxyProcess.command(proxyOfTheStandIn(), env)) {
      assertThat(p.initialize(Duration.ofSeconds(90)).path("result").path("serverInfo").isObject())
          .as(p.stderr()).isTrue();
      p.closeStdin();
      assertThat(p.waitFor(Duration.ofSeconds(60))).isZero();
      assertThat(p.stdoutLines()).as("the JVM's log stays off stdout").hasSize(1);
      p.assertStderrContains("Opened AOT cache " + aot);
    }
    // a jar newer than its cache: the launcher does not pass the stale cache
    Files.setLastModifiedTime(top.resolve("target/mcp-policy-proxy.jar"),
        FileTime.from(Files.getLastModifiedTime(aot).toInstant().plusSeconds(60)));
    env.put("MCP_POLICY_PROXY_JAVA_OPTS", env.get("MCP_POLICY_PROXY_JAVA_OPTS")
        .replace(" -XX:AOTMode=on", ""));
    try (ProxyProcess p = ProxyProcess.command(proxyOfTheStandIn(), env)) {
      assertThat(p.initialize(Duration.ofSeconds(90)).path("result").path("serverInfo").isObject())
          .as(p.stderr()).isTrue();
      p.closeStdin();
      assertThat(p.waitFor(Duration.ofSeconds(60))).isZero();
      assertThat(p.stderr()).doesNotContain("Opened AOT cache " + aot);
    }
  }
}
