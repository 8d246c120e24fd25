package io.github.mcppolicyproxy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.integrity.Redactor;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The redaction of a 20 MB {@code tools/call} answer shaped like the AWS API server's (the result
 * list as JSON text and as {@code structuredContent}, the AWS response as {@code as_json}, about
 * 10 MB each): {@code clean} has nothing to redact and no trigger (one byte pass), {@code escaped}
 * has nothing to redact but a {@code \\u} escape (the full streaming parse, nested layers
 * included), {@code secret} holds one {@code SecretAccessKey}. {@code envelope} times the scan
 * that every frame already gets, as a yardstick on a loaded machine.
 *
 * <p>Run: {@code mvn -q test-compile exec:exec@bench -Dbench=RedactionBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class RedactionBenchmark {
  @Param({"clean", "escaped", "secret"})
  String kind;

  private final Redactor redactor = new Redactor();
  private byte[] frame;

  @Setup
  public void setUp() throws Exception {
    ObjectMapper json = new ObjectMapper();
    StringBuilder asJson = new StringBuilder("{\"Contents\": [");
    int i = 0;
    while (asJson.length() < 8_000_000) {
      if (i > 0) {
        asJson.append(", ");
      }
      asJson.append("{\"Key\": \"runs/2026/sample-").append(i).append(".bam\", \"Size\": ")
          .append(1000 + i).append(", \"ETag\": \"\\\"9b2cf535f27731c974343645a3985328\\\"\","
              + " \"StorageClass\": \"STANDARD\"}");
      i++;
    }
    if (kind.equals("secret")) {
      asJson.append(", {\"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}");
    }
    asJson.append("], \"Name\": \"").append(kind.equals("escaped") ? "caf\\u00e9" : "cafe")
        .append("\"}");
    ArrayNode results = json.createArrayNode();
    ObjectNode entry = results.addObject().put("cli_command", "aws s3api list-objects-v2 --bucket b");
    ObjectNode response = entry.putObject("response");
    response.putNull("error");
    response.put("status_code", 200);
    response.putNull("pagination_token");
    response.put("as_json", asJson.toString());
    ObjectNode result = json.createObjectNode();
    result.putArray("content").addObject().put("type", "text").put("text", results.toString());
    result.putObject("structuredContent").set("result", results);
    result.put("isError", false);
    ObjectNode f = json.createObjectNode().put("jsonrpc", "2.0").put("id", 1);
    f.set("result", result);
    frame = json.writeValueAsString(f).getBytes(StandardCharsets.UTF_8);
    System.err.println(kind + ": frame of " + frame.length + " bytes");
  }

  private final io.github.mcppolicyproxy.jsonrpc.EnvelopeScanner scanner =
      new io.github.mcppolicyproxy.jsonrpc.EnvelopeScanner(64 * 1024 * 1024);

  /** The yardstick: the envelope scan every frame already gets (UTF-8 check included). */
  @Benchmark
  public Object envelope() {
    return scanner.scan(frame);
  }

  @Benchmark
  public byte[] redact() {
    return redactor.redact(frame).frame();
  }
}
