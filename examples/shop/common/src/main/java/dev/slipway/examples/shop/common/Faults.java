package dev.slipway.examples.shop.common;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Fault knobs for release tests, read once at start: a canary that fails or is slow must be
 * caught by analysis, and one that crashes must be caught by the rollout.
 *
 * <ul>
 *   <li>{@code FAULT_ERROR_RATE}: share (0..1, or a percentage) of non-health requests answered
 *       with 500.
 *   <li>{@code FAULT_LATENCY_MS}: delay added to every non-health request.
 *   <li>{@code FAULT_CRASH_ON_START}: exit with status 1 right at start.
 * </ul>
 *
 * Health endpoints are never affected, so a faulty instance still reports ready: catching it is
 * the release analysis's job, not the readiness probe's.
 *
 * @param errorRate share of requests to fail
 * @param latencyMillis delay to add to each request
 * @param crashOnStart whether to exit at start
 */
public record Faults(double errorRate, int latencyMillis, boolean crashOnStart) {

  /** Reads the knobs from the environment. */
  public static Faults fromEnv(Env env) {
    return new Faults(env.fraction("FAULT_ERROR_RATE"),
        env.intValue("FAULT_LATENCY_MS", 0, 0, 600_000),
        env.flag("FAULT_CRASH_ON_START"));
  }

  /** Whether any request-level fault is switched on. */
  public boolean any() {
    return errorRate > 0 || latencyMillis > 0;
  }

  /** Sleeps for the configured latency, if any. */
  public void delay() throws InterruptedException {
    if (latencyMillis > 0) {
      Thread.sleep(latencyMillis);
    }
  }

  /** Whether this request should fail, drawn at the configured rate. */
  public boolean shouldFail() {
    return errorRate > 0 && ThreadLocalRandom.current().nextDouble() < errorRate;
  }

  @Override
  public String toString() {
    return "errorRate=" + errorRate + " latencyMs=" + latencyMillis;
  }
}
