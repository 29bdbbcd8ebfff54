package dev.slipway.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Test helper: which live processes work in a directory (every process a test starts does). */
final class Procs {

  private Procs() {}

  /** Live processes whose working directory is {@code dir} or below it, as "pid comm". */
  static List<String> under(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    List<String> out = new ArrayList<>();
    for (ProcStat s : ProcStat.all()) {
      try {
        Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(s.pid()), "cwd"));
        if (cwd.startsWith(root)) {
          out.add(s.pid() + " " + s.comm());
        }
      } catch (IOException e) {
        // Gone meanwhile, or a kernel thread without a cwd.
      }
    }
    return out;
  }

  /** Waits briefly for stragglers that are already dying, then returns what is left. */
  static List<String> leftUnder(Path dir) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    List<String> left = under(dir);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
      left = under(dir);
    }
    return left;
  }

  /**
   * Asserts that no process works under {@code dir} and that this JVM has no live child left
   * (every process a target starts is first our child).
   */
  static void assertNothingLeft(Path dir) throws InterruptedException {
    org.assertj.core.api.Assertions.assertThat(leftUnder(dir)).as("processes working under " + dir).isEmpty();
    // A JVM child (the router) may still be tearing down its threads, or not yet reaped: give it a moment.
    await(Duration.ofSeconds(2), () -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
    org.assertj.core.api.Assertions.assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList()).as("live children of the test JVM")
        .isEmpty();
  }

  static boolean alive(long pid) {
    return ProcStat.read(pid).filter(ProcStat::alive).isPresent();
  }

  /** Polls {@code condition} every 10 ms until it holds or {@code within} passes. */
  static boolean await(Duration within, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }
}
