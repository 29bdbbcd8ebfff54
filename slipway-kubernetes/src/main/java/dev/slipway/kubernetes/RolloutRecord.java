package dev.slipway.kubernetes;

import dev.slipway.store.DeploymentPhase;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One rollout's release record as the runner keeps it: every step's phase and index is written to the
 * cluster BEFORE the step acts (after checking that this runner still holds the service's Lease), so a
 * runner that dies leaves a record that says what it had begun, and the next runner continues from there
 * with the local engine's crash rules.
 */
final class RolloutRecord {
  static final String IN_PROGRESS = "in-progress";
  static final String LIVE = "live";
  static final String SUPERSEDED = "superseded";
  static final String ROLLED_BACK = "rolled-back";
  static final String FAILED = "failed";

  private final RunnerContext ctx;
  private final ClusterLease.Held held;
  private ClusterRelease release;

  RolloutRecord(RunnerContext ctx, ClusterLease.Held held, ClusterRelease release) {
    this.ctx = ctx;
    this.held = held;
    this.release = release;
  }

  ClusterRelease get() {
    return release;
  }

  /** Records that the step at {@code step} begins, in {@code phase}; stops here if the Lease was lost. */
  void enter(DeploymentPhase phase, int step) throws KubernetesException {
    held.check();
    if (release.phase() == phase && release.step() == step) {
      return;
    }
    release = with(release, phase, release.state(), release.reason(), step, release.measurements(), null);
    ctx.records.update(release);
    ctx.settings.chaos().step(release.strategy(), phase.name().toLowerCase(java.util.Locale.ROOT));
  }

  /** Keeps the analysis' latest measurements with the record (written with the next phase or the end). */
  void measurements(Map<String, Double> m) {
    Map<String, Double> all = new LinkedHashMap<>(release.measurements());
    all.putAll(m);
    release = with(release, release.phase(), release.state(), release.reason(), release.step(), all, null);
  }

  /** Says why the rollout waits (a pause for promote, an inconclusive analysis), kept in the record. */
  void note(String reason) throws KubernetesException {
    held.check();
    release = with(release, release.phase(), release.state(), reason, release.step(), release.measurements(), null);
    ctx.records.update(release);
  }

  /** The candidate now serves as the current release (it is live, the rollout still tidying up). */
  void live() throws KubernetesException {
    held.check();
    release = with(release, release.phase(), LIVE, null, release.step(), release.measurements(), null);
    ctx.records.update(release);
  }

  /** Ends the rollout: phase DONE, with its final state and reason. */
  ClusterRelease finish(String state, String reason) throws KubernetesException {
    release = with(release, DeploymentPhase.DONE, state, reason, release.step(), release.measurements(),
        ctx.settings.clock().now());
    ctx.records.update(release);
    return release;
  }

  void check() throws KubernetesException {
    held.check();
  }

  static ClusterRelease with(ClusterRelease r, DeploymentPhase phase, String state, String reason, int step,
      Map<String, Double> measurements, Instant finished) {
    return new ClusterRelease(r.service(), r.revision(), r.image(), r.configDigest(), r.strategy(), phase, state,
        reason, step, measurements, r.started(), finished != null ? finished : r.finished(), r.by());
  }

  /** A release that others superseded or that ended another way, rewritten with its new state. */
  static ClusterRelease ended(ClusterRelease r, String state, String reason, Instant at) {
    return with(r, DeploymentPhase.DONE, state, reason != null ? reason : r.reason(), r.step(), r.measurements(),
        r.finished() != null ? r.finished() : at);
  }
}
