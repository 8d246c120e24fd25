package io.github.mcppolicyproxy.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class ProcessTreeTest {
  @Test
  @EnabledOnOs(OS.LINUX)
  void walkingProcFindsWhatTheJdkScanOfEveryProcessFinds() throws Exception {
    // a child with children and a grandchild: sh -> (sleep, sh -> sleep)
    Process p = new ProcessBuilder("sh", "-c", "sleep 30 & sh -c 'sleep 30 & wait' & wait")
        .start();
    try {
      Set<Long> expected = Set.of();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (expected.size() < 3 && System.nanoTime() < end) {
        Thread.sleep(20);
        expected = p.descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
      }
      assertThat(expected).as("the JDK sees the tree").hasSize(3);
      Set<ProcessHandle> walked = new LinkedHashSet<>();
      assertThat(ProcessTree.walk(p.pid(), walked)).as("this kernel lists children").isTrue();
      assertThat(walked.stream().map(ProcessHandle::pid).collect(Collectors.toSet()))
          .isEqualTo(expected);
      assertThat(ProcessTree.descendants(p.toHandle())).isEqualTo(walked);
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aProcessWithoutChildrenHasNoDescendants() throws Exception {
    Process p = new ProcessBuilder("sleep", "30").start();
    try {
      assertThat(ProcessTree.descendants(p.toHandle())).isEmpty();
    } finally {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
