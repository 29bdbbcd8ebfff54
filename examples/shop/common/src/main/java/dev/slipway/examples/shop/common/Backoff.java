package dev.slipway.examples.shop.common;

/**
 * Exponential back-off between retries: doubles from a first delay up to a cap, and starts over
 * after {@link #reset()} (a success).
 */
public final class Backoff {

  private final long firstMillis;
  private final long maxMillis;
  private long nextMillis;

  /** A back-off starting at {@code firstMillis} and never waiting longer than {@code maxMillis}. */
  public Backoff(long firstMillis, long maxMillis) {
    this.firstMillis = firstMillis;
    this.maxMillis = maxMillis;
    this.nextMillis = firstMillis;
  }

  /** Sleeps for the current delay and doubles the next one; returns how long it slept. */
  public long pause() throws InterruptedException {
    long delay = nextMillis;
    Thread.sleep(delay);
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return delay;
  }

  /** Whether the last pause was not the first one: lets callers log a failure only once. */
  public boolean isBackingOff() {
    return nextMillis != firstMillis;
  }

  /** Starts over from the first delay. */
  public void reset() {
    nextMillis = firstMillis;
  }
}
