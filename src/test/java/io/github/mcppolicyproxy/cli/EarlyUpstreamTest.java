package io.github.mcppolicyproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcppolicyproxy.process.ChildProcess;
import io.github.mcppolicyproxy.process.UpstreamStartException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real child processes: what is started early is used, or stopped, never left running. */
class EarlyUpstreamTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);

  private static ProcessHandle handle(ChildProcess c) {
    return ProcessHandle.of(c.pid()).orElseThrow();
  }

  @Test
  void theSameCommandTakesTheChildStartedEarly() throws Exception {
    EarlyUpstream early = EarlyUpstream.start(List.of("sleep", "30"), stderr);
    ChildProcess child = EarlyUpstream.take(early, List.of("sleep", "30"), stderr);
    try {
      EarlyUpstream.discard(early); // taken: the session owns it, a discard leaves it running
      assertThat(handle(child).isAlive()).isTrue();
      assertThat(handle(child).info().arguments().orElse(new String[0])).containsExactly("30");
    } finally {
      child.stop(Duration.ZERO);
    }
  }

  @Test
  void anotherCommandStopsTheEarlyChildAndStartsTheOneAsked() throws Exception {
    EarlyUpstream early = EarlyUpstream.start(List.of("sleep", "31"), stderr);
    ChildProcess child = EarlyUpstream.take(early, List.of("sleep", "32"), stderr);
    try {
      assertThat(handle(child).info().arguments().orElse(new String[0])).containsExactly("32");
      assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
          .filter(p -> p.info().arguments().map(a -> a.length == 1 && a[0].equals("31"))
              .orElse(false)).toList()).as("no sleep 31 left").isEmpty();
    } finally {
      child.stop(Duration.ZERO);
    }
  }

  @Test
  void aDiscardedChildIsStoppedBeforeDiscardReturns() throws Exception {
    EarlyUpstream early = EarlyUpstream.start(List.of("sleep", "33"), stderr);
    ProcessHandle h = ProcessHandle.current().children().filter(p -> p.info().arguments()
        .map(a -> a.length == 1 && a[0].equals("33")).orElse(false)).findFirst().orElseThrow();
    EarlyUpstream.discard(early);
    assertThat(h.isAlive()).isFalse();
    assertThatThrownBy(() -> EarlyUpstream.take(early, List.of("sleep", "33"), stderr))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aCommandThatCannotStartIsReportedWhenTakenNotWhenStarted() {
    EarlyUpstream early = EarlyUpstream.start(List.of("/nonexistent/upstream"), stderr);
    assertThatThrownBy(() -> EarlyUpstream.take(early, List.of("/nonexistent/upstream"), stderr))
        .isInstanceOf(UpstreamStartException.class).hasMessageContaining("/nonexistent/upstream");
  }
}
