package dev.slipway.engine;

import java.time.Duration;

/**
 * Timings the model does not set. Every wait in the engine has one of these as its deadline.
 *
 * @param resourceStartupTimeout how long a backing service may take to answer its first check
 *                               (first start includes unpacking binaries and initdb)
 * @param buildTimeout           longest a build may run
 * @param stopGrace              how long a process may take to exit after TERM before it is killed
 * @param startupProbeInterval   how often readiness is probed while an instance is starting
 * @param resourceCheckInterval  how often backing services are checked once ready
 * @param livenessFailures       consecutive failed liveness probes before an instance is restarted
 * @param readinessFailures      consecutive failed readiness probes before a ready instance leaves rotation
 * @param queueTimeout           longest {@code deploy --queue} waits for the rollout in progress to end
 */
public record EngineSettings(
    Duration resourceStartupTimeout,
    Duration buildTimeout,
    Duration stopGrace,
    Duration startupProbeInterval,
    Duration resourceCheckInterval,
    int livenessFailures,
    int readinessFailures,
    Duration queueTimeout) {

  public static EngineSettings defaults() {
    return new EngineSettings(Duration.ofSeconds(120), Duration.ofMinutes(15), Duration.ofSeconds(10),
        Duration.ofMillis(100), Duration.ofSeconds(2), 3, 3, Duration.ofMinutes(30));
  }

  /** These settings with another {@link #queueTimeout}. */
  public EngineSettings withQueueTimeout(Duration timeout) {
    return new EngineSettings(resourceStartupTimeout, buildTimeout, stopGrace, startupProbeInterval,
        resourceCheckInterval, livenessFailures, readinessFailures, timeout);
  }
}
