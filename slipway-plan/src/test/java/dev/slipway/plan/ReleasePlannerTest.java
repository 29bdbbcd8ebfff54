package dev.slipway.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.model.CanaryStep;
import dev.slipway.model.StrategySpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleasePlannerTest {

  private static List<String> steps(ReleasePlan plan) {
    return plan.steps().stream().map(ReleaseStep::describe).toList();
  }

  @Test
  void rolling_threeReplicasSurgeOne_replacesOneAtATime_neverBelowThreeReady() {
    ReleasePlan plan = new RollingPlanner().plan(new StrategySpec.Rolling(1, 0), 3, true);

    assertThat(steps(plan)).containsExactly(
        "start 1 candidate instance", "wait for candidate readiness", "set weight 25%",
        "set weight 33%", "drain stable down to 2 instances",
        "start 2 candidate instances", "wait for candidate readiness", "set weight 50%",
        "set weight 67%", "drain stable down to 1 instance",
        "start 3 candidate instances", "wait for candidate readiness",
        "set weight 100%", "promote candidate to stable", "drain and stop the stable release");
  }

  @Test
  void rolling_withMaxUnavailable_retiresBeforeItStarts() {
    ReleasePlan plan = new RollingPlanner().plan(new StrategySpec.Rolling(0, 1), 2, true);

    assertThat(steps(plan)).startsWith("set weight 0%", "drain stable down to 1 instance", "start 1 candidate instance");
    assertThat(steps(plan)).endsWith("set weight 100%", "promote candidate to stable", "drain and stop the stable release");
  }

  @Test
  void rolling_firstRelease_justStartsIt() {
    assertThat(steps(new RollingPlanner().plan(new StrategySpec.Rolling(1, 0), 2, false))).containsExactly(
        "start 2 candidate instances", "wait for candidate readiness", "set weight 100%",
        "promote candidate to stable", "drain and stop the stable release");
  }

  @Test
  void blueGreen_checksTheNewSetBeforeOneSwitch_andKeepsTheOldWarm() {
    StrategySpec.BlueGreen bg = new StrategySpec.BlueGreen(Duration.ofMinutes(5),
        List.of(new StrategySpec.SmokeCheck("orders", "/orders", 200)));

    assertThat(steps(new BlueGreenPlanner().plan(bg, 2, true))).containsExactly(
        "start 2 candidate instances", "wait for candidate readiness", "smoke checks (1)", "set weight 100%",
        "promote candidate to stable", "keep previous release warm for 5m", "drain and stop the stable release");
  }

  @Test
  void canary_followsTheModelSteps_thenFinishes() {
    StrategySpec.Canary canary = new StrategySpec.Canary(List.of(new CanaryStep.SetWeight(10),
        new CanaryStep.Pause(Duration.ofSeconds(30)), new CanaryStep.Analysis(0.01, null, Duration.ofMillis(500), 200,
            Duration.ofMinutes(5)), new CanaryStep.Pause(null)));

    ReleasePlan plan = new CanaryPlanner().plan(canary, 1, true);

    assertThat(steps(plan)).containsExactly("start 1 candidate instance", "wait for candidate readiness",
        "set weight 10%", "pause 30s", "analysis", "pause until promoted", "set weight 100%",
        "promote candidate to stable", "drain and stop the stable release");
    assertThat(plan.fullPromotionIndex(3)).isEqualTo(6);
    assertThat(plan.promoteIndex()).isEqualTo(7);
  }

  @Test
  void rolling_oneReplicaNoSurge_surgesByOneRatherThanStopTheOnlyInstance() {
    ReleasePlan plan = new RollingPlanner().plan(new StrategySpec.Rolling(0, 1), 1, true);

    assertThat(steps(plan)).containsExactly("start 1 candidate instance", "wait for candidate readiness",
        "set weight 100%", "promote candidate to stable", "drain and stop the stable release");
  }

  @Test
  void forStrategy_picksThePlannerOfEachVariant() {
    assertThat(ReleasePlanner.forStrategy(new StrategySpec.Rolling(1, 0)).id()).isEqualTo("rolling");
    assertThat(ReleasePlanner.forStrategy(new StrategySpec.BlueGreen(Duration.ZERO, List.of())).id()).isEqualTo("blue-green");
    assertThat(ReleasePlanner.forStrategy(new StrategySpec.Canary(List.of())).id()).isEqualTo("canary");
  }

  @Test
  void promotionIndex_isWhereOnlyTheFinishIsLeft_allTrafficToTheCandidateAndTheStableRetired() {
    ReleasePlan rolling = new RollingPlanner().plan(new StrategySpec.Rolling(1, 0), 3, true);
    ReleasePlan blueGreen = new BlueGreenPlanner().plan(new StrategySpec.BlueGreen(Duration.ofMinutes(5), List.of()), 2, true);
    ReleasePlan canary = new CanaryPlanner().plan(new StrategySpec.Canary(List.of(new CanaryStep.SetWeight(100),
        new CanaryStep.Pause(null))), 1, true);

    assertThat(steps(rolling).get(rolling.promotionIndex())).isEqualTo("set weight 100%");
    assertThat(rolling.promotionIndex()).isEqualTo(rolling.steps().size() - 3);
    assertThat(steps(blueGreen).subList(blueGreen.promotionIndex(), blueGreen.steps().size())).containsExactly(
        "set weight 100%", "promote candidate to stable", "keep previous release warm for 5m",
        "drain and stop the stable release");
    // A model's own setWeight 100 followed by a pause is not the promotion yet: the pause can still end in an abort.
    assertThat(canary.promotionIndex()).isEqualTo(canary.steps().size() - 3).isGreaterThan(2);
    assertThat(new ReleasePlan("x", List.of(new ReleaseStep.Pause(null))).promotionIndex()).isEqualTo(1);
  }
}
