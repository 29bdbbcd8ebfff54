package dev.slipway.store.team;

import java.time.Instant;

/**
 * A release of a service in an environment as the team server saw it: the facts promotion gates
 * judge ("verified": live, analysis passed or none, served its soak, no rollback since).
 *
 * @param release      the release id in that environment ({@code r3} on a cluster)
 * @param image        the image reference, a digest where one is known
 * @param configDigest sha256 of the service's rendered configuration there
 * @param configJson   that configuration with secret values already masked by the caller, or null
 * @param state        {@code in-progress}, {@code live}, {@code superseded}, {@code rolled-back}, {@code failed}
 * @param liveSince    when it reached 100% of traffic, or null
 * @param analysis     {@code passed}, {@code failed}, {@code none}, or null while unknown
 * @param rolledBackAt when it was rolled back, or null
 * @param runId        the run that made it, or 0 when it was made outside the server
 * @param recordedAt   when the store last recorded it (ignored on {@link TeamStore#recordRelease})
 */
public record ServerRelease(String environment, String service, String release, String image, String configDigest,
    String configJson, String state, Instant liveSince, String analysis, Instant rolledBackAt, long runId,
    Instant recordedAt) {}
