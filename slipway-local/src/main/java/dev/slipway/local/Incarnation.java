package dev.slipway.local;

import java.time.Instant;

/**
 * One run of a supervised command. The process leads its own session and group, so its pid is
 * also its group id.
 *
 * @param process    our child, or {@code null} for a process adopted from an earlier control plane
 *                   (not our child: its exit is noticed through {@code /proc} and its code is unknown)
 * @param startTicks from {@code /proc/<pid>/stat}, or -1 when it exited before we could look
 */
record Incarnation(Process process, long pid, long startTicks, Instant startedAt, int attempt) {

  static Incarnation adopted(long pid, long startTicks, int attempt) {
    return new Incarnation(null, pid, startTicks, ProcStat.startTime(startTicks), attempt);
  }

  long pgid() {
    return pid;
  }

  boolean adopted() {
    return process == null;
  }

  /** The exit code of our child once it exited; -1 for an adopted process. */
  int exitCode() {
    return process == null ? -1 : process.exitValue();
  }
}
