package io.github.mcppolicyproxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed scenario, end to end: the packaged jar spawned by the MCP Java SDK client over stdio, in
 * front of the stand-in upstream as a real subprocess, with the seed's policy file.
 */
class SeedPolicyEndToEndIT {
  private static final String SEED = "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{"
      + "\"StartAHOReadSetExportJob\":{\"limits\":[{\"counter\":\"startahoreadsetexportjob_rate\","
      + "\"window\":\"minute\",\"max\":10,\"scope\":\"grant\"}]}}}";

  @TempDir
  Path dir;

  @Test
  void seedPolicyAllowsTenExportsRefusesTheEleventhAndDeniesCallAwsByDefault() throws Exception {
    Path policy = ProxyProcess.write(dir, "seed.policy.json", SEED);
    Path log = dir.resolve("violations.jsonl");
    Path record = dir.resolve("upstream-received.jsonl");
    List<String> args = new ArrayList<>(List.of("-jar", ProxyProcess.jar().toString(),
        "--policy", policy.toString(), "--violation-log", log.toString(), "--session-id", "e2e",
        "--"));
    args.addAll(ProxyProcess.standIn("--record", record.toString()));
    ServerParameters params = ServerParameters.builder(ProxyProcess.java()).args(args).build();
    StdioClientTransport transport =
        new StdioClientTransport(params, new JacksonMcpJsonMapper(new ObjectMapper()));
    List<String> stderr = new CopyOnWriteArrayList<>();
    transport.setStdErrorHandler(stderr::add);
    McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
    long upstreamPid;
    try {
      McpSchema.InitializeResult init = client.initialize();
      assertThat(init.serverInfo().name()).isEqualTo("AWS-API-MCP");

      List<String> visible = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
      assertThat(visible).containsExactly("StartAHOReadSetExportJob");

      awayFromAMinuteEdge();
      for (int i = 1; i <= 10; i++) {
        McpSchema.CallToolResult ok = client.callTool(new McpSchema.CallToolRequest(
            "StartAHOReadSetExportJob", exportArgs(i)));
        assertThat(ok.isError()).as("call %d is allowed", i).isFalse();
        assertThat(text(ok)).contains("SUBMITTED");
      }
      McpSchema.CallToolResult eleventh = client.callTool(new McpSchema.CallToolRequest(
          "StartAHOReadSetExportJob", exportArgs(11)));
      assertThat(eleventh.isError()).isTrue();
      assertThat(text(eleventh)).contains("limited to 10 calls per minute")
          .containsPattern("retry in \\d+ s");
      @SuppressWarnings("unchecked")
      Map<String, Object> meta = (Map<String, Object>) eleventh.meta()
          .get("io.github.mcp-policy-proxy/refusal");
      assertThat(meta).containsEntry("code", "rate_limited")
          .containsEntry("rule", "/tools/StartAHOReadSetExportJob/limits/0");
      assertThat(((Number) meta.get("retry_after_seconds")).intValue()).isBetween(1, 60);

      McpSchema.CallToolResult aws = client.callTool(new McpSchema.CallToolRequest("call_aws",
          Map.of("cli_command", "aws s3 ls")));
      assertThat(aws.isError()).isTrue();
      assertThat(text(aws)).contains("default: deny");
      upstreamPid = pid(stderr);
    } finally {
      client.closeGracefully();
    }

    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      JsonNode n = ProxyProcess.JSON.readTree(l);
      if (!n.has("event")) { // refusals, not the session's summary
        lines.add(n);
      }
    }
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).path("code").asText()).isEqualTo("rate_limited");
    assertThat(lines.get(0).path("tool").asText()).isEqualTo("StartAHOReadSetExportJob");
    assertThat(lines.get(0).path("session").asText()).isEqualTo("e2e");
    assertThat(lines.get(0).path("retry_after_seconds").asInt()).isBetween(1, 60);
    assertThat(lines.get(0).path("scope").asText()).isEqualTo("grant seed"); // from seed.policy.json
    assertThat(lines.get(1).path("code").asText()).isEqualTo("denied");
    assertThat(lines.get(1).path("rule").asText()).isEqualTo("/default");
    assertThat(lines.get(1).toString()).doesNotContain("aws s3 ls"); // no argument values

    List<String> received = Files.readAllLines(record, StandardCharsets.UTF_8);
    assertThat(received.stream().filter(l -> l.contains("\"tools/call\""))).hasSize(10)
        .allMatch(l -> l.contains("StartAHOReadSetExportJob"))
        .noneMatch(l -> l.contains("run-11"));
    assertThat(received).noneMatch(l -> l.contains("call_aws"));

    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (ProcessHandle.of(upstreamPid).map(ProcessHandle::isAlive).orElse(false)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(ProcessHandle.of(upstreamPid).map(ProcessHandle::isAlive).orElse(false))
        .as("the upstream is gone after the client closed").isFalse();
  }

  private static Map<String, Object> exportArgs(int i) {
    return Map.of("sequence_store_id", "1234567890",
        "destination_s3_uri", "s3://genomics-exports/run-" + i + "/",
        "role_arn", "arn:aws:iam::123456789012:role/OmicsExport",
        "read_set_ids", List.of("rs-" + i));
  }

  private static String text(McpSchema.CallToolResult r) {
    return ((McpSchema.TextContent) r.content().get(0)).text();
  }

  private static long pid(List<String> stderr) throws InterruptedException {
    Pattern p = Pattern.compile("upstream pid (\\d+)");
    for (int i = 0; i < 200; i++) {
      for (String line : stderr) {
        Matcher m = p.matcher(line);
        if (m.find()) {
          return Long.parseLong(m.group(1));
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no upstream pid in stderr: " + stderr);
  }

  /**
   * The grant's counter counts in windows of the clock's minutes (aligned to the epoch, as every
   * proxy of a grant must count alike): the ten calls and the eleventh must fall in one, so a run
   * that would start them in a minute's last 20 seconds waits for the next minute.
   */
  private static void awayFromAMinuteEdge() throws InterruptedException {
    long intoMinute = System.currentTimeMillis() % 60_000;
    if (intoMinute > 40_000) {
      Thread.sleep(60_000 - intoMinute + 200);
    }
  }
}
