package dev.slipway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.model.CanaryStep;
import dev.slipway.model.StrategySpec;
import dev.slipway.plan.BlueGreenPlanner;
import dev.slipway.plan.CanaryPlanner;
import dev.slipway.plan.ImmediatePlanner;
import dev.slipway.plan.ReleasePlan;
import dev.slipway.plan.RollingPlanner;
import dev.slipway.store.Deployment;
import dev.slipway.store.DeploymentPhase;
import dev.slipway.store.DeploymentState;
import dev.slipway.store.NewDeployment;
import dev.slipway.store.NewRelease;
import dev.slipway.store.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollout's state machine on its own: phases, what is stored when, and what is refused. */
class RolloutMachineTest {
  private static final ReleasePlan CANARY = new CanaryPlanner().plan(new StrategySpec.Canary(List.of(
      new CanaryStep.SetWeight(10), new CanaryStep.Pause(Duration.ofSeconds(30)),
      new CanaryStep.Analysis(0.01, null, null, 100, Duration.ofMinutes(5)))), 2, true);
  @TempDir
  Path dir;
  private StateStore store;
  private EngineContext ctx;
  private ReleaseEngine engine;

  @BeforeEach
  void open() throws Exception {
    store = StateStore.open(null, dir);
    var app = dev.slipway.model.ModelLoader.parse(EngineHarness.model(EngineHarness.CANARY, 2, "dev", EngineHarness.HEALTH),
        dir.resolve("slipway.yaml"), "dev");
    ctx = new EngineContext(app, new MemoryTarget(new MemoryWorld(new SimClock())), store,
        new EventLog(new SecretMasker()), new SecretMasker(), EngineSettings.defaults(), EngineClock.SYSTEM, Chaos.NONE);
    engine = new ReleaseEngine(ctx, new Releases(ctx));
    for (String v : List.of("v1", "v2")) {
      store.createRelease(new NewRelease("dev", "api", v, null, "{}", "{}", "test"));
    }
  }

  @AfterEach
  void close() {
    store.close();
  }

  private RolloutMachine machine(ReleasePlan plan) throws Exception {
    Deployment d = store.startDeployment(new NewDeployment("dev", "api", "api-r1", "api-r2", plan.strategy(), null));
    return new RolloutMachine(ctx, engine::ended, plan, d);
  }

  private Deployment stored(RolloutMachine m) throws Exception {
    return store.deployment(m.deployment().id()).orElseThrow();
  }

  private static List<String> phases(ReleasePlan plan) {
    return IntStream.range(0, plan.steps().size()).mapToObj(i -> Views.phase(RolloutMachine.phaseOf(plan, i))).toList();
  }

  @Test
  void phases_ofEveryStrategysSteps() {
    assertThat(phases(CANARY)).containsExactly("starting", "starting", "shifting", "pausing", "analysing", "promoting",
        "promoting", "retiring");
    assertThat(phases(new BlueGreenPlanner().plan(new StrategySpec.BlueGreen(Duration.ofMinutes(5),
        List.of(new StrategySpec.SmokeCheck("root", "/", 200))), 2, true))).containsExactly("starting", "starting",
        "starting", "promoting", "promoting", "holding", "retiring");
    assertThat(phases(new RollingPlanner().plan(new StrategySpec.Rolling(1, 0), 2, true))).containsExactly("starting",
        "starting", "shifting", "shifting", "retiring", "starting", "starting", "promoting", "promoting", "retiring");
    assertThat(phases(new ImmediatePlanner().plan(null, 2, true))).containsExactly("starting", "starting", "promoting",
        "promoting", "retiring");
  }

  @Test
  void enter_storesTheStepAndItsPhase_beforeTheStepActs() throws Exception {
    RolloutMachine m = machine(CANARY);

    m.enter(2);

    Deployment d = stored(m);
    assertThat(d.state()).isEqualTo(DeploymentState.RUNNING);
    assertThat(d.phase()).isEqualTo(DeploymentPhase.SHIFTING);
    assertThat(d.step()).isEqualTo(2);
  }

  @Test
  void decide_storesTheVerdict_andRefusesEveryForwardStepAndActAfterIt() throws Exception {
    RolloutMachine m = machine(CANARY);
    m.enter(3);
    m.pausedBecause("waiting");

    boolean decided = m.decide(new RolloutFailed(DeploymentState.ABORTED, "aborted on request", Map.of("x", 1)), false);

    assertThat(decided).isTrue();
    Deployment d = stored(m);
    assertThat(d.phase()).isEqualTo(DeploymentPhase.ROLLING_BACK);
    assertThat(d.state()).as("no longer waiting for a person").isEqualTo(DeploymentState.RUNNING);
    assertThat(d.reason()).isEqualTo("aborted on request");
    assertThat(StepState.fromJson(d.stepStateJson()).verdict).isEqualTo("ABORTED");
    assertThat(Views.measurements(d.measurementsJson())).containsEntry("x", 1);
    assertThatThrownBy(() -> m.enter(4)).isInstanceOf(RolloutFailed.class).hasMessage("aborted on request");
    boolean[] acted = {false};
    assertThatThrownBy(() -> m.act(() -> acted[0] = true)).isInstanceOf(RolloutFailed.class);
    assertThat(acted[0]).as("a forward act after the verdict").isFalse();
    assertThatThrownBy(() -> m.pausedBecause(null)).isInstanceOf(RolloutFailed.class);
    assertThat(m.requestPromotion(false)).isFalse();
    assertThat(stored(m).phase()).isEqualTo(DeploymentPhase.ROLLING_BACK);
  }

  @Test
  void decide_theFirstVerdictStands() throws Exception {
    RolloutMachine m = machine(CANARY);
    m.enter(3);
    m.decide(new RolloutFailed(DeploymentState.ROLLED_BACK, "analysis failed: errors", Map.of()), true);

    boolean second = m.decide(new RolloutFailed(DeploymentState.ABORTED, "aborted on request", Map.of()), false);

    assertThat(second).isFalse();
    assertThat(m.verdict().getMessage()).isEqualTo("analysis failed: errors");
    assertThat(stored(m).reason()).isEqualTo("analysis failed: errors");
  }

  @Test
  void decide_anAnalysisAfterThePromotionBegan_isRefused_butAPersonStillRollsBack() throws Exception {
    RolloutMachine m = machine(CANARY);
    m.enter(CANARY.promotionIndex());

    assertThat(m.decide(new RolloutFailed(DeploymentState.ROLLED_BACK, "analysis failed: late", Map.of()), true)).isFalse();
    assertThat(stored(m).phase()).isEqualTo(DeploymentPhase.PROMOTING);
    assertThat(m.decide(new RolloutFailed(DeploymentState.ROLLED_BACK, "rolled back on request", Map.of()), false)).isTrue();
    assertThat(stored(m).phase()).isEqualTo(DeploymentPhase.ROLLING_BACK);
  }

  @Test
  void aPromote_isStored_keptWhenTheSameStepRunsAgain_andDroppedForTheNext() throws Exception {
    RolloutMachine m = machine(CANARY);
    m.enter(3);

    assertThat(m.requestPromotion(true)).isTrue();
    assertThat(StepState.fromJson(stored(m).stepStateJson()).promoteRequested).isTrue();
    RolloutMachine afterRestart = new RolloutMachine(ctx, engine::ended, CANARY, stored(m));
    afterRestart.enter(3);
    assertThat(afterRestart.promotionAsked()).as("the same step, run again after a restart").isTrue();
    afterRestart.enter(4);
    assertThat(afterRestart.promotionAsked()).isFalse();
    assertThat(StepState.fromJson(stored(m).stepStateJson()).promoteFull).isFalse();
  }

  @Test
  void aMachineReadBackWhileRollingBack_hasTheSameVerdict() throws Exception {
    RolloutMachine m = machine(CANARY);
    m.enter(2);
    m.decide(new RolloutFailed(DeploymentState.ABORTED, "aborted on request", Map.of()), false);

    RolloutMachine next = new RolloutMachine(ctx, engine::ended, CANARY, stored(m));

    assertThat(next.verdict()).isNotNull();
    assertThat(next.verdict().state).isEqualTo(DeploymentState.ABORTED);
    assertThat(next.verdict().getMessage()).isEqualTo("aborted on request");
  }

  @Test
  void end_finishesTheDeployment_phaseDone() throws Exception {
    RolloutMachine m = machine(CANARY);
    m.enter(7);

    m.end(DeploymentState.SUCCEEDED, null);

    assertThat(stored(m).state()).isEqualTo(DeploymentState.SUCCEEDED);
    assertThat(stored(m).phase()).isEqualTo(DeploymentPhase.DONE);
    assertThat(m.decide(new RolloutFailed(DeploymentState.ROLLED_BACK, "too late", Map.of()), false)).isFalse();
  }
}
