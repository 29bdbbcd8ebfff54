package dev.slipway.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a running control plane writes to {@code .slipway/run/control-plane.json} so the CLI can find
 * it. The bearer token itself is in {@code .slipway/run/token} (mode 0600), never in this file.
 *
 * @param pid         its process id
 * @param startTicks  its start time from /proc, to tell it from a process that later got the same pid
 * @param port        its HTTP API port on 127.0.0.1
 * @param modelFile   the model file it runs
 * @param environment the environment it runs
 * @param startedAt   ISO-8601 instant
 */
public record ControlPlaneInfo(long pid, long startTicks, int port, String modelFile, String environment,
    String startedAt) {

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * Whether this control plane's process still runs (and its pid was not reused since). A zombie —
   * exited, but not yet reaped, which on machines whose init never reaps can last forever — is dead.
   */
  public boolean isAlive() {
    String[] stat = stat(pid);
    if (stat == null || stat[0].equals("Z") || stat[0].equals("X")) {
      return false;
    }
    return startTicks <= 0 || startTicks == Long.parseLong(stat[19]);
  }

  /** A process's start time in clock ticks since boot (/proc/PID/stat field 22), or -1. */
  public static long startTicksOf(long pid) {
    String[] stat = stat(pid);
    return stat == null ? -1 : Long.parseLong(stat[19]);
  }

  /** The fields of /proc/PID/stat after the command name (state first), or null. */
  private static String[] stat(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
