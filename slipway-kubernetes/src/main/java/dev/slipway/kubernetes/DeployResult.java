package dev.slipway.kubernetes;

/**
 * How a deploy, promote, abort or rollback ended for the command that ran it.
 *
 * @param release the release record as stored afterwards
 * @param ok      whether the command did what it was asked (exit 0); false: rolled back or failed (exit 1)
 * @param message one line for the user, e.g. {@code api r3 is live (canary, 2 min 5 s)} or
 *                {@code api r3 rolled back: pods never ready (api-r3-…: readiness probe failed)}
 */
public record DeployResult(ClusterRelease release, boolean ok, String message) {}
