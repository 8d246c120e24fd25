package io.github.mcppolicyproxy.live;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files, a real WatchService: each way a policy file is changed in practice is noticed. */
class PolicyWatcherTest {
  @TempDir Path dir;
  private final Semaphore changes = new Semaphore(0);
  private final PrintStream stderr = new PrintStream(new ByteArrayOutputStream(), true, UTF_8);
  private PolicyWatcher watcher;

  @AfterEach
  void stop() {
    if (watcher != null) {
      watcher.close();
    }
  }

  private void watch(Path file) {
    // a long poll, so that a change noticed quickly was noticed by the file events
    watcher = new PolicyWatcher(file, changes::release, Duration.ofSeconds(2),
        Duration.ofMillis(50), stderr).start();
  }

  private boolean noticed() throws InterruptedException {
    return changes.tryAcquire(20, TimeUnit.SECONDS);
  }

  @Test
  void aWriteInPlaceIsNoticed() throws Exception {
    Path file = Files.writeString(dir.resolve("policy.json"), "one", UTF_8);
    watch(file);
    Files.writeString(file, "two, longer", UTF_8);
    assertThat(noticed()).isTrue();
  }

  @Test
  void aReplacementByRenameIsNoticed() throws Exception {
    Path file = Files.writeString(dir.resolve("policy.json"), "one", UTF_8);
    watch(file);
    Path tmp = Files.writeString(dir.resolve(".policy.json.tmp"), "two", UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    assertThat(noticed()).isTrue();
  }

  @Test
  void aFileReachedThroughASymlinkIsWatchedInItsTargetsDirectory() throws Exception {
    Path real = Files.createDirectories(dir.resolve("elsewhere")).resolve("policy.json");
    Files.writeString(real, "one", UTF_8);
    Path link = Files.createSymbolicLink(dir.resolve("policy.json"), real);
    watch(link);
    Files.writeString(real, "two, longer", UTF_8);
    assertThat(noticed()).isTrue();
  }

  @Test
  void aSymlinkSwappedToAnotherDirectoryIsNoticedAndFollowed() throws Exception {
    // the layout of a Kubernetes ConfigMap volume: policy.json -> ..data/policy.json, ..data -> v1
    Path v1 = Files.createDirectories(dir.resolve("v1"));
    Path v2 = Files.createDirectories(dir.resolve("v2"));
    Files.writeString(v1.resolve("policy.json"), "one", UTF_8);
    Files.writeString(v2.resolve("policy.json"), "two", UTF_8);
    Path data = Files.createSymbolicLink(dir.resolve("..data"), Path.of("v1"));
    Path file = Files.createSymbolicLink(dir.resolve("policy.json"), Path.of("..data/policy.json"));
    watch(file);

    Path next = Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("v2"));
    Files.move(next, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    assertThat(noticed()).isTrue();

    Files.writeString(v2.resolve("policy.json"), "three, longer", UTF_8); // now in v2's directory
    assertThat(noticed()).isTrue();
  }

  @Test
  void aFileRemovedAndCreatedAgainIsNoticed() throws Exception {
    Path file = Files.writeString(dir.resolve("policy.json"), "one", UTF_8);
    watch(file);
    Files.delete(file);
    assertThat(noticed()).as("the removal").isTrue();
    Files.writeString(file, "two", UTF_8);
    assertThat(noticed()).as("the new file").isTrue();
  }

  /**
   * The file events are set up on the watcher's thread, after start() returns: a change made at
   * once (maybe before they are) is still acted on within a moment, not at the next poll a minute
   * later. Twenty starts, each changed the instant it returns.
   */
  @Test
  void aChangeTheInstantTheWatchStartsIsNoticedWithoutWaitingForThePoll() throws Exception {
    for (int i = 0; i < 20; i++) {
      Path file = Files.writeString(dir.resolve("policy-" + i + ".json"), "one", UTF_8);
      PolicyWatcher w = new PolicyWatcher(file, changes::release, Duration.ofMinutes(1),
          Duration.ofMillis(20), stderr).start();
      try {
        Files.writeString(file, "two, longer", UTF_8);
        assertThat(changes.tryAcquire(10, TimeUnit.SECONDS)).as("start %d", i).isTrue();
      } finally {
        w.close();
      }
    }
  }

  @Test
  void nothingHappensWhileTheFileDoesNotChange() throws Exception {
    Path file = Files.writeString(dir.resolve("policy.json"), "one", UTF_8);
    watch(file);
    Files.writeString(dir.resolve("unrelated.txt"), "x", UTF_8);
    assertThat(changes.tryAcquire(3, TimeUnit.SECONDS)).isFalse();
  }
  /**
   * The policy's directory may hold files written on every call (the default violation log and
   * state database live beside the default policy): their events cost the watcher a look every
   * {@code quiet} at most, not one per write, and a change of the policy among them is noticed.
   */
  @Test
  void aDirectoryWrittenOnEveryCallCostsAFewLooksAndAChangeIsStillNoticed() throws Exception {
    Path file = Files.writeString(dir.resolve("policy.json"), "one", UTF_8);
    watch(file);
    Path log = dir.resolve("violations.jsonl");
    long start = System.nanoTime();
    long looksBefore = watcher.looks();
    int writes = 0;
    while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1)) {
      Files.writeString(log, "{\"call\":" + writes++ + "}\n", UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      Thread.sleep(0, 200_000);
    }
    long looks = watcher.looks() - looksBefore;
    // one second with a quiet of 50 ms: about 20 looks and a few more for timing (the machine is
    // shared), against one per write before
    assertThat(writes).as("writes").isGreaterThan(300);
    assertThat(looks).as("looks for %d writes", writes).isLessThan(60);
    assertThat(changes.tryAcquire()).as("no reload for another file").isFalse();

    Files.writeString(file, "two, longer", UTF_8);
    assertThat(noticed()).isTrue();
  }
}
