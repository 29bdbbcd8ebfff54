package dev.slipway.store;

import java.time.Instant;

/**
 * An event as stored. Ids grow with every append; read the log from an id on with
 * {@link StateStore#events(String, String, long, int)}.
 */
public record StoredEvent(
    long id,
    Instant time,
    String environment,
    String service,
    Long deploymentId,
    String kind,
    String message,
    String detailsJson) {}
