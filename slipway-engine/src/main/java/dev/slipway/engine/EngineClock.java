package dev.slipway.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * Time as the engine sees it. Every wait, deadline and pause of the engine reads this clock, and every
 * thread the engine runs is started through it: a simulated clock (the engine's tests have one) can then
 * move time forward only when all of those threads wait, so a ten-minute progress deadline passes in
 * milliseconds and a test never sleeps on the wall clock.
 */
interface EngineClock {

  /** The wall clock: Java's own time, sleeps and virtual threads. */
  EngineClock SYSTEM = new EngineClock() {
    @Override
    public Instant now() {
      return Instant.now();
    }

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
      Thread.sleep(d);
    }

    @Override
    public Thread start(String name, Runnable task) {
      return Thread.ofVirtual().name(name).start(task);
    }
  };

  /** The current time, for what is stored or shown (a pause's end, when traffic began). */
  Instant now();

  /** A monotonic reading in nanoseconds, for deadlines and elapsed times. */
  long nanoTime();

  /** Waits {@code d}; an interrupt ends the wait early. */
  void sleep(Duration d) throws InterruptedException;

  /**
   * Waits {@code d} where a wait cannot declare {@link InterruptedException}: an interrupt ends it with a
   * {@link java.util.concurrent.CompletionException}, the interrupt flag set again.
   */
  default void pause(Duration d) {
    try {
      sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.util.concurrent.CompletionException(e);
    }
  }

  /** Starts a (virtual) thread of the engine. */
  Thread start(String name, Runnable task);

  /** The deadline {@code d} from now, for {@link #past}. */
  default long deadline(Duration d) {
    return nanoTime() + d.toNanos();
  }

  /** Whether {@code deadline} (from {@link #deadline}) has passed. */
  default boolean past(long deadline) {
    return nanoTime() - deadline > 0;
  }
}
