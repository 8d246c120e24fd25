package io.github.mcppolicyproxy.it;

import static io.github.mcppolicyproxy.it.RecordingSession.DENY_BUT_ECHO;
import static io.github.mcppolicyproxy.it.RecordingSession.toolsCall;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input in both directions, against the packaged jar and a recording stand-in upstream: each
 * piece is answered per JSON-RPC (or reported on stderr), nothing bad is forwarded, and the next
 * valid request still works.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileInputIT {
  @TempDir
  Path dir;

  private static int errorCode(JsonNode answer) {
    return answer.path("error").path("code").asInt();
  }

  private static void assertEchoWorks(RecordingSession s, int id, String text) throws Exception {
    JsonNode r = s.exchange(Integer.toString(id), toolsCall(Integer.toString(id), "standin_echo",
        "{\"s\":\"" + text + "\"}"));
    assertThat(r.path("result").path("structuredContent").path("s").asText())
        .as("the session still works: " + r).isEqualTo(text);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  @Test
  void invalidJsonIsAParseErrorWithIdNullAndTheSessionSurvives() throws Exception {
    List<String> bad = List.of(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"x\"",
        "{'jsonrpc':'2.0','id':2,'method':'ping'}",
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"standin_echo\","
            + "\"arguments\":{\"n\":NaN,\"s\":\"parse-nan\"}}}",
        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\"} {\"trailing\":\"parse-trailing\"}",
        "}{", "nul\u0000l");
    try (RecordingSession s = RecordingSession.start(dir, DENY_BUT_ECHO)) {
      s.proxy().initialize();
      for (String b : bad) {
        s.send(b);
        JsonNode r = s.next(n -> true);
        assertThat(errorCode(r)).as(b + " -> " + r).isEqualTo(-32700);
        assertThat(r.get("id").isNull()).isTrue();
      }
      assertEchoWorks(s, 10, "after invalid JSON");
      s.assertNeverReachedUpstream("parse-nan");
      s.assertNeverReachedUpstream("parse-trailing");
      s.proxy().assertStderrContains("Parse error");
    }
  }

  @Test
  void invalidUtf8IsAParseErrorAndNeverReachesTheUpstream() throws Exception {
    byte[][] badSequences = {
        {(byte) 0xff}, {(byte) 0xc0, (byte) 0xaf}, // overlong '/'
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // an encoded surrogate
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        {(byte) 0xe2, (byte) 0x82}, // truncated
    };
    try (RecordingSession s = RecordingSession.start(dir, DENY_BUT_ECHO)) {
      s.proxy().initialize();
      int n = 0;
      for (byte[] seq : badSequences) {
        n++;
        s.proxy().sendBytes(concat(bytes("{\"jsonrpc\":\"2.0\",\"id\":" + n + ",\"method\":"
            + "\"tools/call\",\"params\":{\"name\":\"standin_echo\",\"arguments\":{\"s\":\"utf8-"
            + n + "-"), seq, bytes("\"}}}\n")));
        JsonNode r = s.next(x -> true);
        assertThat(errorCode(r)).as("sequence " + n + ": " + r).isEqualTo(-32700);
        assertThat(r.get("id").isNull()).isTrue();
        assertThat(r.path("error").path("message").asText()).contains("UTF-8");
      }
      assertEchoWorks(s, 20, "after invalid UTF-8");
      for (int i = 1; i <= n; i++) {
        s.assertNeverReachedUpstream("utf8-" + i + "-");
      }
    }
  }

  @Test
  void emptyLinesAreSkippedAndCrlfFramesAreJudgedAndWork() throws Exception {
    try (RecordingSession s = RecordingSession.start(dir, DENY_BUT_ECHO)) {
      s.proxy().initialize();
      s.proxy().sendBytes(bytes("\n\r\n   \n\t\r\n"));
      // CRLF: a denied call is still refused, an allowed one still works
      s.proxy().sendBytes(bytes(toolsCall("30", "call_aws",
          "{\"cli_command\":\"aws s3 rb s3://crlf-denied\"}") + "\r\n"));
      JsonNode refused = s.next(n -> true);
      assertThat(refused.path("id").asInt()).as("the blank lines got no answer").isEqualTo(30);
      assertThat(refused.path("result").path("isError").asBoolean()).isTrue();
      s.proxy().sendBytes(bytes(toolsCall("31", "standin_echo", "{\"s\":\"crlf-allowed\"}")
          + "\r\n"));
      JsonNode ok = s.answerTo("31");
      assertThat(ok.path("result").path("structuredContent").path("s").asText())
          .isEqualTo("crlf-allowed");
      s.proxy().sendBytes(bytes("[" + toolsCall("32", "call_aws", "{\"cli_command\":\"crlf-batch\"}")
          + "]\r\n"));
      assertThat(s.next(JsonNode::isArray).get(0).path("id").asInt()).isEqualTo(32);
      s.assertNeverReachedUpstream("crlf-denied");
      s.assertNeverReachedUpstream("crlf-batch");
      s.proxy().assertStderrContains("empty line");
    }
  }

  @Test
  void nestingTenThousandDeepIsAnsweredWithoutAStackOverflow() throws Exception {
    int depth = 10_000;
    String deepArray = "[".repeat(depth) + "]".repeat(depth);
    String deepObject = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    try (RecordingSession s = RecordingSession.start(dir, DENY_BUT_ECHO)) {
      s.proxy().initialize();
      s.send(deepArray);
      JsonNode nested = s.next(n -> true); // a batch whose one element is a batch
      assertThat(nested.isArray()).isTrue();
      assertThat(errorCode(nested.get(0))).isEqualTo(-32600);
      s.send(deepObject);
      assertThat(errorCode(s.next(n -> true))).isEqualTo(-32600); // not a JSON-RPC message
      // inside a tools/call's arguments: cannot be judged on a tree, so refused and not forwarded
      JsonNode call = s.exchange("40", toolsCall("40", "standin_echo",
          "{\"s\":\"deep-call\",\"d\":" + deepObject + "}"));
      assertThat(errorCode(call)).as(call.toString()).isEqualTo(-32600);
      JsonNode callArray = s.exchange("41", toolsCall("41", "standin_echo",
          "{\"s\":\"deep-call-array\",\"d\":" + deepArray + "}"));
      assertThat(errorCode(callArray)).isEqualTo(-32600);
      // a million levels: refused by the scanner's bound rather than by the heap
      s.send("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"x\",\"params\":"
          + "[".repeat(1_000_000) + "]".repeat(1_000_000) + "}");
      JsonNode million = s.next(n -> true);
      assertThat(errorCode(million)).isEqualTo(-32700);
      assertEchoWorks(s, 43, "after deep nesting");
      s.assertNeverReachedUpstream("deep-call");
      assertThat(s.proxy().stderr()).doesNotContain("StackOverflowError")
          .doesNotContain("OutOfMemoryError");
    }
  }

  @Test
  void aFrameOverTheLimitIsRefusedWithItsIdAndNeverForwarded() throws Exception {
    try (RecordingSession s = RecordingSession.start(dir, DENY_BUT_ECHO,
        List.of("--max-frame-bytes", "65536"), List.of())) {
      s.proxy().initialize();
      JsonNode r = s.exchange("\"big-1\"", toolsCall("\"big-1\"", "standin_echo",
          "{\"s\":\"oversize-marker\",\"pad\":\"" + "x".repeat(70_000) + "\"}"));
      assertThat(errorCode(r)).isEqualTo(-32003);
      assertEchoWorks(s, 50, "after an oversize frame");
      s.assertNeverReachedUpstream("oversize-marker");
    }
  }

  @Test
  void aHundredMegabyteLineWithoutNewlineIsAnsweredEarlyInBoundedMemory() throws Exception {
    try (RecordingSession s = RecordingSession.start(dir, DENY_BUT_ECHO,
        List.of("--max-frame-bytes", "8388608"), List.of("-Xmx64m"))) {
      s.proxy().initialize();
      s.proxy().sendBytes(bytes("{\"jsonrpc\":\"2.0\",\"id\":\"huge\",\"method\":\"tools/call\","
          + "\"params\":{\"name\":\"standin_echo\",\"arguments\":{\"s\":\"huge-marker"));
      byte[] chunk = new byte[1 << 20];
      java.util.Arrays.fill(chunk, (byte) 'x');
      for (int i = 0; i < 100; i++) {
        s.proxy().sendBytes(chunk);
      }
      // answered once the limit was passed, before the line ends
      JsonNode r = s.answerTo("\"huge\"");
      assertThat(errorCode(r)).isEqualTo(-32003);
      long peakKb = peakRssKb(s.proxy().process().pid());
      s.proxy().sendBytes(bytes("\"}}}\n"));
      assertEchoWorks(s, 60, "after a 100 MB line");
      s.assertNeverReachedUpstream("huge-marker");
      assertThat(s.proxy().stderr()).doesNotContain("OutOfMemoryError");
      System.out.println("HostileInputIT: proxy peak RSS with a 100 MB line, -Xmx64m, 8 MiB frame"
          + " limit: " + peakKb / 1024 + " MiB");
    }
  }

  static long peakRssKb(long pid) throws java.io.IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("VmHWM:")) {
        return Long.parseLong(l.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  @Test
  void binaryGarbageIsAnsweredAndTheNextRequestWorks() throws Exception {
    Random random = new Random(20261124L);
    byte[] garbage = new byte[256 * 1024];
    random.nextBytes(garbage);
    try (RecordingSession s = RecordingSession.start(dir, DENY_BUT_ECHO)) {
      s.proxy().initialize();
      s.proxy().sendBytes(garbage);
      s.proxy().sendBytes(bytes("\n"));
      int before = s.proxy().stdoutLines().size();
      assertEchoWorks(s, 70, "after binary garbage");
      List<byte[]> lines = s.proxy().stdoutLines();
      for (byte[] line : lines.subList(before > 0 ? 1 : 0, lines.size())) {
        JsonNode n = ProxyProcess.JSON.readTree(line);
        assertThat(n.path("jsonrpc").asText()).isEqualTo("2.0");
      }
      assertThat(lines.size()).as("the garbage got answers").isGreaterThan(2);
    }
  }

  @Test
  void halfAFrameThenAPauseThenTheRestIsOneFrame() throws Exception {
    try (RecordingSession s = RecordingSession.start(dir, DENY_BUT_ECHO)) {
      s.proxy().initialize();
      String frame = toolsCall("80", "standin_echo", "{\"s\":\"two halves\"}");
      int half = frame.length() / 2;
      s.proxy().sendBytes(bytes(frame.substring(0, half)));
      // nothing may come back for half a frame: the proxy waits for the rest
      byte[] early = pollLine(s.proxy(), Duration.ofMillis(500));
      assertThat(early).isNull();
      s.proxy().sendBytes(bytes(frame.substring(half) + "\n"));
      JsonNode r = s.answerTo("80");
      assertThat(r.path("result").path("structuredContent").path("s").asText())
          .isEqualTo("two halves");
      // and a denied call split the same way is still refused
      String denied = toolsCall("81", "call_aws", "{\"cli_command\":\"aws s3 rb s3://split\"}");
      s.proxy().sendBytes(bytes(denied.substring(0, 10)));
      assertThat(pollLine(s.proxy(), Duration.ofMillis(200))).isNull();
      s.proxy().sendBytes(bytes(denied.substring(10) + "\n"));
      assertThat(s.answerTo("81").path("result").path("isError").asBoolean()).isTrue();
      s.assertNeverReachedUpstream("s3://split");
    }
  }

  private static byte[] pollLine(ProxyProcess p, Duration d) throws InterruptedException {
    return p.poll(d); // a bounded wait that expects nothing, not a synchronisation
  }

  @Test
  void garbageFromTheUpstreamNeverReachesTheClientAndIsReportedOnStderr() throws Exception {
    List<String> garbage = List.of("this is not JSON {", "{\"jsonrpc\":\"2.0\",\"id\":",
        "[1,\"two\"]", "[]", "{\"no\":\"method\"}", "42", "\u0001\u0002binary\u007f",
        "[{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\","
            + "\"data\":\"kept\"}},\"dropped-element\"]");
    String policy = "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"standin_echo\":{},"
        + "\"standin_garbage\":{}}}";
    try (RecordingSession s = RecordingSession.start(dir, policy)) {
      s.proxy().initialize();
      int id = 90;
      for (String g : garbage) {
        id++;
        JsonNode r = s.exchange(Integer.toString(id), toolsCall(Integer.toString(id),
            "standin_garbage", "{\"text\":" + ProxyProcess.JSON.writeValueAsString(g) + "}"));
        assertThat(r.has("result")).isTrue();
      }
      assertEchoWorks(s, 99, "after upstream garbage");
      for (byte[] line : s.proxy().stdoutLines()) {
        JsonNode n = ProxyProcess.JSON.readTree(line);
        for (JsonNode m : n.isArray() ? List.copyOf(iterable(n)) : List.of(n)) {
          assertThat(m.isObject()).as(new String(line, StandardCharsets.UTF_8)).isTrue();
          assertThat(m.path("jsonrpc").asText()).isEqualTo("2.0");
          assertThat(m.has("method") || m.has("result") || m.has("error")).isTrue();
        }
      }
      s.proxy().assertStderrContains("this is not JSON {", "[1,\"two\"]", "{\"no\":\"method\"}",
          "dropped-element");
      String out = String.join("\n", s.proxy().stdoutLines().stream()
          .map(b -> new String(b, StandardCharsets.UTF_8)).toList());
      assertThat(out).contains("kept").doesNotContain("dropped-element")
          .doesNotContain("this is not JSON");
    }
  }

  private static List<JsonNode> iterable(JsonNode array) {
    List<JsonNode> out = new java.util.ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
