package dev.slipway.store;

import java.time.Instant;

/**
 * A deployment as stored: a persisted state machine that the engine drives through
 * {@link StateStore#update(Deployment)}.
 *
 * <p>Only {@code state}, {@code phase}, {@code step}, {@code stepStateJson}, {@code reason} and
 * {@code measurementsJson} can change after the start, through the withers; the store keeps the
 * stored values of the other fields and sets the timestamps itself.
 *
 * @param fromRelease null for a service's first deployment
 * @param phase what the deployment is doing; {@link DeploymentPhase#DONE} once it has finished
 * @param step the index of the step the engine is at, 0 at the start
 * @param stepStateJson the engine's state for the current step; may be null
 * @param reason why the deployment paused, failed, was rolled back or aborted; null otherwise
 * @param measurementsJson the latest analysis measurements; may be null
 * @param finishedAt when the deployment left the active states; null while it is active
 * @param revision bumped by every update; an update must carry the revision it read
 */
public record Deployment(
    long id,
    String environment,
    String service,
    String fromRelease,
    String toRelease,
    String strategy,
    DeploymentState state,
    DeploymentPhase phase,
    int step,
    String stepStateJson,
    String reason,
    String measurementsJson,
    Instant startedAt,
    Instant updatedAt,
    Instant finishedAt,
    long revision) {

  public Deployment withState(DeploymentState newState) {
    return new Deployment(id, environment, service, fromRelease, toRelease, strategy, newState, phase, step,
        stepStateJson, reason, measurementsJson, startedAt, updatedAt, finishedAt, revision);
  }

  public Deployment withPhase(DeploymentPhase newPhase) {
    return new Deployment(id, environment, service, fromRelease, toRelease, strategy, state, newPhase, step,
        stepStateJson, reason, measurementsJson, startedAt, updatedAt, finishedAt, revision);
  }

  public Deployment withStep(int newStep, String newStepStateJson) {
    return new Deployment(id, environment, service, fromRelease, toRelease, strategy, state, phase, newStep,
        newStepStateJson, reason, measurementsJson, startedAt, updatedAt, finishedAt, revision);
  }

  public Deployment withReason(String newReason) {
    return new Deployment(id, environment, service, fromRelease, toRelease, strategy, state, phase, step,
        stepStateJson, newReason, measurementsJson, startedAt, updatedAt, finishedAt, revision);
  }

  public Deployment withMeasurements(String newMeasurementsJson) {
    return new Deployment(id, environment, service, fromRelease, toRelease, strategy, state, phase, step,
        stepStateJson, reason, newMeasurementsJson, startedAt, updatedAt, finishedAt, revision);
  }
}
