package io.github.mcppolicyproxy.it;

import static io.github.mcppolicyproxy.it.RecordingSession.DENY_BUT_ECHO;
import static io.github.mcppolicyproxy.it.RecordingSession.toolsCall;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attempts to get a call past the policy, against the packaged jar and a stand-in upstream that
 * records every line it receives: for each attack the proxy answers, and the upstream's record
 * proves the refused call never reached it. The policy allows only {@code standin_echo}.
 */
class BypassIT {
  private static final String REFUSAL_META = "io.github.mcp-policy-proxy/refusal";

  @TempDir
  Path dir;

  /** A policy refusal (a tool result with isError) or a JSON-RPC error: anything but a pass. */
  private static void assertRefusedOrError(JsonNode answer, String what) {
    boolean refusal = answer.path("result").path("isError").asBoolean(false)
        && answer.path("result").path("_meta").has(REFUSAL_META);
    boolean error = answer.has("error");
    assertThat(refusal || error).as(what + " was answered by the proxy with a refusal or an error,"
        + " got " + answer).isTrue();
  }

  private static int errorCode(JsonNode answer) {
    return answer.path("error").path("code").asInt();
  }

  @Test
  void repeatedNameOrArgumentsInParamsAreRefusedInEitherOrderAndNeverForwarded() throws Exception {
    Map<String, String> attacks = new LinkedHashMap<>();
    attacks.put("allowed name first", "{\"name\":\"standin_echo\",\"name\":\"call_aws\","
        + "\"arguments\":{\"m\":\"dup-name-1\"}}");
    attacks.put("allowed name last", "{\"name\":\"call_aws\",\"name\":\"standin_echo\","
        + "\"arguments\":{\"m\":\"dup-name-2\"}}");
    attacks.put("name repeated through an escape", "{\"name\":\"standin_echo\","
        + "\"na\\u006de\":\"call_aws\",\"arguments\":{\"m\":\"dup-name-3\"}}");
    attacks.put("arguments repeated", "{\"name\":\"standin_echo\",\"arguments\":{\"m\":"
        + "\"dup-args-1\"},\"arguments\":{\"m\":\"dup-args-2\"}}");
    attacks.put("arguments repeated, other order", "{\"arguments\":{\"m\":\"dup-args-3\"},"
        + "\"name\":\"standin_echo\",\"arguments\":{\"m\":\"dup-args-4\"}}");
    attacks.put("a key repeated deep inside arguments", "{\"name\":\"standin_echo\","
        + "\"arguments\":{\"a\":{\"cli_command\":\"dup-deep-1\",\"cli_command\":\"x\"}}}");
    try (RecordingSession s = RecordingSession.start(dir, DENY_BUT_ECHO)) {
      s.proxy().initialize();
      int id = 100;
      for (Map.Entry<String, String> a : attacks.entrySet()) {
        id++;
        JsonNode r = s.exchange(Integer.toString(id), "{\"jsonrpc\":\"2.0\",\"id\":" + id
            + ",\"method\":\"tools/call\",\"params\":" + a.getValue() + "}");
        assertThat(errorCode(r)).as(a.getKey() + ": " + r).isEqualTo(-32600);
        assertThat(r.path("error").path("message").asText()).as(a.getKey())
            .containsIgnoringCase("duplicate");
      }
      for (String marker : List.of("dup-name-1", "dup-name-2", "dup-name-3", "dup-args-1",
          "dup-args-2", "dup-args-3", "dup-args-4", "dup-deep-1")) {
        s.assertNeverReachedUpstream(marker);
      }
    }
  }

  @Test
  void repeatedMethodOrParamsAtTheTopAreRefusedInEitherOrderAndNeverForwarded()
      throws Exception {
    String denied = "{\"name\":\"call_aws\",\"arguments\":{\"cli_command\":\"aws s3 rb s3://dup-%s\"}}";
    String allowed = "{\"name\":\"standin_echo\",\"arguments\":{\"m\":\"dup-%s\"}}";
    List<String> frames = List.of(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"method\":\"ping\",\"params\":"
            + denied.formatted("m1") + "}",
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\",\"method\":\"tools/call\",\"params\":"
            + denied.formatted("m2") + "}",
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"m\\u0065thod\":\"ping\","
            + "\"params\":" + denied.formatted("m3") + "}",
        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":"
            + allowed.formatted("p1") + ",\"params\":" + denied.formatted("p2") + "}",
        "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":"
            + denied.formatted("p3") + ",\"params\":" + allowed.formatted("p4") + "}",
        "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"jsonrpc\":\"2.0\",\"params\":"
            + allowed.formatted("j1") + "}");
    try (RecordingSession s = RecordingSession.start(dir, DENY_BUT_ECHO)) {
      s.proxy().initialize();
      for (int i = 0; i < frames.size(); i++) {
        JsonNode r = s.exchange(Integer.toString(i + 1), frames.get(i));
        assertThat(errorCode(r)).as(frames.get(i) + " -> " + r).isEqualTo(-32600);
      }
      // a repeated id cannot be echoed: the answer carries id null
      s.send("{\"jsonrpc\":\"2.0\",\"id\":7,\"id\":8,\"method\":\"tools/call\",\"params\":"
          + allowed.formatted("i1") + "}");
      JsonNode r = s.answerTo("null");
      assertThat(errorCode(r)).isEqualTo(-32600);
      for (String m : List.of("m1", "m2", "m3", "p1", "p2", "p3", "p4", "j1", "i1")) {
        s.assertNeverReachedUpstream("dup-" + m);
      }
    }
  }

  @Test
  void aBatchIsJudgedElementByElement() throws Exception {
    try (RecordingSession s = RecordingSession.start(dir, DENY_BUT_ECHO)) {
      s.proxy().initialize();
      s.send("[" + toolsCall("10", "standin_echo", "{\"m\":\"batch-allowed-1\"}") + ","
          + toolsCall("11", "call_aws", "{\"cli_command\":\"aws s3 rb s3://batch-denied-1\"}") + ","
          + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":"
          + "\"batch-note-1\",\"progress\":1}},"
          + toolsCall("12", "standin_echo", "{\"m\":\"batch-allowed-2\"}") + "]");
      JsonNode answers = s.next(JsonNode::isArray);
      assertThat(answers).hasSize(1);
      assertThat(answers.get(0).path("id").asInt()).isEqualTo(11);
      assertRefusedOrError(answers.get(0), "the denied element");
      s.assertReachedUpstream("batch-allowed-1");
      assertThat(s.received()).contains("batch-allowed-2").contains("batch-note-1")
          .doesNotContain("batch-denied-1");
    }
  }

  @Test
  void emptyMalformedAndNestedBatchesGetTheSpecsErrorsAndNothingIsForwarded() throws Exception {
    try (RecordingSession s = RecordingSession.start(dir, DENY_BUT_ECHO)) {
      s.proxy().initialize();
      s.send("[]");
      JsonNode empty = s.next(n -> true);
      assertThat(empty.isObject()).as("an empty batch gets one error, not an array").isTrue();
      assertThat(errorCode(empty)).isEqualTo(-32600);
      assertThat(empty.get("id").isNull()).isTrue();

      s.send("[" + toolsCall("20", "call_aws", "{\"cli_command\":\"malformed-1\"}"));
      JsonNode unterminated = s.next(n -> true);
      assertThat(errorCode(unterminated)).isEqualTo(-32700);
      assertThat(unterminated.get("id").isNull()).isTrue();

      s.send("[1,\"malformed-2\",null]");
      JsonNode notRequests = s.next(n -> true);
      assertThat(notRequests.isArray()).as("one error per element: " + notRequests).isTrue();
      assertThat(notRequests).hasSize(3);
      notRequests.forEach(e -> {
        assertThat(errorCode(e)).isEqualTo(-32600);
        assertThat(e.get("id").isNull()).isTrue();
      });

      s.send("[[" + toolsCall("21", "call_aws", "{\"cli_command\":\"nested-1\"}") + "],"
          + toolsCall("22", "call_aws", "{\"cli_command\":\"nested-2\"}") + "]");
      JsonNode nested = s.next(JsonNode::isArray);
      assertThat(nested).hasSize(2);
      assertThat(errorCode(nested.get(0))).isEqualTo(-32600);
      assertThat(nested.get(1).path("id").asInt()).isEqualTo(22);
      assertRefusedOrError(nested.get(1), "the denied element after a nested batch");

      s.send("[" + toolsCall("23", "standin_echo", "{\"m\":\"dup-in-batch\",\"m\":1}") + ","
          + "{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"standin_echo\","
          + "\"arguments\":{\"m\":\"notification-in-batch\"}}}]");
      JsonNode dup = s.next(JsonNode::isArray);
      assertThat(dup).hasSize(1);
      assertThat(errorCode(dup.get(0))).isEqualTo(-32600);

      for (String m : List.of("malformed-1", "malformed-2", "nested-1", "nested-2", "dup-in-batch",
          "notification-in-batch")) {
        s.assertNeverReachedUpstream(m);
      }
    }
  }

  @Test
  void aToolsCallSentAsANotificationIsNeverForwardedAndIsLogged() throws Exception {
    try (RecordingSession s = RecordingSession.start(dir, DENY_BUT_ECHO)) {
      s.proxy().initialize();
      s.send("{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"standin_echo\","
          + "\"arguments\":{\"m\":\"note-allowed\"}}}");
      s.send("{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"call_aws\","
          + "\"arguments\":{\"cli_command\":\"aws s3 rb s3://note-denied\"}}}");
      s.send("{\"jsonrpc\":\"2.0\",\"method\":\"tools\\/call\",\"params\":{\"name\":\"call_aws\","
          + "\"arguments\":{\"cli_command\":\"aws s3 rb s3://note-escaped\"}}}");
      s.assertNeverReachedUpstream("note-allowed");
      s.assertNeverReachedUpstream("note-denied");
      s.assertNeverReachedUpstream("note-escaped");
      s.proxy().assertStderrContains("tools/call sent as a notification");
      List<JsonNode> log = s.violationLines();
      assertThat(log).hasSize(3);
      for (JsonNode line : log) {
        assertThat(line.path("request_id").isNull()).isTrue();
        assertThat(line.path("code").asText()).isEqualTo("invalid_request");
      }
      assertThat(log.get(0).path("tool").asText()).isEqualTo("standin_echo");
      assertThat(log.get(1).path("tool").asText()).isEqualTo("call_aws");
    }
  }

  @Test
  void toolNamesAreComparedExactlyWithoutCaseFoldingOrUnicodeNormalisation() throws Exception {
    String nfc = Normalizer.normalize("caf\u00e9_tool", Normalizer.Form.NFC);
    String nfd = Normalizer.normalize(nfc, Normalizer.Form.NFD);
    assertThat(nfc).isNotEqualTo(nfd);
    String policy = "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"standin_echo\":{},\""
        + nfc + "\":{}}}";
    List<String> lookAlikes = List.of(
        "Standin_echo", "STANDIN_ECHO", "standin_Echo",
        "standin_ech\u043e", // Cyrillic o
        "st\u0430ndin_echo", // Cyrillic a
        "standin_echo\u200b", "\u200bstandin_echo", "standin\u200d_echo", "\ufeffstandin_echo",
        "standin_echo ", " standin_echo", "standin_echo\u00a0",
        "\uff53tandin_echo", // fullwidth s
        "standin\uff3fecho", // fullwidth low line
        nfd);
    try (RecordingSession s = RecordingSession.start(dir, policy)) {
      s.proxy().initialize();
      int id = 300;
      List<String> markers = new ArrayList<>();
      for (String name : lookAlikes) {
        id++;
        String marker = "lookalike-" + id;
        markers.add(marker);
        JsonNode r = s.exchange(Integer.toString(id), toolsCall(Integer.toString(id),
            ProxyProcess.JSON.writeValueAsString(name).replaceAll("^\"|\"$", ""),
            "{\"m\":\"" + marker + "\"}"));
        assertRefusedOrError(r, "look-alike " + name.codePoints()
            .mapToObj(c -> String.format("U+%04X", c)).toList());
        assertThat(r.path("result").path("_meta").path(REFUSAL_META).path("code").asText())
            .isEqualTo("denied");
      }
      for (String m : markers) {
        s.assertNeverReachedUpstream(m);
      }
      // the exact NFC name passes (and the upstream, which has no such tool, says so)
      s.exchange("399", toolsCall("399", nfc, "{\"m\":\"nfc-exact\"}"));
      s.assertReachedUpstream("nfc-exact");
    }
  }

  @Test
  void escapesInKeysAndNamesAreDecodedBeforeJudging() throws Exception {
    try (RecordingSession s = RecordingSession.start(dir, DENY_BUT_ECHO)) {
      s.proxy().initialize();
      Map<String, String> denied = new LinkedHashMap<>();
      denied.put("41", "{\"jsonrpc\":\"2.0\",\"id\":41,\"method\":\"tools/call\",\"params\":{"
          + "\"na\\u006de\":\"call_aws\",\"arguments\":{\"cli_command\":\"esc-1\"}}}");
      denied.put("42", "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/call\",\"params\":{"
          + "\"name\":\"call\\u005faws\",\"arguments\":{\"cli_command\":\"esc-2\"}}}");
      denied.put("43", "{\"jsonrpc\":\"2.0\",\"id\":43,\"m\\u0065thod\":\"tools\\/call\","
          + "\"params\":{\"name\":\"call_aws\",\"arguments\":{\"cli_command\":\"esc-3\"}}}");
      denied.put("44", "{\"jsonrpc\":\"2.0\",\"id\":44,\"method\":\"tools\\u002fcall\","
          + "\"\\u0070arams\":{\"\\u006e\\u0061\\u006d\\u0065\":\"\\u0063all_aws\","
          + "\"arguments\":{\"cli_command\":\"esc-4\"}}}");
      for (Map.Entry<String, String> d : denied.entrySet()) {
        JsonNode r = s.exchange(d.getKey(), d.getValue());
        assertThat(r.path("result").path("_meta").path(REFUSAL_META).path("code").asText())
            .as(d.getValue() + " -> " + r).isEqualTo("denied");
      }
      for (String m : List.of("esc-1", "esc-2", "esc-3", "esc-4")) {
        s.assertNeverReachedUpstream(m);
      }
      // an escaped spelling of the allowed name is that name, and passes byte for byte
      String escaped = "{\"jsonrpc\":\"2.0\",\"id\":45,\"method\":\"tools/call\",\"params\":{"
          + "\"name\":\"standin\\u005fecho\",\"arguments\":{\"m\":\"esc-allowed\"}}}";
      JsonNode ok = s.exchange("45", escaped);
      assertThat(ok.path("result").path("structuredContent").path("m").asText())
          .isEqualTo("esc-allowed");
      assertThat(s.received()).contains(escaped);
    }
  }

  @Test
  void malformedParamsMissingNamesAndBadIdsGetAClearErrorAndNothingIsForwarded()
      throws Exception {
    Map<String, String> badParams = new LinkedHashMap<>();
    badParams.put("params an array", "[\"standin_echo\",{\"m\":\"bad-1\"}]");
    badParams.put("params a string", "\"standin_echo bad-2\"");
    badParams.put("params null", "null");
    badParams.put("arguments an array", "{\"name\":\"standin_echo\",\"arguments\":[\"bad-3\"]}");
    badParams.put("arguments a string", "{\"name\":\"standin_echo\",\"arguments\":\"bad-4\"}");
    badParams.put("arguments a number", "{\"name\":\"standin_echo\",\"arguments\":4,\"m\":\"bad-5\"}");
    badParams.put("name a number", "{\"name\":5,\"arguments\":{\"m\":\"bad-6\"}}");
    badParams.put("name null", "{\"name\":null,\"arguments\":{\"m\":\"bad-7\"}}");
    badParams.put("name an array", "{\"name\":[\"standin_echo\"],\"arguments\":{\"m\":\"bad-8\"}}");
    badParams.put("name an object", "{\"name\":{\"n\":\"standin_echo\"},\"arguments\":{\"m\":\"bad-9\"}}");
    badParams.put("name missing", "{\"arguments\":{\"m\":\"bad-10\"}}");
    try (RecordingSession s = RecordingSession.start(dir, DENY_BUT_ECHO)) {
      s.proxy().initialize();
      int id = 500;
      for (Map.Entry<String, String> b : badParams.entrySet()) {
        id++;
        JsonNode r = s.exchange(Integer.toString(id), "{\"jsonrpc\":\"2.0\",\"id\":" + id
            + ",\"method\":\"tools/call\",\"params\":" + b.getValue() + "}");
        assertThat(errorCode(r)).as(b.getKey() + ": " + r).isEqualTo(-32602);
        assertThat(r.path("error").path("message").asText()).as(b.getKey())
            .startsWith("Invalid params");
      }
      s.send("{\"jsonrpc\":\"2.0\",\"id\":600,\"method\":\"tools/call\"}");
      assertThat(errorCode(s.answerTo("600"))).as("no params at all").isEqualTo(-32602);

      List<String> badIds = List.of("null", "{\"n\":1}", "[1]", "true");
      int n = 0;
      for (String badId : badIds) {
        n++;
        s.send("{\"jsonrpc\":\"2.0\",\"id\":" + badId + ",\"method\":\"tools/call\",\"params\":"
            + "{\"name\":\"standin_echo\",\"arguments\":{\"m\":\"bad-id-" + n + "\"}}}");
        JsonNode r = s.answerTo("null");
        assertThat(errorCode(r)).as("id " + badId).isEqualTo(-32600);
      }
      for (int i = 1; i <= 10; i++) {
        s.assertNeverReachedUpstream("bad-" + i + "\"");
      }
      for (int i = 1; i <= badIds.size(); i++) {
        s.assertNeverReachedUpstream("bad-id-" + i);
      }
    }
  }
}
