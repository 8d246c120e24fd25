package io.github.mcppolicyproxy.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcppolicyproxy.jsonrpc.FrameWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ReadingBatonTest {
  /** An upstream's stdin that stops taking bytes (a full pipe) until released. */
  private static final class StuckPipe extends OutputStream {
    final CountDownLatch release = new CountDownLatch(1);
    final ByteArrayOutputStream got = new ByteArrayOutputStream();
    volatile boolean stuck = true;

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        if (stuck && !release.await(30, TimeUnit.SECONDS)) {
          throw new IOException("never released");
        }
      } catch (InterruptedException e) {
        throw new java.io.InterruptedIOException();
      }
      synchronized (got) {
        got.write(b, off, len);
      }
    }

    String text() {
      synchronized (got) {
        return got.toString(UTF_8);
      }
    }
  }

  private static final PrintStream QUIET =
      new PrintStream(OutputStream.nullOutputStream(), true, UTF_8);

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aWriteStuckOnTheReadingThreadHandsReadingToTheStandbyAndLosesNothing() throws Exception {
    StuckPipe pipe = new StuckPipe();
    UpstreamQueue queue = new UpstreamQueue(new FrameWriter(pipe), 1 << 20, 100, QUIET);
    ReadingBaton baton = new ReadingBaton(queue, Duration.ofMillis(50));
    AtomicInteger next = new AtomicInteger();
    List<String> readBy = new CopyOnWriteArrayList<>();
    CountDownLatch allRead = new CountDownLatch(1);
    CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
      try {
        baton.run(() -> {
          int n = next.incrementAndGet();
          if (n > 5) {
            allRead.countDown();
            return false; // the client closed
          }
          readBy.add(Thread.currentThread().getName());
          byte[] frame = ("frame " + n).getBytes(UTF_8);
          if (queue.admit(frame) == UpstreamQueue.Admission.WRITE_NOW) {
            baton.beforeInlineWrite();
            queue.writeNow(frame);
          }
          return true;
        });
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    assertThat(allRead.await(10, TimeUnit.SECONDS))
        .as("frames 2-5 were read while frame 1's write was stuck").isTrue();
    run.get(10, TimeUnit.SECONDS); // reading ended although a write is still stuck
    assertThat(readBy.get(0)).endsWith("-reader");
    assertThat(readBy.subList(1, 5)).allMatch(n -> n.endsWith("-standby"));
    assertThat(pipe.text()).isEmpty();
    pipe.release.countDown();
    assertThat(queue.drain(Duration.ofSeconds(10))).isTrue();
    assertThat(pipe.text()).isEqualTo("frame 1\nframe 2\nframe 3\nframe 4\nframe 5\n");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void writesOnTheReadingThreadWhileTheUpstreamReadsAndTheStandbyNeverReads() throws Exception {
    StuckPipe pipe = new StuckPipe();
    pipe.stuck = false;
    UpstreamQueue queue = new UpstreamQueue(new FrameWriter(pipe), 1 << 20, 100, QUIET);
    ReadingBaton baton = new ReadingBaton(queue, Duration.ofMillis(50));
    AtomicInteger next = new AtomicInteger();
    List<String> readBy = new CopyOnWriteArrayList<>();
    List<UpstreamQueue.Admission> admissions = new CopyOnWriteArrayList<>();
    baton.run(() -> {
      int n = next.incrementAndGet();
      if (n > 1000) {
        return false;
      }
      readBy.add(Thread.currentThread().getName());
      byte[] frame = ("f" + n).getBytes(UTF_8);
      UpstreamQueue.Admission a = queue.admit(frame);
      admissions.add(a);
      if (a == UpstreamQueue.Admission.WRITE_NOW) {
        baton.beforeInlineWrite();
        queue.writeNow(frame);
      }
      return true;
    });
    assertThat(admissions).containsOnly(UpstreamQueue.Admission.WRITE_NOW);
    assertThat(readBy).allMatch(n -> n.endsWith("-reader"));
    assertThat(pipe.text().split("\n")).hasSize(1000).startsWith("f1", "f2").endsWith("f1000");
  }
}
