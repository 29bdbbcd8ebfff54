package dev.slipway.server.team;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Judges promotions again every few seconds ({@link Promotions#tick}), on a virtual thread of its own:
 * waiting promotions start when their gates come to hold, running ones whose runs ended get their outcome,
 * and what a crash left half done is finished (its first pass runs at once, at server start). Run ends
 * also reach {@link Promotions#runEnded} directly, so an outcome does not wait for the next pass.
 */
final class PromotionTicker implements AutoCloseable {
  private final Promotions promotions;
  private final Duration every;
  private final Consumer<String> log;
  private final Runnable unsubscribe;
  private final Thread thread;
  private volatile boolean closed;

  private PromotionTicker(Promotions promotions, Runs runs, Duration every, Consumer<String> log) {
    this.promotions = promotions;
    this.every = every;
    this.log = log;
    this.unsubscribe = runs.onEnd(promotions::runEnded);
    this.thread = Thread.ofVirtual().name("promotion-ticker").unstarted(this::loop);
  }

  /**
   * Starts ticking every {@code every}.
   *
   * @param log where a failed pass is reported (the next pass tries again)
   */
  static PromotionTicker start(Promotions promotions, Runs runs, Duration every, Consumer<String> log) {
    PromotionTicker t = new PromotionTicker(promotions, runs, every, log);
    t.thread.start();
    return t;
  }

  /** The interval {@link Promotions#TICK_VARIABLE} sets ({@code 200ms}, {@code 2s}), else the default 2 s. */
  static Duration fromEnvironment() {
    String v = System.getenv(Promotions.TICK_VARIABLE);
    if (v == null || v.isBlank()) {
      return Promotions.DEFAULT_TICK;
    }
    String s = v.strip().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      if (s.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      return Duration.parse(v.strip());
    } catch (NumberFormatException | DateTimeParseException e) {
      return Promotions.DEFAULT_TICK;
    }
  }

  private void loop() {
    String lastError = null;
    while (!closed) {
      try {
        promotions.tick();
        lastError = null;
      } catch (Exception e) {
        String text = "promotions: " + e.getMessage();
        if (!text.equals(lastError)) { // once per kind of failure, not every two seconds
          log.accept(text + " (trying again every " + every.toMillis() + " ms)");
        }
        lastError = text;
      }
      try {
        Thread.sleep(every);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    unsubscribe.run();
    thread.interrupt();
  }
}
