package dev.slipway.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one process tree holds at one moment: the resident memory of all its processes, the sum of
 * their own peaks, and each one's CPU time so far. The tree of an instance is its process group and
 * every descendant, wherever they moved (as {@link ProcessGroups#family} sees it).
 *
 * @param rssBytes sum of VmRSS
 * @param hwmBytes sum of VmHWM (each process's peak resident set so far)
 * @param cpuTicks CPU time (user + system, clock ticks) by process, so intervals count only the
 *                 processes seen at both ends
 */
record TreeUsage(long rssBytes, long hwmBytes, Map<ProcessGroups.Key, Long> cpuTicks) {

  /** Linux shows CPU times in /proc in units of USER_HZ, which it fixes at 100 per second. */
  static final long TICK_MILLIS = 10;

  /** Indexes one snapshot of {@code /proc} by parent, for many trees at once. */
  static Map<Long, List<ProcStat>> children(List<ProcStat> all) {
    Map<Long, List<ProcStat>> children = new HashMap<>();
    for (ProcStat s : all) {
      children.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s);
    }
    return children;
  }

  /** The tree of group {@code pgid} in the snapshot {@code all}; empty when nothing of it runs. */
  static TreeUsage of(long pgid, List<ProcStat> all, Map<Long, List<ProcStat>> children) {
    List<ProcStat> todo = new ArrayList<>(all.stream().filter(s -> s.pgid() == pgid).toList());
    Set<Long> seen = new HashSet<>();
    long rss = 0;
    long hwm = 0;
    Map<ProcessGroups.Key, Long> cpu = new HashMap<>();
    while (!todo.isEmpty()) {
      ProcStat s = todo.removeLast();
      if (!seen.add(s.pid())) {
        continue;
      }
      long[] mem = memory(s.pid());
      rss += mem[0];
      hwm += mem[1];
      cpu.put(new ProcessGroups.Key(s.pid(), s.startTicks()), s.cpuTicks());
      todo.addAll(children.getOrDefault(s.pid(), List.of()));
    }
    return new TreeUsage(rss, hwm, cpu);
  }

  /** CPU ticks used by the processes of {@code later} since {@code this}, counting only those in both. */
  long cpuTicksSince(TreeUsage earlier) {
    long ticks = 0;
    for (Map.Entry<ProcessGroups.Key, Long> e : cpuTicks.entrySet()) {
      Long before = earlier.cpuTicks.get(e.getKey());
      if (before != null) {
        ticks += Math.max(0, e.getValue() - before);
      }
    }
    return ticks;
  }

  /** {VmRSS, VmHWM} in bytes from {@code /proc/PID/status}; zeros for a process gone meanwhile or a kernel thread. */
  static long[] memory(long pid) {
    long[] out = new long[2];
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          out[0] = kilobytes(line);
        } else if (line.startsWith("VmHWM:")) {
          out[1] = kilobytes(line);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Exited while we read: it holds nothing any more.
    }
    return out;
  }

  private static long kilobytes(String line) {
    String[] w = line.substring(line.indexOf(':') + 1).strip().split("\\s+");
    return Long.parseLong(w[0]) * 1024;
  }
}
