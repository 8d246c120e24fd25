package io.github.mcppolicyproxy.bench;

import io.github.mcppolicyproxy.limits.store.RedisServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * End-to-end calls per second through the packaged proxy with each store: one client sends
 * {@code standin_echo} calls one after another (each waits for its answer) through the jar in
 * front of the stand-in upstream; the tool has a {@code grant} and a {@code global} limit that
 * never runs out, so every call makes one store round trip. Interleaved rounds per store.
 *
 * <p>Run after {@code mvn -DskipTests -DskipNode package}:
 * {@code java -cp target/test-classes:target/mcp-policy-proxy.jar
 * io.github.mcppolicyproxy.bench.StoreEndToEndBench [calls] [rounds]}
 */
public final class StoreEndToEndBench {
  private StoreEndToEndBench() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = Files.createTempDirectory("store-e2e");
    Path policy = dir.resolve("bench.policy.json");
    Files.writeString(policy, """
        {"version":"1","default":"deny","tools":{"standin_echo":{"limits":[
          {"counter":"g","window":"minute","max":1000000000,"scope":"grant"},
          {"counter":"w","window":"minute","max":1000000000,"scope":"global"}]}}}""");
    Path jar = Path.of("target/mcp-policy-proxy.jar").toAbsolutePath();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try (RedisServer redis = RedisServer.start()) {
      String[][] stores = {{"memory", "memory"}, {"sqlite", dir.resolve("state.db").toString()},
          {"redis", redis.uri()}};
      for (int round = 1; round <= rounds; round++) {
        for (String[] store : stores) {
          double rate = run(java, jar, policy, store[1], calls);
          System.out.printf("round %d  %-7s %8.0f calls/s%n", round, store[0], rate);
        }
      }
    }
  }

  private static double run(String java, Path jar, Path policy, String state, int calls)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar.toString(), "--policy",
        policy.toString(), "--violation-log", "-", "--state", state, "--grant", "bench",
        "--state-timeout-ms", "5000", "--", java, "-cp", jar.toString(),
        "io.github.mcppolicyproxy.standin.StandInServer", "--test-tools"));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    OutputStream in = p.getOutputStream();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8));
    send(in, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
        + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"b\",\"version\":\"1\"}}}");
    out.readLine();
    send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    for (int i = 1; i <= 200; i++) { // warm-up
      call(in, out, i);
    }
    long start = System.nanoTime();
    for (int i = 1; i <= calls; i++) {
      call(in, out, 1000 + i);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    in.close();
    p.waitFor();
    return calls / seconds;
  }

  private static void call(OutputStream in, BufferedReader out, int id) throws Exception {
    send(in, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":"
        + "{\"name\":\"standin_echo\",\"arguments\":{}}}");
    String line = out.readLine();
    if (line == null || !line.contains("\"id\":" + id + ",") || line.contains("isError\":true")) {
      throw new IllegalStateException("unexpected answer to " + id + ": " + line);
    }
  }

  private static void send(OutputStream in, String frame) throws Exception {
    in.write((frame + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }
}
