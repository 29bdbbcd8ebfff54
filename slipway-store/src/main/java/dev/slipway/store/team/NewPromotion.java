package dev.slipway.store.team;

/**
 * A promotion to persist.
 *
 * @param state    {@code waiting} (a gate does not hold yet) or {@code running}
 * @param viewJson its items (service, release, image) and configuration changes, as the server computed them
 */
public record NewPromotion(String from, String to, String state, String requestedBy, String viewJson) {}
