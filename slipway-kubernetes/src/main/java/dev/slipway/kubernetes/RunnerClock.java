package dev.slipway.kubernetes;

import java.time.Duration;
import java.time.Instant;

/**
 * Time as the cluster runner sees it: what is stored ({@link #now()}), deadlines ({@link #nanoTime()}) and
 * the waits a strategy asks for (a canary's {@code pause: 30s}, a blue-green's rollback window). Tests
 * shorten those waits with {@link #scaled}; waits for the cluster (watches) always run on real time,
 * bounded by their own deadlines.
 */
interface RunnerClock {

  /** The wall clock. */
  RunnerClock SYSTEM = scaled(1.0);

  Instant now();

  long nanoTime();

  /**
   * How long a strategy's wait of {@code modelled} really lasts: the same on the wall clock, shorter in
   * tests. Every pause and window goes through this, so a test of a {@code pause: 30s} step takes 30 ms.
   */
  Duration real(Duration modelled);

  /** A clock whose strategy waits last {@code factor} times as long as modelled (1.0: the wall clock). */
  static RunnerClock scaled(double factor) {
    return new RunnerClock() {
      @Override
      public Instant now() {
        return Instant.now();
      }

      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public Duration real(Duration modelled) {
        return factor == 1.0 ? modelled : Duration.ofNanos((long) (modelled.toNanos() * factor));
      }
    };
  }
}
