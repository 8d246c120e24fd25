package io.github.mcppolicyproxy.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The descendants of a process. On Linux they are found by walking the tree from the process down
 * through {@code /proc/PID/task/TID/children}: a few small reads for a small tree, where
 * {@link ProcessHandle#descendants()} reads the parent of every process on the machine (hundreds
 * of files on a desktop, once a second while the proxy runs). Elsewhere, or when the kernel does not
 * offer those files, {@link ProcessHandle#descendants()} is used.
 */
final class ProcessTree {
  private static final Path PROC = Path.of("/proc");

  private ProcessTree() {}

  /** Every live descendant of {@code root} that could be found, parents before children. */
  static Set<ProcessHandle> descendants(ProcessHandle root) {
    Set<ProcessHandle> out = new LinkedHashSet<>();
    if (!walk(root.pid(), out)) {
      root.descendants().forEach(out::add);
    }
    return out;
  }

  /** Walks the tree through /proc; false when /proc does not list children here. */
  static boolean walk(long rootPid, Set<ProcessHandle> out) {
    if (!Files.isRegularFile(PROC.resolve(rootPid + "/task/" + rootPid + "/children"))) {
      return false;
    }
    Deque<Long> todo = new ArrayDeque<>();
    todo.add(rootPid);
    Set<Long> seen = new java.util.HashSet<>();
    while (!todo.isEmpty()) {
      long pid = todo.removeFirst();
      if (!seen.add(pid) || seen.size() > 100_000) {
        continue;
      }
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve(pid + "/task"))) {
        for (Path task : tasks) {
          String children;
          try {
            children = Files.readString(task.resolve("children"));
          } catch (IOException e) {
            continue; // the thread ended meanwhile
          }
          for (String word : children.trim().split(" ")) {
            if (word.isEmpty()) {
              continue;
            }
            long child = Long.parseLong(word);
            Optional<ProcessHandle> h = ProcessHandle.of(child);
            if (h.isPresent()) {
              out.add(h.get());
              todo.add(child);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // the process ended meanwhile: its children were re-parented, and were seen before
      }
    }
    return true;
  }
}
