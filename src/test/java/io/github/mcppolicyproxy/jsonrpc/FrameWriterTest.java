package io.github.mcppolicyproxy.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameWriterTest {
  /** Records every write it is handed, and what they add up to. */
  private static final class Recording extends OutputStream {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<Integer> writes = new ArrayList<>();
    int flushes;

    @Override
    public void write(int b) {
      writes.add(1);
      bytes.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      writes.add(len);
      bytes.write(b, off, len);
    }

    @Override
    public void flush() {
      flushes++;
    }
  }

  @Test
  void aSmallFrameAndItsLineEndGoOutInOneWrite() throws IOException {
    Recording out = new Recording();
    byte[] frame = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}".getBytes();
    new FrameWriter(out).write(frame);
    assertThat(out.writes).containsExactly(frame.length + 1);
    assertThat(out.bytes.toString()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n");
    assertThat(out.flushes).isEqualTo(1);
  }

  @Test
  void framesOfAnySizeArriveByteForByteInSlicesNoLargerThanAPipe() throws IOException {
    Random random = new Random(14);
    int[] sizes = {0, 1, 1023, 1024, FrameWriter.SLICE - 1, FrameWriter.SLICE,
        FrameWriter.SLICE + 1, 3 * FrameWriter.SLICE, 5_000_003, 17, 2000};
    Recording out = new Recording();
    FrameWriter writer = new FrameWriter(out);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (int size : sizes) {
      byte[] frame = new byte[size];
      for (int i = 0; i < size; i++) {
        frame[i] = (byte) ('a' + random.nextInt(26));
      }
      writer.write(frame);
      expected.writeBytes(frame);
      expected.write('\n');
    }
    assertThat(out.bytes.toByteArray()).isEqualTo(expected.toByteArray());
    assertThat(out.writes).allMatch(n -> n <= FrameWriter.SLICE);
    assertThat(out.flushes).isEqualTo(sizes.length);
  }
}
