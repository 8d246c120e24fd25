package io.github.mcppolicyproxy.bench;

import io.github.mcppolicyproxy.jsonrpc.Envelope;
import io.github.mcppolicyproxy.jsonrpc.EnvelopeScanner;
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
 * The envelope scan of every frame, on the compiler the launcher runs (C1 only): a {@code tools/call}
 * of the yardstick's {@code echo} and its answer, through the scanner (its fast path) and through
 * Jackson's streaming scan alone, side by side in one run; and the strict tree a {@code tools/call}
 * is judged by ({@code QuickTree}), also of a 1 MiB call ({@code largeCall}).
 *
 * <p>Run: {@code mvn -q test-compile exec:exec@bench -Dbench=EnvelopeBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmn4m"})
public class EnvelopeBenchmark {
  @Param({"call", "answer", "large", "largeCall"})
  public String frame;

  private byte[] bytes;
  private EnvelopeScanner scanner;
  private java.lang.reflect.Method jackson;

  @Setup
  public void setUp() throws Exception {
    scanner = new EnvelopeScanner(64 << 20);
    String text = frame.equals("large") ? largeAnswer() : frame.equals("largeCall") ? largeCall()
        : frame.equals("call")
        ? "{\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":"
            + "\"hello from the yardstick 1234\"},\"_meta\":{\"progressToken\":17}},"
            + "\"jsonrpc\":\"2.0\",\"id\":17}"
        : "{\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"Echo: hello from the yardstick"
            + " 1234\"}]},\"jsonrpc\":\"2.0\",\"id\":17}";
    bytes = text.getBytes(StandardCharsets.UTF_8);
    jackson = EnvelopeScanner.class.getDeclaredMethod("scanWithJackson", byte[].class, int.class,
        int.class);
    jackson.setAccessible(true);
    if (tree() == null || scan().kind() == Envelope.Kind.INVALID) {
      throw new IllegalStateException("the " + frame + " frame must be one the fast paths read");
    }
  }

  /**
   * A 1 MiB tool result of the yardstick's large-frame text (its line: two escaped quotes, an
   * escaped line end, two 2-byte and one 4-byte UTF-8 character in 107 bytes).
   */
  private static String largeAnswer() {
    String line = "line of a large tool result: h\u00e9llo w\u00f6rld \ud83d\ude00 with a"
        + " \\\"quote\\\" and a line end, padded with dots............\\n";
    StringBuilder text = new StringBuilder("{\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"");
    while (text.length() < (1 << 20)) {
      text.append(line);
    }
    return text.append("\"}]},\"jsonrpc\":\"2.0\",\"id\":17}").toString();
  }

  /** A 1 MiB {@code tools/call} of {@code echo} whose message is the large result's text. */
  private static String largeCall() {
    String answer = largeAnswer();
    String message = answer.substring(answer.indexOf("\"text\":\"") + 8, answer.lastIndexOf("\"}]}"));
    return "{\"jsonrpc\":\"2.0\",\"id\":17,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
        + "\"arguments\":{\"message\":\"" + message + "\"}}}";
  }

  @Benchmark
  public Object tree() {
    return io.github.mcppolicyproxy.jsonrpc.QuickTree.read(bytes, 0, bytes.length);
  }

  @Benchmark
  public Envelope scan() {
    return scanner.scan(bytes, 0, bytes.length);
  }

  @Benchmark
  public Object jacksonOnly() throws Exception {
    return jackson.invoke(scanner, bytes, 0, bytes.length);
  }
}
