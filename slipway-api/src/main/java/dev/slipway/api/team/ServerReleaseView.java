package dev.slipway.api.team;

import java.time.Instant;

/**
 * A release of a service in an environment as the team server recorded it.
 *
 * @param release      the release id in that environment ({@code r3} on a cluster)
 * @param image        the image reference, a digest where one is known ({@code …@sha256:…})
 * @param configDigest sha256 of the service's rendered configuration there
 * @param state        {@code in-progress}, {@code live}, {@code superseded}, {@code rolled-back}, {@code failed}
 * @param liveSince    when it reached 100% of traffic, or null
 * @param analysis     {@code passed}, {@code failed}, {@code none} (the strategy had no analysis)
 * @param verified     whether it counts as verified for promotion: live, analysis passed or none, and
 *                     served its environment's consumers' soak time without a rollback
 * @param runId        the run that made it, or 0 when it was made outside the server
 */
public record ServerReleaseView(String environment, String service, String release, String image,
    String configDigest, String state, Instant liveSince, String analysis, boolean verified, long runId) {}
