package dev.slipway.engine;

import java.time.Duration;

/**
 * The engine's name for {@link dev.slipway.model.Durations#human}, the one way durations are written
 * for people. Kept so classes of this package can say {@code Durations.format} without an import that
 * would shadow this class; new code may call the model's directly.
 */
public final class Durations {
  private Durations() {}

  /** {@code 850 ms}, {@code 4.2 s}, {@code 2 min 5 s}: see {@link dev.slipway.model.Durations#human}. */
  public static String format(Duration d) {
    return dev.slipway.model.Durations.human(d);
  }
}
