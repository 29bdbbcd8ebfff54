package dev.slipway.local;

import dev.slipway.model.Durations;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to completion in its own process group (a build, initdb), registered so a crashed
 * control plane's successor can stop it, and killed as a group at the deadline.
 */
final class ForegroundRun {

  /** How it ended: an exit code, or {@code timedOut}. */
  record Outcome(int exitCode, boolean timedOut, Duration took) {
    boolean ok() {
      return !timedOut && exitCode == 0;
    }
  }

  private static final Duration KILL_GRACE = Duration.ofSeconds(2);

  private ForegroundRun() {}

  static Outcome run(String name, String kind, List<String> argv, Map<String, String> env, Path cwd,
      Path log, String header, String description, Duration deadline, ProcessRegistry registry)
      throws IOException {
    long t0 = System.nanoTime();
    Incarnation inc = Spawner.spawn(argv, env, cwd, log, header, 1);
    ProcessRegistry.Entry entry = registry.entryFor(name, kind, inc, description, Signal.TERM);
    boolean done = false;
    try {
      registry.register(entry);
      done = inc.process().waitFor(Math.max(1, deadline.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // Also on success: whatever the command left running in its group goes with it.
      ProcessGroups.terminate(inc.pgid(), Signal.TERM, KILL_GRACE);
      registry.unregister(entry);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    if (!done) {
      Spawner.appendLine(log, "--- slipway: " + name + " did not finish within " + Durations.human(deadline)
          + "; its process group was killed");
      return new Outcome(-1, true, took);
    }
    return new Outcome(inc.process().exitValue(), false, took);
  }
}
