package io.github.mcppolicyproxy.standin;

import static io.github.mcppolicyproxy.standin.StandInProcess.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandInServerTest {

  private static final String INITIALIZE = """
      {"jsonrpc":"2.0","id":%s,"method":"initialize","params":{"protocolVersion":"%s","capabilities":{},\
      "clientInfo":{"name":"test","version":"1"}}}""";

  @Test
  void initializeEchoesTheIdAsSentAndNegotiatesTheVersion() throws Exception {
    try (StandInProcess standIn = StandInProcess.start()) {
      standIn.send(INITIALIZE.formatted("7.50", "2025-03-26"));
      String numeric = standIn.nextLine();
      standIn.send(INITIALIZE.formatted("\"abc\"", "1999-01-01"));
      JsonNode text = standIn.next();

      assertThat(numeric).startsWith("{\"jsonrpc\":\"2.0\",\"id\":7.50,\"result\":");
      assertThat(JSON.readTree(numeric).at("/result/protocolVersion").asText()).isEqualTo("2025-03-26");
      assertThat(text.get("id").isTextual()).isTrue();
      assertThat(text.get("id").asText()).isEqualTo("abc");
      JsonNode recorded = fixture("standin/initialize.json").at("/response/result");
      assertThat(text.get("result")).isEqualTo(((ObjectNode) recorded.deepCopy()).put("protocolVersion", "2025-06-18"));
    }
  }

  @Test
  void toolsListIsTheRecordedListPlusTheHealthOmicsTool() throws Exception {
    try (StandInProcess standIn = StandInProcess.start()) {
      standIn.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
      JsonNode tools = standIn.next().at("/result/tools");

      JsonNode recorded = fixture("standin/tools-list.json").at("/result/tools");
      assertThat(names(tools)).containsExactly("suggest_aws_commands", "call_aws", "StartAHOReadSetExportJob");
      assertThat(tools.get(0)).isEqualTo(recorded.get(0));
      assertThat(tools.get(1)).isEqualTo(recorded.get(1));
      assertThat(tools.get(2).at("/inputSchema/required")).hasSize(4);
      assertThat(tools.get(2).at("/inputSchema/properties/read_set_ids/type").asText()).isEqualTo("array");
    }
  }

  @Test
  void readOnlyListingMarksCallAwsReadOnlyAndTheHealthOmicsToolCanBeRemoved() throws Exception {
    try (StandInProcess standIn = StandInProcess.start("--read-only", "--no-healthomics-tool")) {
      standIn.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
      JsonNode tools = standIn.next().at("/result/tools");

      assertThat(names(tools)).containsExactly("suggest_aws_commands", "call_aws");
      assertThat(tools.get(1).at("/annotations/readOnlyHint").asBoolean()).isTrue();
    }
  }

  @Test
  void paginatedListingWalksEveryToolOnceThroughOpaqueCursors() throws Exception {
    try (StandInProcess standIn = StandInProcess.start("--test-tools", "--page-size", "3")) {
      List<String> seen = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        String params = cursor == null ? "{}" : "{\"cursor\":\"" + cursor + "\"}";
        standIn.send("{\"jsonrpc\":\"2.0\",\"id\":" + pages + ",\"method\":\"tools/list\",\"params\":" + params + "}");
        JsonNode result = standIn.next().get("result");
        assertThat(result.get("tools").size()).isLessThanOrEqualTo(3);
        seen.addAll(names(result.get("tools")));
        cursor = result.hasNonNull("nextCursor") ? result.get("nextCursor").asText() : null;
        pages++;
      } while (cursor != null);

      assertThat(seen).hasSize(15).doesNotHaveDuplicates().contains("call_aws", "standin_echo", "standin_big");
      assertThat(pages).isEqualTo(5);
    }
  }

  @Test
  void recordedCallIsReplayedFrameByFrameWithTheRequestsId() throws Exception {
    JsonNode exchange = example("validation error: non-existent operation");
    ObjectNode request = (ObjectNode) exchange.get(0).get("message").deepCopy();
    request.put("id", "req-41");
    try (StandInProcess standIn = StandInProcess.start()) {
      standIn.send(request);

      for (int i = 1; i < exchange.size(); i++) {
        ObjectNode expected = (ObjectNode) exchange.get(i).get("message").deepCopy();
        if (expected.has("id")) {
          expected.put("id", "req-41");
        }
        assertThat(standIn.next()).as("frame %d", i).isEqualTo(expected);
      }
      assertThat(exchange.get(1).at("/message/method").asText()).isEqualTo("notifications/message");
    }
  }

  @Test
  void consentElicitationRoundTripsAndTheAnswerPicksTheRecordedOutcome() throws Exception {
    JsonNode accepted = example("REQUIRE_MUTATION_CONSENT=true, client accepts the elicitation");
    JsonNode declined = example("REQUIRE_MUTATION_CONSENT=true, client declines");
    try (StandInProcess standIn = StandInProcess.start("--require-mutation-consent")) {
      standIn.send(withId(accepted.get(0), "9"));
      JsonNode elicitation = standIn.next();
      assertThat(elicitation).isEqualTo(accepted.get(1).get("message")); // server-side id 0, as recorded
      standIn.send(accepted.get(2).get("message"));
      assertThat(standIn.next()).isEqualTo(withId(accepted.get(3), "9"));

      standIn.send(withId(declined.get(0), "\"second\""));
      JsonNode second = standIn.next();
      assertThat(second.get("id").asInt()).isEqualTo(1); // the server's own id space goes on counting
      standIn.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"action\":\"decline\"}}");
      for (int i = 3; i < declined.size(); i++) {
        assertThat(standIn.next()).isEqualTo(withId(declined.get(i), "\"second\""));
      }
    }
  }

  @Test
  void unrecordedCommandIsSynthesizedWithTheOperationItRuns() throws Exception {
    try (StandInProcess standIn = StandInProcess.start()) {
      standIn.send("""
          {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"call_aws","arguments":{"cli_command":\
          "aws omics start-read-set-export-job --sequence-store-id 42 --destination s3://b/p/ --role-arn arn:aws:iam::1:role/R --sources readSetId=7 --region eu-west-1"}}}""");
      JsonNode result = standIn.next().get("result");

      JsonNode entry = result.at("/structuredContent/result/0");
      assertThat(entry.at("/metadata/service").asText()).isEqualTo("omics");
      assertThat(entry.at("/metadata/operation").asText()).isEqualTo("StartReadSetExportJob");
      assertThat(entry.at("/metadata/region_name").asText()).isEqualTo("eu-west-1");
      assertThat(entry.at("/response/status_code").asInt()).isEqualTo(200);
      assertThat(entry.at("/response/error").isNull()).isTrue();
      assertThat(result.get("isError").asBoolean()).isFalse();
      assertThat(JSON.readTree(result.at("/content/0/text").asText())).isEqualTo(result.at("/structuredContent/result"));
    }
  }

  @Test
  void argumentErrorsAndUnknownToolsAreToolLevelErrorsLikeTheRecordings() throws Exception {
    try (StandInProcess standIn = StandInProcess.start()) {
      standIn.send(example("missing tool argument -> pydantic validation error isError=true").get(0).get("message"));
      assertThat(standIn.next()).isEqualTo(example("missing tool argument -> pydantic validation error isError=true").get(1).get("message"));
      standIn.send("""
          {"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"StartAHOReadSetExportJob","arguments":{"sequence_store_id":"1"}}}""");
      JsonNode missing = standIn.next().get("result");
      assertThat(missing.get("isError").asBoolean()).isTrue();
      assertThat(missing.at("/content/0/text").asText()).startsWith("3 validation errors for call[StartAHOReadSetExportJob]");
      standIn.send("""
          {"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"standin_echo","arguments":{}}}""");
      assertThat(standIn.next().at("/result/content/0/text").asText()).isEqualTo("Unknown tool: 'standin_echo'");
    }
  }

  @Test
  void recordFileHoldsExactlyTheLinesReceivedBeforeTheyAreAnswered(@TempDir Path dir) throws Exception {
    Path record = dir.resolve("received.jsonl");
    List<String> lines = List.of(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0\", \"method\":\"notifications/initialized\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\",\"params\":{\"note\":\"h\u00e9\u00e9 \u2603\"}}");
    try (StandInProcess standIn = StandInProcess.start("--record", record.toString())) {
      lines.forEach(standIn::send);
      assertThat(standIn.next()).isEqualTo(JSON.readTree("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"));
      assertThat(standIn.next().get("id").asInt()).isEqualTo(2);

      assertThat(Files.readString(record, StandardCharsets.UTF_8)).isEqualTo(String.join("\n", lines) + "\n");
    }
  }

  @Test
  void crashWritesItsStderrLinesAndExitsWithTheCodeWithoutAnswering() throws Exception {
    try (StandInProcess standIn = StandInProcess.start(Map.of("STANDIN_STARTUP_STDERR", "hello from the stand-in"),
        "--test-tools")) {
      standIn.send("""
          {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"standin_crash","arguments":{"exit_code":42,"stderr_lines":["boom 1","boom 2"]}}}""");

      assertThat(standIn.awaitExit()).isEqualTo(42);
      assertThat(standIn.stderr()).contains("hello from the stand-in", "boom 1\n", "boom 2\n");
    }
  }

  @Test
  void grandchildOutlivesTheCallAndItsPidIsReported() throws Exception {
    try (StandInProcess standIn = StandInProcess.start("--test-tools")) {
      standIn.send("""
          {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"standin_spawn_grandchild","arguments":{}}}""");
      long pid = standIn.next().at("/result/structuredContent/pid").asLong();
      ProcessHandle grandchild = ProcessHandle.of(pid).orElseThrow();
      try {
        assertThat(grandchild.isAlive()).isTrue();
        assertThat(grandchild.info().command().orElse("")).endsWith("sleep");
      } finally {
        grandchild.destroyForcibly();
      }
    }
  }

  @Test
  void slowCallDoesNotHoldBackOthersAndCancelledCallsStaySilent() throws Exception {
    try (StandInProcess standIn = StandInProcess.start("--test-tools")) {
      standIn.send("""
          {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"standin_sleep","arguments":{"millis":5000},"_meta":{"progressToken":"p1"}}}""");
      standIn.send("""
          {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"standin_echo","arguments":{"a":[1,"b"]}}}""");
      JsonNode echo = standIn.responseTo("2");
      assertThat(echo.at("/result/structuredContent")).isEqualTo(JSON.readTree("{\"a\":[1,\"b\"]}"));
      JsonNode progress = standIn.next();
      assertThat(progress.get("method").asText()).isEqualTo("notifications/progress");
      assertThat(progress.at("/params/progressToken").asText()).isEqualTo("p1");

      standIn.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":1}}");
      standIn.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
      JsonNode next;
      do {
        next = standIn.next();
      } while (next.path("method").asText().equals("notifications/progress"));
      assertThat(next.get("id").asInt()).isEqualTo(3);
      standIn.closeStdin();
      assertThat(standIn.awaitExit()).isZero();
    }
  }

  @Test
  void modernRevisionGetsDiscoverAndResultTypeComplete() throws Exception {
    String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
        + "\"io.modelcontextprotocol/clientCapabilities\":{}}";
    try (StandInProcess standIn = StandInProcess.start()) {
      standIn.send("{\"jsonrpc\":\"2.0\",\"id\":\"d-1\",\"method\":\"server/discover\",\"params\":{" + meta + "}}");
      JsonNode discover = standIn.next().get("result");
      standIn.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{" + meta + "}}");
      JsonNode list = standIn.next().get("result");
      standIn.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}");
      JsonNode legacy = standIn.next().get("result");

      assertThat(discover.get("resultType").asText()).isEqualTo("complete");
      assertThat(discover.get("supportedVersions")).extracting(JsonNode::asText).contains("2026-07-28", "2025-06-18");
      assertThat(discover.at("/_meta/io.modelcontextprotocol~1serverInfo/name").asText()).isEqualTo("AWS-API-MCP");
      assertThat(discover.at("/capabilities/tools/listChanged").asBoolean()).isTrue();
      assertThat(list.get("resultType").asText()).isEqualTo("complete");
      assertThat(legacy.has("resultType")).isFalse();
    }
  }

  @Test
  void badLinesAndUnknownMethodsGetTheSdksErrorShapes() throws Exception {
    try (StandInProcess standIn = StandInProcess.start()) {
      standIn.send("this is not json");
      JsonNode parse = standIn.next();
      standIn.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"no/such/method\"}");
      JsonNode unknown = standIn.next();
      standIn.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"completion/complete\",\"params\":{}}");
      JsonNode unhandled = standIn.next();

      assertThat(parse.get("id").isNull()).isTrue();
      assertThat(parse.at("/error/code").asInt()).isEqualTo(-32700);
      assertThat(unknown.get("error")).isEqualTo(JSON.readTree(
          "{\"code\":-32602,\"message\":\"Invalid request parameters\",\"data\":\"\"}"));
      assertThat(unhandled.get("error")).isEqualTo(JSON.readTree("{\"code\":-32601,\"message\":\"Method not found\"}"));
    }
  }

  @Test
  void endOfInputEndsTheStandInWithZero() throws Exception {
    try (StandInProcess standIn = StandInProcess.start()) {
      standIn.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
      standIn.closeStdin();
      assertThat(standIn.next().get("id").asInt()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> standIn.awaitExit() == 0);
    }
  }

  private static JsonNode withId(JsonNode recordedFrame, String rawId) throws IOException {
    ObjectNode message = (ObjectNode) recordedFrame.get("message").deepCopy();
    if (message.has("id")) { // notifications stay without one
      message.set("id", JSON.readTree(rawId));
    }
    return message;
  }

  private static List<String> names(JsonNode tools) {
    List<String> names = new ArrayList<>();
    tools.forEach(tool -> names.add(tool.get("name").asText()));
    return names;
  }

  private static JsonNode example(String title) throws IOException {
    for (JsonNode example : fixture("standin/calls.json").get("examples")) {
      if (example.get("title").asText().equals(title)) {
        return example.get("exchange");
      }
    }
    throw new AssertionError("no recorded example titled " + title);
  }

  private static JsonNode fixture(String name) throws IOException {
    try (InputStream in = StandInServerTest.class.getClassLoader().getResourceAsStream(name)) {
      return JSON.readTree(in);
    }
  }
}
