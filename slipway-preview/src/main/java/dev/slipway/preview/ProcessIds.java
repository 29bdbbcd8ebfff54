package dev.slipway.preview;

import dev.slipway.api.ControlPlaneInfo;

/** Process start times, to tell a recorded process from a later one that got the same pid. */
final class ProcessIds {
  private ProcessIds() {}

  static long startTicks(long pid) {
    return ControlPlaneInfo.startTicksOf(pid);
  }
}
