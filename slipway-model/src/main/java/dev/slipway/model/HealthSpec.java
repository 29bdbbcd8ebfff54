package dev.slipway.model;

import java.time.Duration;

/**
 * Health endpoints of a service, probed over HTTP on the instance's port.
 *
 * @param ready          readiness path (traffic and dependants wait for it), or {@code null}
 * @param live           liveness path (failing it restarts the instance), or {@code null}
 * @param startupTimeout how long an instance may take to become ready (default 60s)
 * @param interval       how often probes run once started (default 1s)
 */
public record HealthSpec(String ready, String live, Duration startupTimeout, Duration interval) {
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  public static HealthSpec defaults() {
    return new HealthSpec(null, null, DEFAULT_STARTUP_TIMEOUT, DEFAULT_INTERVAL);
  }
}
