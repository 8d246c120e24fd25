package io.github.mcppolicyproxy.telemetry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LineTapTest {
  private final List<String> told = new ArrayList<>();
  private final AtomicLong clock = new AtomicLong();

  @Test
  void readLinesAreToldOnceWholeAndTheBytesPassUnchanged() throws Exception {
    byte[] frames = "{\"a\":1}\n{\"b\":\n2}\npartial".getBytes(UTF_8);
    InputStream in = LineTap.watch(new ByteArrayInputStream(frames),
        (b, n, t) -> told.add(new String(b, 0, n, UTF_8)), clock::incrementAndGet);
    byte[] got = new byte[frames.length];
    int off = 0;
    for (int n; (n = in.read(got, off, Math.min(3, got.length - off))) > 0; ) {
      off += n;
    }
    assertThat(got).isEqualTo(frames);
    assertThat(told).containsExactly("{\"a\":1}", "{\"b\":", "2}");
  }

  @Test
  void aWrittenLineIsToldAfterTheFlushWithTheTimeItWasWritten() throws Exception {
    ByteArrayOutputStream below = new ByteArrayOutputStream();
    List<Long> times = new ArrayList<>();
    OutputStream out = LineTap.watch(below, (b, n, t) -> {
      told.add(new String(b, 0, n, UTF_8) + " / " + below.size());
      times.add(t);
    }, clock::incrementAndGet);
    out.write("{\"id\":1}".getBytes(UTF_8));
    out.write('\n');
    assertThat(told).isEmpty();
    clock.addAndGet(100);
    out.flush();
    assertThat(told).containsExactly("{\"id\":1} / 9");
    assertThat(times).containsExactly(1L);
  }

  @Test
  void aListenerThatFailsNeverFailsTheStreamAndALongLineIsKeptInPart() throws Exception {
    ByteArrayOutputStream below = new ByteArrayOutputStream();
    List<Integer> lengths = new ArrayList<>();
    OutputStream out = LineTap.watch(below, (b, n, t) -> {
      lengths.add(n);
      throw new IllegalStateException("telemetry bug");
    }, clock::incrementAndGet);
    byte[] big = new byte[LineTap.KEPT + 10];
    java.util.Arrays.fill(big, (byte) 'x');
    out.write(big);
    out.write("\nok\n".getBytes(UTF_8));
    out.flush();
    assertThat(below.size()).isEqualTo(big.length + 4);
    assertThat(lengths).containsExactly(LineTap.KEPT, 2);
  }
}
