package dev.slipway.local;

import java.time.Duration;

/** Durations as people write them in messages. */
final class Durations {

  private Durations() {}

  /** {@code 500 ms}, {@code 30 s}, {@code 2 min 5 s}. */
  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return ms % 1000 == 0 ? ms / 1000 + " s" : String.format("%.1f s", ms / 1000.0);
    }
    long s = d.toSeconds();
    return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
  }
}
