package dev.slipway.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * When to restart a process that exited: quickly the first time, then doubling up to a maximum.
 * Many exits in a short window are reported as a crash loop (a label: the delay keeps doubling, it
 * does not jump to the maximum). An incarnation that got well past its start resets the delay; one
 * that ran stably for a minute forgets the past. Pure: the caller supplies the clock.
 */
final class Backoff {

  static final Duration FIRST = Duration.ofMillis(100);
  static final Duration MAX = Duration.ofSeconds(30);
  static final Duration STABLE = Duration.ofSeconds(60);
  static final Duration WINDOW = Duration.ofSeconds(60);
  static final int LOOP_EXITS = 5;
  /** Ran at least this long: it crashed in service, not at start, so restart it quickly again. */
  static final Duration STARTED = Duration.ofSeconds(10);

  /** What to do after an exit. */
  record Decision(Duration delay, boolean crashLoop, int exitsInWindow) {}

  private final Deque<Instant> exits = new ArrayDeque<>();
  private Duration next = FIRST;

  /**
   * @param ranFor how long the incarnation that just exited had been running
   */
  Decision exited(Instant now, Duration ranFor) {
    if (ranFor.compareTo(STABLE) >= 0) {
      reset();
    } else if (ranFor.compareTo(STARTED) >= 0) {
      next = FIRST;
    }
    exits.addLast(now);
    while (!exits.isEmpty() && exits.peekFirst().isBefore(now.minus(WINDOW))) {
      exits.removeFirst();
    }
    boolean loop = exits.size() >= LOOP_EXITS;
    Duration delay = next;
    next = next.multipliedBy(2).compareTo(MAX) > 0 ? MAX : next.multipliedBy(2);
    return new Decision(delay, loop, exits.size());
  }

  /** Forget earlier exits (the process has been running stably). */
  void reset() {
    exits.clear();
    next = FIRST;
  }
}
