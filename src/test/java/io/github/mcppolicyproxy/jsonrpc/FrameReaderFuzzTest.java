package io.github.mcppolicyproxy.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Fuzzes {@link FrameReader}: any bytes, delivered in arbitrary pieces, give exactly the frames of
 * a split at '\n' (lines over the limit as {@link FrameReader.Read.Oversized} with a true prefix),
 * never an exception, and a buffer that stays within the limit.
 *
 * <p>Longer run: {@code mvn test -Dtest='*FuzzTest' -Djqwik.tries.default=100000 -DskipNode}
 */
class FrameReaderFuzzTest {

  @Provide
  Arbitrary<byte[]> input() {
    Arbitrary<Byte> b = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.bytes()),
        net.jqwik.api.Tuple.of(2, Arbitraries.just((byte) '\n')),
        net.jqwik.api.Tuple.of(1, Arbitraries.just((byte) '\r')));
    return b.array(byte[].class).ofMaxSize(600);
  }

  @Property
  void framesAreTheNewlineSplitWhateverThePieces(@ForAll("input") byte[] input,
      @ForAll @IntRange(min = 1, max = 70) int max, @ForAll @IntRange(min = 1, max = 97) int piece)
      throws IOException {
    FrameReader reader = new FrameReader(new Pieces(input, piece), max);
    List<FrameReader.Read> reads = new ArrayList<>();
    for (int guard = 0; guard < input.length + 3; guard++) {
      FrameReader.Read r = reader.next();
      reads.add(r);
      assertThat(bufferLength(reader)).isLessThanOrEqualTo(Math.max(1024, max + 1));
      if (r instanceof FrameReader.Read.End) {
        break;
      }
    }
    List<byte[]> lines = split(input);
    boolean unterminated = input.length > 0 && input[input.length - 1] != '\n';
    assertThat(reads).hasSize(lines.size() + 1);
    for (int i = 0; i < lines.size(); i++) {
      byte[] line = lines.get(i);
      FrameReader.Read r = reads.get(i);
      if (line.length > max) {
        assertThat(r).isInstanceOf(FrameReader.Read.Oversized.class);
        FrameReader.Read.Oversized o = (FrameReader.Read.Oversized) r;
        assertThat(o.length()).isGreaterThan(max).isLessThanOrEqualTo(line.length);
        assertThat(o.prefix().length).isLessThanOrEqualTo(FrameReader.PREFIX_BYTES)
            .isGreaterThanOrEqualTo(Math.min(max + 1, FrameReader.PREFIX_BYTES));
        assertThat(Arrays.copyOf(line, o.prefix().length)).isEqualTo(o.prefix());
      } else {
        assertThat(r).isInstanceOf(FrameReader.Read.Frame.class);
        assertThat(((FrameReader.Read.Frame) r).bytes()).isEqualTo(line);
      }
    }
    FrameReader.Read end = reads.get(reads.size() - 1);
    assertThat(end).isEqualTo(new FrameReader.Read.End(unterminated));
  }

  /** The reference: lines split at '\n'; an unterminated last line counts when it is not empty. */
  private static List<byte[]> split(byte[] input) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < input.length; i++) {
      if (input[i] == '\n') {
        out.add(Arrays.copyOfRange(input, start, i));
        start = i + 1;
      }
    }
    if (start < input.length) {
      out.add(Arrays.copyOfRange(input, start, input.length));
    }
    return out;
  }

  private static int bufferLength(FrameReader reader) {
    try {
      java.lang.reflect.Field f = FrameReader.class.getDeclaredField("line");
      f.setAccessible(true);
      return ((byte[]) f.get(reader)).length;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** Hands out the input at most {@code piece} bytes per read, as a pipe might. */
  private static final class Pieces extends InputStream {
    private final byte[] data;
    private final int piece;
    private int pos;

    Pieces(byte[] data, int piece) {
      this.data = data;
      this.piece = piece;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, piece), data.length - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
