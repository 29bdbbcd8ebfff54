package dev.slipway.target.local;

import java.time.Instant;

/**
 * One run of a supervised command. The process leads its own session and group, so its pid is
 * also its group id.
 *
 * @param startTicks from {@code /proc/<pid>/stat}, or -1 when it exited before we could look
 */
record Incarnation(Process process, long pid, long startTicks, Instant startedAt, int attempt) {
  long pgid() {
    return pid;
  }
}
