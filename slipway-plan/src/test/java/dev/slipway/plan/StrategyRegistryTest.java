package dev.slipway.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.model.CanaryStep;
import dev.slipway.model.StrategyKind;
import dev.slipway.model.StrategySpec;
import dev.slipway.model.TargetCapability;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every registered strategy has a planner under its own id, and that planner declares everything its
 * plans need from a target (a target is checked against the declaration, so an undeclared need would
 * only show halfway through a rollout).
 */
class StrategyRegistryTest {

  /** Settings that exercise every step a kind's planner can emit; a new kind must add its own. */
  private static List<StrategySpec> everyShape(StrategyKind kind) {
    return switch (kind) {
      case ROLLING -> List.of(new StrategySpec.Rolling(1, 0), new StrategySpec.Rolling(0, 1), new StrategySpec.Rolling(3, 2));
      case BLUE_GREEN -> List.of(new StrategySpec.BlueGreen(Duration.ZERO, List.of()),
          new StrategySpec.BlueGreen(Duration.ofMinutes(1), List.of(new StrategySpec.SmokeCheck("home", "/", 200))));
      case CANARY -> List.of(new StrategySpec.Canary(List.of(new CanaryStep.SetWeight(5), new CanaryStep.Pause(null),
          new CanaryStep.SetWeight(60), new CanaryStep.Pause(Duration.ofSeconds(30)), new CanaryStep.Analysis(0.01, null,
          null, 10, Duration.ofMinutes(1)))));
    };
  }

  @ParameterizedTest
  @EnumSource(StrategyKind.class)
  void forKind_everyRegisteredStrategy_hasAPlannerUnderItsId(StrategyKind kind) {
    ReleasePlanner planner = ReleasePlanner.forKind(kind);

    assertThat(planner.id()).isEqualTo(kind.id());
    assertThat(ReleasePlanner.forStrategy(kind.defaults())).isInstanceOf(planner.getClass());
    assertThat(planner.plan(kind.defaults(), 2, true).strategy()).isEqualTo(kind.id());
  }

  @ParameterizedTest
  @EnumSource(StrategyKind.class)
  void needs_coverEveryStepThePlannerEmits(StrategyKind kind) {
    ReleasePlanner planner = ReleasePlanner.forKind(kind);
    for (StrategySpec spec : everyShape(kind)) {
      for (int replicas = 1; replicas <= 4; replicas++) {
        for (boolean stableRunning : new boolean[] {true, false}) {
          ReleasePlan plan = planner.plan(spec, replicas, stableRunning);

          assertThat(planner.needs()).as("%s with %s, %d replicas", kind, spec, replicas).containsAll(plan.needs());
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(StrategyKind.class)
  void needs_areEachUsedBySomePlan_notDeclaredForSafety(StrategyKind kind) {
    ReleasePlanner planner = ReleasePlanner.forKind(kind);
    Set<TargetCapability> used = new java.util.HashSet<>();
    everyShape(kind).forEach(spec -> used.addAll(planner.plan(spec, 3, true).needs()));

    assertThat(used).containsExactlyInAnyOrderElementsOf(planner.needs());
  }

  @Test
  void needs_ofEachStep_nameWhatATargetMustDo() {
    assertThat(ReleaseStep.needs(new ReleaseStep.Weight(100))).isEmpty();
    assertThat(ReleaseStep.needs(new ReleaseStep.Weight(30))).containsExactly(TargetCapability.WEIGHTED_TRAFFIC);
    assertThat(ReleaseStep.needs(new ReleaseStep.Smoke(List.of()))).containsExactly(TargetCapability.PINNED_REQUESTS);
    assertThat(ReleaseStep.needs(new ReleaseStep.HoldPrevious(Duration.ofMinutes(1))))
        .containsExactly(TargetCapability.WARM_STANDBY);
    assertThat(new ImmediatePlanner().plan(null, 3, true).needs()).isEmpty();
  }

  @Test
  void waits_andBringsUpCandidates_sortTheStepsTheEngineTreatsApart() {
    assertThat(ReleaseStep.waits(new ReleaseStep.Pause(null))).isTrue();
    assertThat(ReleaseStep.waits(new ReleaseStep.HoldPrevious(Duration.ofMinutes(1)))).isTrue();
    assertThat(ReleaseStep.waits(new ReleaseStep.AwaitReady())).isFalse();
    assertThat(ReleaseStep.bringsUpCandidates(new ReleaseStep.Launch(2))).isTrue();
    assertThat(ReleaseStep.bringsUpCandidates(new ReleaseStep.AwaitReady())).isTrue();
    assertThat(ReleaseStep.bringsUpCandidates(new ReleaseStep.Weight(50))).isFalse();
  }
}
