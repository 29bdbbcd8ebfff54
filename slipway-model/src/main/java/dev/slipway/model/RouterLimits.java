package dev.slipway.model;

import java.time.Duration;

/**
 * How much an environment's clients may hold of Slipway's router ({@code router:} under an environment;
 * the local target's router, docs/router.md "Limits"). A {@code null} keeps the router's default.
 *
 * @param maxConnections           client connections over all services
 * @param requestHeadTimeout       to receive a whole request head (slowloris)
 * @param bodyIdleTimeout          the longest pause inside a request or response body, either way
 * @param keepAliveTimeout         an idle keep-alive client connection is closed after this
 * @param tunnelIdleTimeout        an idle WebSocket (upgraded) connection is closed after this
 * @param maxConnectionsPerBackend connections to one service instance
 */
public record RouterLimits(Integer maxConnections, Duration requestHeadTimeout, Duration bodyIdleTimeout,
    Duration keepAliveTimeout, Duration tunnelIdleTimeout, Integer maxConnectionsPerBackend) {

  /** Every limit at the router's default. */
  public static final RouterLimits DEFAULTS = new RouterLimits(null, null, null, null, null, null);
}
