package dev.slipway.engine;

import java.time.Duration;

/**
 * The engine's name for {@link dev.slipway.model.Durations#human}, the one way durations are written
 * for people; not a second formatter. It stays while classes being reshaped elsewhere (StackRunner,
 * RolloutGuard) call it; new code calls the model's directly, and this class goes once they do.
 */
public final class Durations {
  private Durations() {}

  /** {@code 850 ms}, {@code 4.2 s}, {@code 2 min 5 s}: see {@link dev.slipway.model.Durations#human}. */
  public static String format(Duration d) {
    return dev.slipway.model.Durations.human(d);
  }
}
