package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Out-of-band approval with two processes of the same user: the packaged jar holds a call that its
 * client cannot be asked about (no elicitation capability), other calls go on, and the jar's
 * {@code approvals} / {@code approve ID} / {@code deny ID} subcommands, run as separate processes,
 * decide it through the private approvals directory. The stand-in records what it receives.
 */
class OutOfBandApprovalIT {
  private static final String POLICY = """
      {"version":"1","default":"allow","tools":{"standin_echo":{
        "action":"require_approval","approval":{"timeout_seconds":120}}}}
      """;

  @TempDir
  Path dir;

  private static void echo(ProxyProcess p, int id, String marker) throws Exception {
    p.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":"
        + "\"standin_echo\",\"arguments\":{\"marker\":\"" + marker + "\"}}}");
  }

  private String operator(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--approvals-dir", dir.resolve("approvals").toString()));
    try (ProxyProcess p = ProxyProcess.start(all)) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).as(String.join(" ", args)).isZero();
      return String.join("\n", p.stdoutLines().stream()
          .map(b -> new String(b, StandardCharsets.UTF_8)).toList());
    }
  }

  /** The held calls as `approvals` lists them, waiting until {@code n} are listed. */
  private List<String> listed(int n) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      String out = operator("approvals");
      List<String> lines = out.isBlank() ? List.of() : out.lines().toList();
      if (lines.size() >= n || System.nanoTime() > end) {
        return lines;
      }
      Thread.sleep(200);
    }
  }

  @Test
  void aHeldCallIsDecidedFromAnotherProcessWhileOtherCallsGoOn() throws Exception {
    Path record = dir.resolve("received.jsonl");
    Path log = dir.resolve("violations.jsonl");
    Path policy = ProxyProcess.write(dir, "policy.json", POLICY);
    List<String> args = new ArrayList<>(List.of("--policy", policy.toString(), "--violation-log",
        log.toString(), "--session-id", "oob-session", "--approval-fallback", "out-of-band",
        "--approvals-dir", dir.resolve("approvals").toString(), "--"));
    args.addAll(ProxyProcess.standIn("--test-tools", "--record", record.toString()));
    try (ProxyProcess p = ProxyProcess.start(args)) {
      p.call(0, "initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
          + "\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}");
      echo(p, 1, "to-approve");
      // other calls go on while it is held
      JsonNode other = p.callTool(2, "standin_notify", "{\"count\":1}");
      assertThat(other.path("result").isObject()).as(other.toString()).isTrue();

      List<String> held = listed(1);
      assertThat(held).hasSize(1);
      String[] cols = held.get(0).split("  ");
      String id = cols[0];
      assertThat(id).matches("[0-9a-f]{32}");
      assertThat(held.get(0)).contains("oob-session").contains("standin_echo")
          .contains("to-approve");
      Path approvals = dir.resolve("approvals");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(approvals)))
          .isEqualTo("rwx------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
          approvals.resolve(id + ".request.json")))).isEqualTo("rw-------");

      assertThat(operator("approve", id)).contains("approved " + id);
      JsonNode approved = p.answerTo(1);
      assertThat(approved.path("result").path("isError").asBoolean(true)).isFalse();
      assertThat(approved.toString()).contains("to-approve");

      echo(p, 3, "to-deny");
      String denyId = listed(1).get(0).split("  ")[0];
      assertThat(operator("deny", denyId, "--reason", "not on a Friday")).contains("denied");
      JsonNode denied = p.answerTo(3);
      assertThat(denied.path("result").path("_meta").path("io.github.mcp-policy-proxy/refusal")
          .path("code").asText()).isEqualTo("approval_declined");
      assertThat(denied.toString()).contains("not on a Friday");
      p.assertStderrContains("HELD standin_echo", "mcp-policy-proxy approve");
      assertThat(listed(0)).isEmpty();
    }
    String received = Files.readString(record, StandardCharsets.UTF_8);
    assertThat(received).contains("to-approve").doesNotContain("to-deny");
    String logged = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(logged).contains("\"outcome\":\"held\"").contains("approval_held")
        .contains("approval_declined");
  }

  /**
   * A batch whose element needs approval: the batch is answered at once without that element
   * (here the denied element's refusal), and the held element is answered later in a frame of its
   * own, after the person's decision (or the approval timeout), like every held call.
   */
  @Test
  void aHeldElementOfABatchIsAnsweredLaterInAFrameOfItsOwnTheRestOfTheBatchAtOnce()
      throws Exception {
    Path record = dir.resolve("received.jsonl");
    Path policy = ProxyProcess.write(dir, "policy.json", """
        {"version":"1","default":"allow","tools":{
          "standin_echo":{"action":"require_approval","approval":{"timeout_seconds":120}},
          "standin_crash":{"action":"deny","reason":"never"}}}
        """);
    List<String> args = new ArrayList<>(List.of("--policy", policy.toString(), "--violation-log",
        dir.resolve("v.jsonl").toString(), "--approval-fallback", "out-of-band",
        "--approvals-dir", dir.resolve("approvals").toString(), "--"));
    args.addAll(ProxyProcess.standIn("--test-tools", "--record", record.toString()));
    try (ProxyProcess p = ProxyProcess.start(args)) {
      p.initialize();
      p.send("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
          + "\"standin_echo\",\"arguments\":{\"marker\":\"held-in-batch\"}}},"
          + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
          + "\"standin_crash\",\"arguments\":{}}}]");
      JsonNode batch = p.next();
      assertThat(batch.isArray()).as(batch.toString()).isTrue();
      assertThat(batch).hasSize(1);
      assertThat(batch.get(0).path("id").asInt()).isEqualTo(2);
      assertThat(batch.get(0).toString()).contains("never");

      List<String> held = listed(1);
      assertThat(held).hasSize(1);
      assertThat(held.get(0)).contains("held-in-batch");
      assertThat(Files.readString(record, StandardCharsets.UTF_8)).doesNotContain("held-in-batch");
      assertThat(operator("approve", held.get(0).split("  ")[0])).contains("approved");
      JsonNode approved = p.next();
      assertThat(approved.isObject()).as(approved.toString()).isTrue();
      assertThat(approved.path("id").asInt()).isEqualTo(1);
      assertThat(approved.toString()).contains("held-in-batch");
    }
    assertThat(Files.readString(record, StandardCharsets.UTF_8)).contains("held-in-batch");
  }

  @Test
  void theProxyRefusesToStartOnAnApprovalsDirectoryOthersCanWrite() throws Exception {
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path policy = ProxyProcess.write(dir, "policy.json", POLICY);
    List<String> args = new ArrayList<>(List.of("--policy", policy.toString(), "--violation-log",
        dir.resolve("v.jsonl").toString(), "--approval-via", "out-of-band", "--approvals-dir",
        open.toString(), "--"));
    args.addAll(ProxyProcess.standIn());
    try (ProxyProcess p = ProxyProcess.start(args)) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(p.stderr()).contains("open to other users");
    }
    try (ProxyProcess p = ProxyProcess.start(List.of("approvals", "--approvals-dir",
        open.toString()))) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isEqualTo(2);
    }
  }
}
