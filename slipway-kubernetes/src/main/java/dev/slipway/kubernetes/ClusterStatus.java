package dev.slipway.kubernetes;

import java.util.List;

/**
 * What {@code slipway status --env E} shows for a cluster, read from the cluster (objects and records).
 *
 * @param context   the kubeconfig context used
 * @param namespace the environment's namespace
 * @param server    the API server's address
 * @param services  one row per service of the model, in model order
 */
public record ClusterStatus(String context, String namespace, String server, List<Service> services) {

  /**
   * @param name     the service
   * @param release  the live release id ({@code r2}), or null before the first deploy
   * @param image    the live release's image
   * @param ready    ready pods of the live release
   * @param desired  pods it should have
   * @param rollout  the release in progress or interrupted, or null
   * @param phase    that rollout's phase ({@code shifting}), or null
   * @param traffic  the applied split, e.g. {@code r2 90% · r3 10%}, or null when one release has it all
   * @param holder   who holds the service's Lease now, or null
   */
  public record Service(String name, String release, String image, int ready, int desired, String rollout,
      String phase, String traffic, String holder) {}
}
