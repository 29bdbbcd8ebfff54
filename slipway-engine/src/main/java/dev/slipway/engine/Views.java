package dev.slipway.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.slipway.api.DeploymentView;
import dev.slipway.model.StrategySpec;
import dev.slipway.plan.ReleasePlan;
import dev.slipway.plan.ReleasePlanner;
import dev.slipway.plan.ReleaseStep;
import dev.slipway.store.Deployment;
import dev.slipway.store.DeploymentPhase;
import dev.slipway.store.DeploymentState;
import dev.slipway.store.Release;
import dev.slipway.store.StateStore;
import dev.slipway.store.StoreException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** Deployments as the API shows them. */
final class Views {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private Views() {}

  static DeploymentView deployment(Deployment d, ReleasePlan plan, Map<String, Integer> weights, ReleaseSet from,
      ReleaseSet to, java.time.Instant warmUntil) {
    return new DeploymentView(d.id(), d.service(), d.fromRelease(), d.toRelease(), from == null ? null : from.version(),
        to.version(), d.strategy(), state(d.state()), d.step(), plan.steps().stream().map(ReleaseStep::describe).toList(),
        weights, d.reason(), measurements(d.measurementsJson()), d.startedAt().toString(),
        d.finishedAt() == null ? null : d.finishedAt().toString(), phase(d.phase()),
        warmUntil == null ? null : warmUntil.toString());
  }

  /** A stored deployment: its plan is rebuilt from the strategy it recorded. */
  static DeploymentView stored(Deployment d, StateStore store) throws StoreException {
    StepState st = StepState.fromJson(d.stepStateJson());
    List<String> steps = List.of();
    if (st.strategyJson != null) {
      StrategySpec strategy = StrategyJson.read(st.strategyJson);
      ReleasePlanner planner = ReleasePlanner.forDeployment(d.strategy(), strategy);
      steps = planner.plan(strategy, 1, d.fromRelease() != null).steps().stream().map(ReleaseStep::describe).toList();
    }
    String fromVersion = d.fromRelease() == null ? null
        : store.release(d.environment(), d.fromRelease()).map(Release::version).orElse(null);
    String toVersion = store.release(d.environment(), d.toRelease()).map(Release::version).orElse(null);
    return new DeploymentView(d.id(), d.service(), d.fromRelease(), d.toRelease(), fromVersion, toVersion, d.strategy(),
        state(d.state()), d.step(), steps, st.weights, d.reason(), measurements(d.measurementsJson()),
        d.startedAt().toString(), d.finishedAt() == null ? null : d.finishedAt().toString(), phase(d.phase()), null);
  }

  /** "api already has a deployment in progress: #12 (canary api-r2 → api-r3, running since 12:01:02, step 4, analysing)". */
  static String inProgress(Deployment d) {
    return d.service() + " already has a deployment in progress: #" + d.id() + " (" + d.strategy() + " "
        + (d.fromRelease() == null ? "" : d.fromRelease() + " → ") + d.toRelease() + ", " + state(d.state())
        + " since " + CLOCK.format(d.startedAt()) + ", step " + (d.step() + 1) + ", " + phase(d.phase()) + ")";
  }

  static String state(DeploymentState s) {
    return s.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** "rolling-back": phases as the API and the CLI spell them. */
  static String phase(DeploymentPhase p) {
    return p.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  static Map<String, Object> measurements(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return ReleaseConfig.JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Map.of("unreadable", json);
    }
  }
}
