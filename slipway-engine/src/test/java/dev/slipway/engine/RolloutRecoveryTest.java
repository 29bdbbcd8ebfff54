package dev.slipway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.store.Deployment;
import dev.slipway.store.DeploymentPhase;
import dev.slipway.store.DeploymentState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A control plane that dies in each phase of a rollout, and the one that takes over: it continues the
 * stored phase to its end, keeps what was decided (a pause's end, a promote, an abort, a rollback) and
 * neither starts twice what still runs nor starts again what was retired.
 */
class RolloutRecoveryTest {
  @TempDir
  Path dir;

  @Test
  void starting_theNextControlPlaneAdoptsTheCandidate_insteadOfStartingItTwice() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY)) {
      long id = deployHaltingAt(h, "step:canary:AwaitReady", Map.of("V", "2"));
      assertThat(h.stored(id).phase()).isEqualTo(DeploymentPhase.STARTING);

      EngineHarness.Engine next = h.engine().up();
      Deployment end = h.awaitEnd(id);

      assertThat(end.state()).isEqualTo(DeploymentState.SUCCEEDED);
      assertThat(h.world.starts).filteredOn(i -> i.startsWith("api-r2")).containsExactly("api-r2-1", "api-r2-2");
      assertThat(next.messages()).contains("resuming the rollout of api-r2 at step 2/10 (starting) after a control-plane restart");
      assertThat(h.world.violations).isEmpty();
    }
  }

  @Test
  void shifting_theWeightsStayWhereTheyWere_throughTheTakeOver() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY)) {
      long id = deployKilledIn(h, DeploymentPhase.PAUSING);
      int routesBefore = h.world.routeHistory.get("api").size();

      h.engine().up();

      assertThat(h.world.routeHistory.get("api").subList(routesBefore, h.world.routeHistory.get("api").size()))
          .as("never all traffic back to stable while the canary goes on").allMatch(w -> w.getOrDefault("api-r2", 0) == 20);
      assertThat(h.awaitEnd(id).state()).isEqualTo(DeploymentState.SUCCEEDED);
    }
  }

  @Test
  void pausing_aTimedPauseKeepsItsDeadline_throughTheTakeOver() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY)) {
      EngineHarness.Engine first = h.engine().up();
      long id = first.deploy(Map.of("V", "2")).id();
      h.awaitPhase(id, DeploymentPhase.PAUSING, 0);
      Duration pauseStarted = h.clock.elapsed();
      h.clock.await("a second into the 5 s pause", () -> h.clock.elapsed().minus(pauseStarted).toMillis() >= 1000,
          Duration.ofMinutes(1));
      first.kill("test");

      h.engine().up();
      int pauseStep = h.stored(id).step();
      h.clock.await("the pause ends", () -> h.stored(id).step() > pauseStep, Duration.ofMinutes(1));

      assertThat(h.clock.elapsed().minus(pauseStarted)).as("5 s after it began, not 5 s after the take-over")
          .isBetween(Duration.ofMillis(4900), Duration.ofMillis(5600));
      assertThat(h.awaitEnd(id).state()).isEqualTo(DeploymentState.SUCCEEDED);
    }
  }

  @Test
  void pausing_aPromoteAnsweredBeforeTheCrash_isNotLost() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY_MANUAL)) {
      EngineHarness.Engine first = h.engine().up();
      long id = first.deploy(Map.of("V", "2")).id();
      h.awaitPhase(id, DeploymentPhase.PAUSING, 0);
      h.clock.await("paused", () -> h.stored(id).state() == DeploymentState.PAUSED, Duration.ofMinutes(1));

      first.releases().promote("api", false);
      first.kill("test");
      h.engine().up();

      assertThat(h.awaitEnd(id).state()).as("no second promote needed").isEqualTo(DeploymentState.SUCCEEDED);
    }
  }

  @Test
  void analysing_theNextControlPlaneJudgesAFreshWindow_andGoesOn() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY)) {
      long id = deployKilledIn(h, DeploymentPhase.ANALYSING);

      EngineHarness.Engine next = h.engine().up();
      Deployment end = h.awaitEnd(id);

      assertThat(end.state()).isEqualTo(DeploymentState.SUCCEEDED);
      assertThat(next.messages()).contains("resuming the rollout of api-r2 at step 5/10 (analysing) after a control-plane restart");
      assertThat(next.messages()).anyMatch(m -> m.startsWith("analysis step") && m.contains(": pass"));
    }
  }

  @Test
  void rollingBack_theNextControlPlaneFinishesTheRollback_andNeverResumesThePlan() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY)) {
      long id = deployHaltingAt(h, "point:rolling-back", Map.of("V", "2", "ERRORS", "1"));
      assertThat(h.stored(id).phase()).isEqualTo(DeploymentPhase.ROLLING_BACK);
      assertThat(h.world.runningReleases("api")).as("halted before the candidate stopped").contains("api-r2");
      int routesBefore = h.world.routeHistory.get("api").size();

      EngineHarness.Engine next = h.engine().up();
      Deployment end = h.awaitEnd(id);

      assertThat(end.state()).isEqualTo(DeploymentState.ROLLED_BACK);
      assertThat(end.reason()).startsWith("analysis failed: ");
      assertThat(next.messages()).anyMatch(m -> m.startsWith("finishing the rollback of api-r2 (analysis failed: "));
      assertThat(h.world.routeHistory.get("api").subList(routesBefore, h.world.routeHistory.get("api").size()))
          .as("the candidate gets no traffic again").allMatch(w -> w.getOrDefault("api-r2", 0) == 0);
      assertThat(h.world.runningReleases("api")).containsExactly("api-r1");
      assertThat(h.current()).isEqualTo("api-r1");
    }
  }

  @Test
  void rollingBack_anAbortAnsweredBeforeTheCrash_isCarriedOut() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY_MANUAL)) {
      EngineHarness.Engine first = h.engine().up();
      long id = first.deploy(Map.of("V", "2")).id();
      h.awaitPhase(id, DeploymentPhase.PAUSING, 0);

      first.releases().abort("api");
      first.kill("test");
      h.engine().up();

      Deployment end = h.awaitEnd(id);
      assertThat(end.state()).isEqualTo(DeploymentState.ABORTED);
      assertThat(end.reason()).isEqualTo("aborted on request");
      assertThat(h.world.runningReleases("api")).containsExactly("api-r1");
    }
  }

  @Test
  void promoting_theNextControlPlaneCompletesThePromotion_withoutJudgingAgain() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY)) {
      long id = deployHaltingAt(h, "point:promoting", Map.of("V", "2"));
      assertThat(h.stored(id).phase()).isEqualTo(DeploymentPhase.PROMOTING);

      EngineHarness.Engine next = h.engine().up();
      Deployment end = h.awaitEnd(id);

      assertThat(end.state()).isEqualTo(DeploymentState.SUCCEEDED);
      assertThat(next.messages()).noneMatch(m -> m.contains("analysis"));
      assertThat(h.current()).isEqualTo("api-r2");
      assertThat(h.world.runningReleases("api")).containsExactly("api-r2");
    }
  }

  @Test
  void holding_theWarmWindowOutlivesTheTakeOver_andARollbackStillSwitchesBack() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.BLUE_GREEN)) {
      long id = deployKilledIn(h, DeploymentPhase.HOLDING);

      EngineHarness.Engine next = h.engine().up();
      assertThat(h.world.runningReleases("api")).as("still warm").containsExactly("api-r1", "api-r2");
      next.releases().rollback("api", null);
      Deployment end = h.awaitEnd(id);

      assertThat(end.state()).isEqualTo(DeploymentState.ROLLED_BACK);
      assertThat(h.current()).isEqualTo("api-r1");
      assertThat(h.world.routes.get("api").weights()).isEqualTo(Map.of("api-r1", 100));
      assertThat(h.world.starts).filteredOn(i -> i.startsWith("api-r1")).as("the warm set was switched back to,"
          + " not started again").containsExactly("api-r1-1", "api-r1-2");
    }
  }

  @Test
  void retiring_midDrain_theNextControlPlaneStopsWhatWasDraining_andStartsNoStableInstanceAgain() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.ROLLING)) {
      long id = deployHaltingAt(h, "point:draining", Map.of("V", "2"));
      assertThat(h.stored(id).phase()).isEqualTo(DeploymentPhase.RETIRING);
      int startsBefore = h.world.starts.size();

      h.engine().up();
      Deployment end = h.awaitEnd(id);

      assertThat(end.state()).isEqualTo(DeploymentState.SUCCEEDED);
      assertThat(h.world.starts.subList(startsBefore, h.world.starts.size())).noneMatch(i -> i.startsWith("api-r1"));
      assertThat(h.world.violations).isEmpty();
    }
  }

  @Test
  void aCandidateThatDiedWithTheControlPlane_isStartedAgainBeforeTheRolloutGoesOn() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY)) {
      long id = deployKilledIn(h, DeploymentPhase.PAUSING);
      h.world.processes.get("api-r2-2").stop();

      h.engine().up();
      Deployment end = h.awaitEnd(id);

      assertThat(end.state()).isEqualTo(DeploymentState.SUCCEEDED);
      assertThat(h.world.running("api")).containsExactly("api-r2-1", "api-r2-2");
    }
  }

  @Test
  void upAfterEverythingStopped_abandonsTheRollout_andStartsTheReleaseItsRollbackWentBackTo() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.BLUE_GREEN)) {
      EngineHarness.Engine first = h.engine(List.of("point:rolling-back"), 0).up();
      long id = first.deploy(Map.of("V", "2")).id();
      h.awaitPhase(id, DeploymentPhase.HOLDING, 0);
      assertThat(h.current()).isEqualTo("api-r2");
      first.releases().rollback("api", null);
      h.clock.await("halted", first::halted, Duration.ofMinutes(1));
      h.world.processes.values().forEach(MemoryWorld.Proc::stop); // the host rebooted
      h.world.routes.clear();

      h.engine().up();

      Deployment end = h.stored(id);
      assertThat(end.state()).isEqualTo(DeploymentState.ABORTED);
      assertThat(end.reason()).isEqualTo("the control plane stopped during the rollout");
      assertThat(h.current()).isEqualTo("api-r1");
      assertThat(h.world.runningReleases("api")).containsExactly("api-r1");
    }
  }

  /** Deploys {@code env} on a control plane that halts, as if killed with -9, at {@code point}; its deployment's id. */
  private static long deployHaltingAt(EngineHarness h, String point, Map<String, String> env) throws Exception {
    EngineHarness.Engine first = h.engine(List.of(point), 0).up();
    long id = first.deploy(env).id();
    h.clock.await("halted", first::halted, Duration.ofMinutes(1));
    return id;
  }

  /** Deploys V=2 and kills the control plane once the rollout reaches {@code phase}; the deployment's id. */
  private static long deployKilledIn(EngineHarness h, DeploymentPhase phase) throws Exception {
    EngineHarness.Engine first = h.engine().up();
    long id = first.deploy(Map.of("V", "2")).id();
    h.awaitPhase(id, phase, 0);
    first.kill("test");
    return id;
  }
}
