package dev.slipway.local;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stops what an earlier control plane recorded in {@code run/processes.json} and did not stop
 * (it was killed, or the machine lost power... though then nothing survives). A record only counts
 * when its process is provably the same one: same boot, same pid and start time, or members of its
 * group that started no earlier than it did.
 */
final class Leftovers {

  static final Duration GRACE = Duration.ofSeconds(5);
  private static final Duration AFTER_KILL = Duration.ofSeconds(3);

  private Leftovers() {}

  /** Stops everything other targets recorded. */
  static List<String> reap(ProcessRegistry registry) throws IOException {
    // Entries of this very target are its own running processes, not leftovers.
    List<ProcessRegistry.Entry> entries = registry.entries().stream()
        .filter(e -> !registry.session().equals(e.session())).toList();
    return stop(registry, entries, "leftover");
  }

  /**
   * Stops the recorded groups that still run (database servers get {@link LocalTarget#SERVER_GRACE},
   * the rest {@link #GRACE}) and removes all the given entries from the registry.
   *
   * @param what how the lines call them: "leftover", "unclaimed"
   * @return a line per group or container stopped
   */
  static List<String> stop(ProcessRegistry registry, Collection<ProcessRegistry.Entry> entries, String what)
      throws IOException {
    List<String> lines = new ArrayList<>();
    String boot = ProcStat.bootId();
    Map<ProcessRegistry.Entry, Set<ProcessGroups.Key>> doomed = new LinkedHashMap<>();
    for (ProcessRegistry.Entry e : entries) {
      if (e.container() != null) {
        if (DockerCli.run(30, "rm", "-f", e.container()).ok()) {
          lines.add("removed " + what + " container " + e.container());
        }
      } else if (boot.equals(e.bootId()) && ours(e)) {
        doomed.put(e, ProcessGroups.family(e.pgid()));
      }
    }
    // Ask all at once, then wait once: N groups cost one grace period, not N.
    for (ProcessRegistry.Entry e : doomed.keySet()) {
      ProcessGroups.signal(e.pgid(), Signal.valueOf(e.signal()));
    }
    long start = System.nanoTime();
    for (var d : doomed.entrySet()) {
      Duration grace = "server".equals(d.getKey().kind()) ? LocalTarget.SERVER_GRACE : GRACE;
      Duration left = Duration.ofNanos(Math.max(0, start + grace.toNanos() - System.nanoTime()));
      boolean gone = ProcessGroups.awaitGone(d.getKey().pgid(), d.getValue(), left);
      if (!gone) {
        ProcessGroups.signal(d.getKey().pgid(), Signal.KILL);
        ProcessGroups.signalEach(d.getValue(), Signal.KILL);
        ProcessGroups.awaitGone(d.getKey().pgid(), d.getValue(), AFTER_KILL);
      }
      lines.add("stopped " + what + " " + d.getKey().name() + " (pgid " + d.getKey().pgid() + (gone ? ")" : ", killed)"));
    }
    registry.removeAll(entries);
    return lines;
  }

  /**
   * Whether the recorded group still runs and is the one we started. The kernel does not hand out a
   * pid while a process group of that id exists, so live members of the group (started no earlier
   * than the leader) are ours even after the leader is gone.
   */
  static boolean ours(ProcessRegistry.Entry e) {
    if (e.pgid() <= 1 || e.startTicks() < 0) {
      return false;
    }
    Optional<ProcStat> leader = ProcStat.read(e.pgid()).filter(ProcStat::alive);
    if (leader.isPresent()) {
      return leader.get().startTicks() == e.startTicks(); // a different start time: pid reused, not ours
    }
    return ProcessGroups.members(e.pgid()).stream().anyMatch(m -> m.startTicks() >= e.startTicks());
  }

  /**
   * Whether the recorded leader itself still runs (not a zombie, not a reused pid): only then can a
   * later control plane take the group over. A group whose leader is gone is a leftover, whatever
   * its members do.
   */
  static boolean leaderRuns(ProcessRegistry.Entry e) {
    return e.container() == null && e.pid() > 1 && e.pgid() == e.pid() && ProcStat.bootId().equals(e.bootId())
        && new ProcessGroups.Key(e.pid(), e.startTicks()).alive();
  }
}
