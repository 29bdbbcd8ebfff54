package dev.slipway.kubernetes;

import java.time.Duration;

/**
 * One {@code slipway deploy SERVICE --env E} on a cluster.
 *
 * @param service  the service to release
 * @param imageTag {@code --image-tag}: the model's image with this tag, or null
 * @param image    {@code --image}: the whole image reference (a digest preferred), or null; wins over
 *                 {@code imageTag}
 * @param strategy {@code --strategy}: a strategy id to use instead of the model's, or null
 * @param waitForEnd whether to return only when the rollout has ended (else once it has started)
 * @param queue    {@code --queue}: how long to wait for another runner's Lease, or null to be refused at once
 * @param resume   {@code --resume}: continue an interrupted rollout from its recorded phase
 */
public record DeployOrder(String service, String imageTag, String image, String strategy, boolean waitForEnd,
    Duration queue, boolean resume) {}
