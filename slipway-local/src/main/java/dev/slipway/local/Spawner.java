package dev.slipway.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a command as the leader of a new session and process group, with its output appended
 * straight to a log file. No pipe runs through this JVM, so the child neither blocks nor gets SIGPIPE
 * when the control plane dies.
 */
final class Spawner {

  private static final File DEV_NULL = new File("/dev/null");
  private static final Duration SETSID_TIMEOUT = Duration.ofSeconds(5);

  private Spawner() {}

  /**
   * @param header a line written to the log before the process starts, or {@code null}
   * @throws IOException when the command cannot be started (the log says why as well)
   */
  static Incarnation spawn(List<String> argv, Map<String, String> env, Path cwd, Path log,
      String header, int attempt) throws IOException {
    createPrivate(log);
    if (header != null) {
      appendLine(log, header);
    }
    List<String> cmd = new ArrayList<>(argv.size() + 1);
    // The child of a JVM is never a group leader, so setsid(1) calls setsid(2) and execs in place:
    // the pid we get is the new session's leader, and its pgid equals its pid.
    cmd.add("setsid");
    cmd.addAll(argv);
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(cwd.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    pb.environment().putAll(env);
    Instant startedAt = Instant.now();
    long ticksBefore = ProcStat.uptimeTicks();
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      appendLine(log, "--- slipway: could not start: " + e.getMessage());
      throw e;
    }
    long start = awaitOwnGroup(process, ticksBefore);
    return new Incarnation(process, process.pid(), start, startedAt, attempt);
  }

  /**
   * Waits (briefly) until the child has called setsid(2). Before that it is still in our group, and
   * a stop in that window would find its group empty and miss it.
   *
   * @param ticksBefore the clock (in start-time ticks) just before the child was started
   * @return the child's start ticks; when it exited and was reaped before we could look, the lower
   *     bound {@code ticksBefore} (its group members, if any, cannot have started earlier)
   */
  private static long awaitOwnGroup(Process process, long ticksBefore) throws IOException {
    long deadline = System.nanoTime() + SETSID_TIMEOUT.toNanos();
    long start = ticksBefore;
    while (true) {
      var stat = ProcStat.read(process.pid());
      if (stat.isEmpty()) {
        return start;
      }
      start = stat.get().startTicks(); // fixed at fork: exec and setsid do not change it
      if (!stat.get().alive() || stat.get().pgid() == process.pid()) {
        return start;
      }
      if (System.nanoTime() - deadline > 0) {
        process.destroyForcibly();
        throw new IOException("the child did not start a session of its own (is `setsid` from util-linux"
            + " installed?)");
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IOException("interrupted while starting", e);
      }
    }
  }

  /**
   * Creates the log with mode 0600 if it does not exist: a service may print its own secrets, and
   * Slipway masks them only where it shows the log (docs/decisions/0017).
   */
  static void createPrivate(Path log) throws IOException {
    if (!Files.exists(log)) {
      try {
        Files.createFile(log, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // Created meanwhile by another writer of the same log: fine.
      }
    }
  }

  static void appendLine(Path log, String line) throws IOException {
    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }
}
