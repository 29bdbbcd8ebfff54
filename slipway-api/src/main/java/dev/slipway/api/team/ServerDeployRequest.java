package dev.slipway.api.team;

/**
 * A deploy the server runs: {@code slipway deploy SVC --env E} with a server configured.
 *
 * @param image          the whole image reference (a digest preferred), or null
 * @param imageTag       the model's image with this tag, or null
 * @param strategy       a strategy id instead of the model's, or null
 * @param reason         why, recorded in the audit trail, or null
 * @param overrideFreeze deploy although the environment is frozen (admin only; recorded)
 */
public record ServerDeployRequest(String image, String imageTag, String strategy, String reason,
    boolean overrideFreeze) {}
