package dev.slipway.store.team;

/**
 * A run to persist, as {@code pending}, before anything acts on it.
 *
 * @param kind        {@code deploy}, {@code rollback}, {@code abort}, {@code promote-step}, {@code promotion}
 * @param service     the service, or null for a run over a whole environment
 * @param image       the exact image to deploy (a promotion's item), or null
 * @param promotionId the promotion it carries out, or 0
 * @param requestJson the request as the server received it, to resume the run after a crash
 */
public record NewRun(String kind, String environment, String service, String image, String requestedBy,
    long promotionId, String requestJson) {}
