package io.github.mcppolicyproxy.it;

import static io.github.mcppolicyproxy.it.RecordingSession.DENY_BUT_ECHO;
import static io.github.mcppolicyproxy.it.RecordingSession.toolsCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The violation log failing mid-run (disk full, file removed, file replaced by a directory, its
 * directory replaced by a file), against the packaged jar: refusals are still answered, every record
 * that could not be written appears whole on stderr after the marker, recovery is announced, and
 * {@code --require-audit} refuses every call while the log is down.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ViolationLogFaultsIT {
  private static final String MARKER = "mcp-policy-proxy: VIOLATION-LOG-UNWRITTEN ";

  @TempDir
  Path dir;

  private RecordingSession start(Path log, String... options) throws IOException {
    List<String> o = new ArrayList<>(List.of(options));
    o.addAll(List.of("--violation-log", log.toString()));
    return RecordingSession.start(dir, DENY_BUT_ECHO, o, List.of());
  }

  private static JsonNode refuse(RecordingSession s, int id) throws Exception {
    JsonNode r = s.exchange(Integer.toString(id), toolsCall(Integer.toString(id), "call_aws",
        "{\"cli_command\":\"aws s3 rb s3://log-" + id + "\"}"));
    assertThat(r.path("result").path("isError").asBoolean()).as("refused: " + r).isTrue();
    return r;
  }

  private static List<JsonNode> lines(Path log) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    if (Files.isRegularFile(log)) {
      for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        JsonNode n = ProxyProcess.JSON.readTree(l); // throws on a torn line
        if (!n.has("event")) { // refusals, not the session's summary
          out.add(n);
        }
      }
    }
    return out;
  }

  private static List<Integer> loggedIds(Path log) throws IOException {
    return lines(log).stream().map(n -> n.path("request_id").asInt()).toList();
  }

  /**
   * {@link #unwritten} once the record of request {@code id} is among them (or after 10 s): stderr
   * is read by a thread of its own, so a record printed before its answer may still be on its way.
   */
  private static List<JsonNode> unwrittenUpTo(RecordingSession s, int id) throws Exception {
    long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    List<JsonNode> out = unwritten(s);
    while (out.stream().noneMatch(n -> n.path("request_id").asInt() == id)
        && System.nanoTime() < end) {
      Thread.sleep(20);
      out = unwritten(s);
    }
    return out;
  }

  /** Records written to stderr after the marker, parsed. */
  private static List<JsonNode> unwritten(RecordingSession s) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : s.proxy().stderr().split("\n")) {
      if (l.startsWith(MARKER)) {
        out.add(ProxyProcess.JSON.readTree(l.substring(MARKER.length())));
      }
    }
    return out;
  }

  @Test
  void noRefusalIsAnsweredBeforeItsLineIsInTheLog() throws Exception {
    Path log = dir.resolve("v.jsonl");
    try (RecordingSession s = start(log)) {
      s.proxy().initialize();
      for (int id = 1; id <= 40; id++) {
        refuse(s, id);
        // read at the moment the answer arrived
        assertThat(loggedIds(log)).as("logged before answer " + id).contains(id);
      }
      s.send("[" + toolsCall("50", "call_aws", "{}") + "," + toolsCall("51", "nope", "{}") + "]");
      s.next(JsonNode::isArray);
      assertThat(loggedIds(log)).contains(50, 51);
    }
  }

  @Test
  void aRemovedLogIsRecreatedAndTheRecordLandsThere() throws Exception {
    Path log = dir.resolve("logs").resolve("v.jsonl");
    try (RecordingSession s = start(log)) {
      s.proxy().initialize();
      refuse(s, 1);
      Files.delete(log);
      refuse(s, 2);
      assertThat(loggedIds(log)).containsExactly(2);
      Files.delete(log);
      Files.delete(log.getParent());
      refuse(s, 3);
      assertThat(loggedIds(log)).containsExactly(3);
      assertThat(unwritten(s)).isEmpty();
    }
  }

  @Test
  void aLogReplacedByADirectoryGoesToStderrWholeAndRecovery() throws Exception {
    Path log = dir.resolve("logs").resolve("v.jsonl");
    try (RecordingSession s = start(log)) {
      s.proxy().initialize();
      refuse(s, 1);
      // "permission lost": root ignores modes, so make the path unwritable by what it is
      Files.delete(log);
      Files.createDirectory(log);
      refuse(s, 2);
      refuse(s, 3);
      assertThat(unwrittenUpTo(s, 3)).extracting(n -> n.path("request_id").asInt())
          .containsExactly(2, 3);
      assertThat(unwritten(s).get(0).path("code").asText()).isEqualTo("denied");
      assertThat(unwritten(s).get(0).path("tool").asText()).isEqualTo("call_aws");
      Files.delete(log);
      refuse(s, 4);
      assertThat(loggedIds(log)).containsExactly(4);
      s.proxy().assertStderrContains("cannot be written", "writable again");

      // its directory replaced by a regular file: it cannot even be recreated
      Files.delete(log);
      Files.delete(log.getParent());
      Files.writeString(log.getParent(), "not a directory");
      refuse(s, 5);
      assertThat(unwrittenUpTo(s, 5)).extracting(n -> n.path("request_id").asInt()).contains(5);
      Files.delete(log.getParent());
      refuse(s, 6);
      assertThat(loggedIds(log)).containsExactly(6);
    }
  }

  @Test
  void aFullDiskSendsRecordsToStderrWithoutTearingTheLogAndRecovers() throws Exception {
    Path fs = dir.resolve("small-fs");
    Files.createDirectory(fs);
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", fs.toString()) == 0,
        "mounting a 64 KiB tmpfs needs root and a permissive sandbox");
    Path log = fs.resolve("v.jsonl");
    try (RecordingSession s = start(log)) {
      s.proxy().initialize();
      refuse(s, 1);
      Path filler = fs.resolve("filler");
      try (OutputStream out = Files.newOutputStream(filler)) {
        byte[] block = new byte[512];
        while (true) {
          out.write(block);
          out.flush();
        }
      } catch (IOException full) {
        // the disk is full now
      }
      for (int id = 2; id <= 20; id++) {
        refuse(s, id);
      }
      List<Integer> logged = loggedIds(log); // every line whole
      // stderr is read by a thread of its own: a record printed there before its answer went to
      // stdout may still be on its way to this test when the answer has arrived
      long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      List<Integer> onStderr = unwritten(s).stream().map(n -> n.path("request_id").asInt()).toList();
      while (logged.size() + onStderr.size() < 20 && System.nanoTime() < end) {
        Thread.sleep(20);
        onStderr = unwritten(s).stream().map(n -> n.path("request_id").asInt()).toList();
      }
      assertThat(onStderr).as("records that did not fit went to stderr").isNotEmpty();
      List<Integer> all = new ArrayList<>(logged);
      all.addAll(onStderr);
      assertThat(all).as("no record lost").containsExactlyInAnyOrder(
          1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20);
      Files.delete(filler);
      refuse(s, 21);
      assertThat(loggedIds(log)).contains(21);
      s.proxy().assertStderrContains("No space left on device", "writable again");
    } finally {
      run("umount", "-l", fs.toString());
    }
  }

  @Test
  void requireAuditRefusesEveryCallWhileTheLogIsDownAndLetsThemThroughAfterRecovery()
      throws Exception {
    Path log = dir.resolve("v.jsonl");
    try (RecordingSession s = start(log, "--require-audit")) {
      s.proxy().initialize();
      s.sync();
      Files.delete(log);
      Files.createDirectory(log);
      JsonNode r = s.exchange("2", toolsCall("2", "standin_echo", "{\"m\":\"audit-down\"}"));
      assertThat(r.path("result").path("isError").asBoolean()).as(r.toString()).isTrue();
      assertThat(r.path("result").path("content").get(0).path("text").asText())
          .contains("--require-audit");
      assertThat(unwrittenUpTo(s, 2)).extracting(n -> n.path("request_id").asInt()).contains(2);
      Files.delete(log);
      JsonNode ok = s.exchange("3", toolsCall("3", "standin_echo", "{\"m\":\"audit-up\"}"));
      assertThat(ok.path("result").path("structuredContent").path("m").asText())
          .isEqualTo("audit-up");
      // the upstream answered 3, so it has recorded everything sent before it
      assertThat(s.received()).contains("audit-up").doesNotContain("audit-down");
      s.proxy().assertStderrContains("writable again");
    }
  }

  private static int run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
