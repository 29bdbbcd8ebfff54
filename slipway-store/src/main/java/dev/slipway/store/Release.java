package dev.slipway.store;

import java.time.Instant;

/**
 * A recorded release. Releases never change once created.
 *
 * @param id {@code service + "-r" + number}, unique within its environment (the same id names
 *     different releases in different environments)
 * @param number 1 for the first release of the service in the environment, then the previous
 *     highest plus one
 * @param artifactDigest null when the release was created without one
 */
public record Release(
    String id,
    String environment,
    String service,
    int number,
    String version,
    String artifactDigest,
    String configJson,
    String strategyJson,
    Instant createdAt,
    String createdBy) {}
