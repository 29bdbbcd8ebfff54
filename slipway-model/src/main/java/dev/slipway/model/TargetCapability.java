package dev.slipway.model;

/**
 * What a release step may need from the target it runs on, beyond starting and stopping instances
 * and moving all traffic at once (which every target does). A strategy's planner declares the ones
 * its plans use; a target lists the ones it has; the engine refuses a release whose plan needs one
 * the target lacks, before it starts anything.
 */
public enum TargetCapability {
  /** Split unpinned traffic between two releases by percent ({@code Weight} between 0 and 100). */
  WEIGHTED_TRAFFIC,
  /** Send a request to one release only, whatever the weights say ({@code Smoke}). */
  PINNED_REQUESTS,
  /** Per-release request, error and latency figures to compare the candidate with stable ({@code Analyze}). */
  RELEASE_METRICS,
  /** Keep the previous release running, without traffic, for an instant switch back ({@code HoldPrevious}). */
  WARM_STANDBY
}
