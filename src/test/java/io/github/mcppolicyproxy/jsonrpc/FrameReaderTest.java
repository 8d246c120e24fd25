package io.github.mcppolicyproxy.jsonrpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcppolicyproxy.jsonrpc.FrameReader.Read;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

  @org.junit.jupiter.api.Test
  void theWordAtATimeNewlineSearchFindsWhatAByteLoopFinds() {
    java.util.Random random = new java.util.Random(11);
    byte[] pool = {'\n', 0x0b, 0x09, 0x0a - 1, (byte) 0x8a, (byte) 0xff, 0, 'a', 0x01, (byte) 0x80};
    for (int n = 0; n < 100_000; n++) {
      byte[] b = new byte[random.nextInt(40)];
      for (int i = 0; i < b.length; i++) {
        b[i] = random.nextInt(6) == 0 ? pool[random.nextInt(pool.length)] : (byte) random.nextInt(256);
        if (b[i] == '\n' && random.nextInt(3) > 0) {
          b[i] = 'x'; // keep lines long enough that words without a newline are common
        }
      }
      int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
      int to = from + random.nextInt(b.length - from + 1);
      int expected = -1;
      for (int i = from; i < to; i++) {
        if (b[i] == '\n') {
          expected = i;
          break;
        }
      }
      org.assertj.core.api.Assertions.assertThat(FrameReader.indexOfNewline(b, from, to))
          .as("%s [%d, %d)", java.util.HexFormat.of().formatHex(b), from, to).isEqualTo(expected);
    }
  }

  /** Hands out at most one byte per read, the worst a pipe can do. */
  private static final class OneByteAtATime extends InputStream {
    private final ByteArrayInputStream in;

    OneByteAtATime(byte[] data) {
      this.in = new ByteArrayInputStream(data);
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return len == 0 ? 0 : in.read(b, off, 1);
    }
  }

  /** Hands out chunks of random sizes (seeded). */
  private static final class RandomChunks extends InputStream {
    private final ByteArrayInputStream in;
    private final Random random;

    RandomChunks(byte[] data, long seed) {
      this.in = new ByteArrayInputStream(data);
      this.random = new Random(seed);
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return len == 0 ? 0 : in.read(b, off, 1 + random.nextInt(Math.min(len, 97)));
    }
  }

  /** Generates {@code length} bytes of 'x' (then optionally a newline and a tail) without storing them. */
  private static final class Generated extends InputStream {
    private final long length;
    private final byte[] tail;
    private long pos;
    long maxRequest;

    Generated(long length, byte[] tail) {
      this.length = length;
      this.tail = tail;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      maxRequest = Math.max(maxRequest, len);
      long total = length + tail.length;
      if (pos >= total) {
        return -1;
      }
      int n = (int) Math.min(len, total - pos);
      for (int i = 0; i < n; i++) {
        long at = pos + i;
        b[off + i] = at < length ? (byte) 'x' : tail[(int) (at - length)];
      }
      pos += n;
      return n;
    }
  }

  private static List<Read> readAll(FrameReader reader) throws IOException {
    List<Read> all = new ArrayList<>();
    Read r;
    do {
      r = reader.next();
      all.add(r);
    } while (!(r instanceof Read.End));
    return all;
  }

  private static List<String> frames(List<Read> reads) {
    List<String> out = new ArrayList<>();
    for (Read r : reads) {
      if (r instanceof Read.Frame f) {
        out.add(new String(f.bytes(), UTF_8));
      }
    }
    return out;
  }

  private static final String THREE_FRAMES = """
      {"jsonrpc":"2.0","id":1,"method":"ping"}
      {"jsonrpc":"2.0","method":"notifications/initialized"}
      {"jsonrpc":"2.0","id":"é𝄞","result":{}}
      """;

  @Test
  void framesSplitIntoSingleBytesAreReassembled() throws IOException {
    FrameReader reader = new FrameReader(new OneByteAtATime(THREE_FRAMES.getBytes(UTF_8)), 1024);

    List<Read> reads = readAll(reader);

    assertThat(frames(reads)).containsExactly(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":\"é𝄞\",\"result\":{}}");
    assertThat(reads.get(reads.size() - 1)).isEqualTo(new Read.End(false));
  }

  @Test
  void framesSplitIntoRandomChunksAreReassembledWhateverTheChunking() throws IOException {
    StringBuilder text = new StringBuilder();
    List<String> expected = new ArrayList<>();
    Random r = new Random(42);
    for (int i = 0; i < 300; i++) {
      String f = "{\"id\":" + i + ",\"pad\":\"" + "p".repeat(r.nextInt(300)) + "\"}";
      expected.add(f);
      text.append(f).append('\n');
    }
    byte[] data = text.toString().getBytes(UTF_8);
    for (long seed = 0; seed < 20; seed++) {
      FrameReader reader = new FrameReader(new RandomChunks(data, seed), 4096);
      assertThat(frames(readAll(reader))).as("seed %d", seed).isEqualTo(expected);
    }
  }

  @Test
  void carriageReturnBeforeTheNewlineIsKeptSoTheFrameIsForwardedByteForByte() throws IOException {
    FrameReader reader = new FrameReader(
        new ByteArrayInputStream("{\"id\":1}\r\n{\"id\":2}\n".getBytes(UTF_8)), 1024);

    assertThat(((Read.Frame) reader.next()).bytes()).isEqualTo("{\"id\":1}\r".getBytes(UTF_8));
    assertThat(((Read.Frame) reader.next()).bytes()).isEqualTo("{\"id\":2}".getBytes(UTF_8));
    assertThat(reader.next()).isEqualTo(new Read.End(false));
  }

  @Test
  void emptyLinesAreReturnedAsEmptyFrames() throws IOException {
    FrameReader reader = new FrameReader(new ByteArrayInputStream("\n\na\n".getBytes(UTF_8)), 16);

    assertThat(frames(readAll(reader))).containsExactly("", "", "a");
  }

  @Test
  void unterminatedLastLineIsReturnedThenTheEndIsMarkedPartial() throws IOException {
    FrameReader reader = new FrameReader(
        new OneByteAtATime("{\"id\":1}\n{\"id\":2}".getBytes(UTF_8)), 1024);

    assertThat(new String(((Read.Frame) reader.next()).bytes(), UTF_8)).isEqualTo("{\"id\":1}");
    assertThat(new String(((Read.Frame) reader.next()).bytes(), UTF_8)).isEqualTo("{\"id\":2}");
    assertThat(reader.next()).isEqualTo(new Read.End(true));
  }

  @Test
  void emptyStreamEndsAtOnceAndNotPartial() throws IOException {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(new byte[0]), 16);

    assertThat(reader.next()).isEqualTo(new Read.End(false));
  }

  @Test
  void frameOfExactlyTheLimitIsWholeAndOneByteMoreIsOversized() throws IOException {
    String exact = "a".repeat(100);
    String over = "b".repeat(101);
    FrameReader reader = new FrameReader(
        new RandomChunks((exact + "\n" + over + "\n" + exact + "\n").getBytes(UTF_8), 7), 100);

    assertThat(new String(((Read.Frame) reader.next()).bytes(), UTF_8)).isEqualTo(exact);
    Read second = reader.next();
    assertThat(second).isInstanceOf(Read.Oversized.class);
    assertThat(((Read.Oversized) second).length()).isEqualTo(101);
    assertThat(new String(((Read.Frame) reader.next()).bytes(), UTF_8)).isEqualTo(exact);
    assertThat(reader.next()).isEqualTo(new Read.End(false));
  }

  @Test
  void carriageReturnCountsTowardsTheLimit() throws IOException {
    FrameReader reader = new FrameReader(
        new ByteArrayInputStream(("c".repeat(10) + "\r\n").getBytes(UTF_8)), 10);

    assertThat(reader.next()).isInstanceOf(Read.Oversized.class);
  }

  @Test
  void oversizeLineKeepsItsPrefixReportsItsLengthAndTheNextFrameIsStillRead() throws IOException {
    String big = "{\"jsonrpc\":\"2.0\",\"id\":77,\"params\":\"" + "z".repeat(20_000) + "\"}";
    FrameReader reader = new FrameReader(
        new RandomChunks((big + "\n{\"id\":78}\n").getBytes(UTF_8), 3), 1000);

    Read first = reader.next();

    assertThat(first).isInstanceOf(Read.Oversized.class);
    Read.Oversized o = (Read.Oversized) first;
    // Reported as soon as the limit is passed: the length read so far, the first bytes at hand.
    assertThat(o.length()).isGreaterThan(1000).isLessThanOrEqualTo(big.length());
    assertThat(o.prefix().length).isGreaterThan(1000).isLessThanOrEqualTo(FrameReader.PREFIX_BYTES);
    assertThat(big).startsWith(new String(o.prefix(), UTF_8));
    assertThat(new String(((Read.Frame) reader.next()).bytes(), UTF_8)).isEqualTo("{\"id\":78}");
    assertThat(reader.next()).isEqualTo(new Read.End(false));
  }

  @Test
  void oversizeLineShorterThanThePrefixSizeKeepsAllOfIt() throws IOException {
    FrameReader reader = new FrameReader(
        new OneByteAtATime(("q".repeat(50) + "\n").getBytes(UTF_8)), 20);

    Read.Oversized o = (Read.Oversized) reader.next();

    assertThat(o.length()).isEqualTo(21); // one byte at a time: reported at the 21st
    assertThat(new String(o.prefix(), UTF_8)).isEqualTo("q".repeat(21));
  }

  @Test
  void framesAroundAndAcrossTheSegmentSizeComeOutWhole() throws IOException {
    int[] sizes = {FrameReader.SEGMENT - 1, FrameReader.SEGMENT, FrameReader.SEGMENT + 1,
        3 * FrameReader.SEGMENT, 3 * FrameReader.SEGMENT + 17, 1_000_003};
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    java.util.List<byte[]> expected = new java.util.ArrayList<>();
    java.util.Random random = new java.util.Random(11);
    for (int size : sizes) {
      byte[] frame = new byte[size];
      for (int i = 0; i < size; i++) {
        frame[i] = (byte) ('a' + random.nextInt(26));
      }
      expected.add(frame);
      all.writeBytes(frame);
      all.write('\n');
    }
    for (int seed = 0; seed < 3; seed++) {
      FrameReader reader = new FrameReader(new RandomChunks(all.toByteArray(), 1 + seed * 7919),
          2_000_000);
      for (byte[] want : expected) {
        assertThat(((Read.Frame) reader.next()).bytes()).isEqualTo(want);
      }
      assertThat(reader.next()).isEqualTo(new Read.End(false));
    }
  }

  @Test
  void aLargeFrameCostsAboutTwiceItsSizePlusOneSegmentWhileItIsRead() throws IOException {
    int size = 10 * 1024 * 1024;
    FrameReader reader = new FrameReader(
        new Generated(size, "\n".getBytes(UTF_8)), 64 * 1024 * 1024);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();

    byte[] frame = ((Read.Frame) reader.next()).bytes();

    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(frame).hasSize(size);
    // segments (N and at most one partly filled segment) + the exact frame (N); a doubling buffer
    // and its trimmed copy cost about 4N
    assertThat(allocated).isLessThan(2L * size + FrameReader.MAX_SEGMENT + 1024 * 1024);
  }

  @Test
  void hundredMegabyteLineWithoutNewlineIsReportedWithoutBeingHeldInMemory() throws IOException {
    long hundredMb = 100L * 1024 * 1024;
    Generated in = new Generated(hundredMb, new byte[0]);
    FrameReader reader = new FrameReader(in, 1024);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();

    Read first = reader.next();

    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(first).isInstanceOf(Read.Oversized.class);
    assertThat(((Read.Oversized) first).length()).isGreaterThan(1024).isLessThan(1024 + 65_537);
    assertThat(((Read.Oversized) first).prefix().length).isGreaterThan(1024);
    // The reader's own buffers are bounded (64 KiB chunk + the 1 KiB limit); 100 MB never lives at once.
    assertThat(allocated).isLessThan(1024L * 1024);
    assertThat(reader.next()).isEqualTo(new Read.End(true));
  }

  @Test
  void hundredMegabyteLineThenAFrameStillYieldsTheFrame() throws IOException {
    long hundredMb = 100L * 1024 * 1024;
    FrameReader reader = new FrameReader(
        new Generated(hundredMb, "\n{\"id\":9}\n".getBytes(UTF_8)), 64);

    assertThat(((Read.Oversized) reader.next()).length()).isGreaterThan(64).isLessThan(hundredMb);
    assertThat(new String(((Read.Frame) reader.next()).bytes(), UTF_8)).isEqualTo("{\"id\":9}");
  }

  @Test
  void nonPositiveLimitIsRejected() {
    assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(new byte[0]), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive");
  }
}
