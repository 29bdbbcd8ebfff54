package dev.slipway.kubernetes;

import dev.slipway.store.DeploymentPhase;
import java.time.Instant;
import java.util.Map;

/**
 * One release of a service on a cluster, as kept in its record Secret ({@code slipway.release.SERVICE.rN})
 * and shown by {@code history}.
 *
 * @param service      the service
 * @param revision     1, 2, … per service and environment
 * @param image        the image reference deployed (a digest when one was given)
 * @param configDigest sha256 of the service's rendered configuration (env, ConfigMap, resources)
 * @param strategy     the strategy id it ran with ({@code rolling}, {@code blue-green}, {@code canary},
 *                     {@code immediate} for a rollback, {@code install} for an environment's first deploy)
 * @param phase        where the rollout is; {@link DeploymentPhase#DONE} once it has ended
 * @param state        {@code in-progress}, {@code live}, {@code superseded}, {@code rolled-back}, {@code failed}
 * @param reason       why it ended as it did (a verdict's reason, a readiness failure), or null
 * @param step         the index of the strategy step the rollout is on (for resume), -1 before the first
 * @param measurements what analysis measured, by name ({@code canary.errorRate}: 0.052), possibly empty
 * @param by           who ran it ({@code user@host})
 */
public record ClusterRelease(String service, int revision, String image, String configDigest, String strategy,
    DeploymentPhase phase, String state, String reason, int step, Map<String, Double> measurements,
    Instant started, Instant finished, String by) {

  /** The release's id as shown and as labelled on its objects: {@code r3}. */
  public String id() {
    return "r" + revision;
  }
}
