package dev.slipway.examples.orders;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Knobs that make a release misbehave on purpose, so Slipway's tests can show that a bad canary is
 * caught by its analysis and a crashing one by the rollout. Set as environment variables
 * ({@code FAULT_ERROR_RATE=0.2}, {@code FAULT_LATENCY_MS=300}, {@code FAULT_CRASH_ON_START=true}); all
 * off by default.
 *
 * @param errorRate    share of requests (0 to 1) answered with 500
 * @param latencyMs    delay added to every request, in milliseconds
 * @param crashOnStart fail the application context at start
 */
@ConfigurationProperties("fault")
public record FaultProperties(double errorRate, long latencyMs, boolean crashOnStart) {

  public FaultProperties {
    if (errorRate < 0 || errorRate > 1) {
      throw new IllegalArgumentException("FAULT_ERROR_RATE must be between 0 and 1, e.g. 0.05 for 5%, not " + errorRate);
    }
    if (latencyMs < 0) {
      throw new IllegalArgumentException("FAULT_LATENCY_MS must not be negative, not " + latencyMs);
    }
  }
}
