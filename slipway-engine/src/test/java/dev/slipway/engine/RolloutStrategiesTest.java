package dev.slipway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.DeployRequest;
import dev.slipway.api.DeploymentView;
import dev.slipway.api.HistoryView;
import dev.slipway.store.Deployment;
import dev.slipway.store.DeploymentPhase;
import dev.slipway.store.DeploymentState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every strategy's steps and the phases they go through, on the in-memory runtime and simulated time. */
class RolloutStrategiesTest {
  @TempDir
  Path dir;

  @Test
  void canary_shiftsPausesAnalysesThenPromotes_andRetiresTheStableRelease() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY)) {
      EngineHarness.Engine e = h.engine().up();

      DeploymentView d = e.deploy(Map.of("V", "2"));
      Deployment end = h.awaitEnd(d.id());

      assertThat(end.state()).isEqualTo(DeploymentState.SUCCEEDED);
      assertThat(end.phase()).isEqualTo(DeploymentPhase.DONE);
      assertThat(h.current()).isEqualTo("api-r2");
      assertThat(h.world.routeHistory.get("api")).extracting(w -> w.get("api-r2"))
          .containsSubsequence(20, 50, 100);
      assertThat(EngineHarness.phases(e)).containsExactly("starting", "shifting", "pausing", "analysing", "shifting",
          "pausing", "promoting", "retiring");
      assertThat(h.world.running("api")).containsExactly("api-r2-1", "api-r2-2");
      assertThat(h.world.violations).isEmpty();
      assertThat(e.releases().lastRollout("api").orElseThrow().phase()).isEqualTo("done");
    }
  }

  @Test
  void rolling_replacesOneInstanceAtATime_shiftingTrafficWithTheReadyInstances() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.ROLLING, 3, EngineHarness.HEALTH)) {
      EngineHarness.Engine e = h.engine().up();

      Deployment end = h.awaitEnd(e.deploy(Map.of("V", "2")).id());

      assertThat(end.state()).isEqualTo(DeploymentState.SUCCEEDED);
      assertThat(h.world.routeHistory.get("api")).extracting(w -> w.getOrDefault("api-r2", 0))
          .containsSubsequence(25, 33, 50, 67, 100);
      assertThat(EngineHarness.phases(e)).containsSubsequence("starting", "shifting", "retiring", "starting",
          "shifting", "retiring", "starting", "promoting", "retiring");
      assertThat(h.world.running("api")).containsExactly("api-r2-1", "api-r2-2", "api-r2-3");
      assertThat(h.world.violations).isEmpty();
    }
  }

  @Test
  void blueGreen_smokeChecksTheNewSet_switchesAllAtOnce_andKeepsThePreviousWarmForTheWindow() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.BLUE_GREEN)) {
      EngineHarness.Engine e = h.engine().up();

      long id = e.deploy(Map.of("V", "2")).id();
      h.awaitPhase(id, DeploymentPhase.HOLDING, 0);
      Duration switched = h.clock.elapsed();

      assertThat(h.current()).as("current once switched").isEqualTo("api-r2");
      assertThat(h.world.runningReleases("api")).as("the previous release stays warm").containsExactly("api-r1", "api-r2");
      assertThat(e.messages()).anyMatch(m -> m.equals("smoke check `root` passed (GET / → 200)"));
      Deployment end = h.awaitEnd(id);
      assertThat(end.state()).isEqualTo(DeploymentState.SUCCEEDED);
      assertThat(h.clock.elapsed().minus(switched)).as("the warm window").isGreaterThanOrEqualTo(Duration.ofSeconds(29));
      assertThat(h.world.routeHistory.get("api")).extracting(w -> w.getOrDefault("api-r2", 0))
          .allMatch(w -> w == 0 || w == 100);
      assertThat(EngineHarness.phases(e)).containsExactly("starting", "promoting", "holding", "retiring");
      assertThat(h.world.runningReleases("api")).containsExactly("api-r2");
    }
  }

  @Test
  void blueGreen_rollbackDuringTheWarmWindow_switchesBackAndMakesThePreviousCurrentAgain() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.BLUE_GREEN)) {
      EngineHarness.Engine e = h.engine().up();
      long id = e.deploy(Map.of("V", "2")).id();
      h.awaitPhase(id, DeploymentPhase.HOLDING, 0);

      e.releases().rollback("api", null);
      Deployment end = h.awaitEnd(id);

      assertThat(end.state()).isEqualTo(DeploymentState.ROLLED_BACK);
      assertThat(end.reason()).isEqualTo("rolled back on request");
      assertThat(h.current()).isEqualTo("api-r1");
      assertThat(h.world.runningReleases("api")).containsExactly("api-r1");
      assertThat(h.world.routes.get("api").weights()).isEqualTo(Map.of("api-r1", 100));
      assertThat(h.world.violations).isEmpty();
    }
  }

  @Test
  void canaryWithAManualPause_waitsForPromote_andPromoteFullSkipsTheRemainingSteps() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY_MANUAL)) {
      EngineHarness.Engine e = h.engine().up();
      long id = e.deploy(Map.of("V", "2")).id();
      h.awaitPhase(id, DeploymentPhase.PAUSING, 0);
      h.clock.await("paused", () -> h.stored(id).state() == DeploymentState.PAUSED, Duration.ofMinutes(1));
      Duration pausedAt = h.clock.elapsed();

      h.clock.await("ten minutes", () -> h.clock.elapsed().compareTo(pausedAt.plusMinutes(10)) > 0, Duration.ofHours(1));
      assertThat(h.stored(id).state()).as("still waiting for a person").isEqualTo(DeploymentState.PAUSED);
      assertThat(h.stored(id).reason()).isEqualTo("paused until `slipway promote api`");

      DeploymentView promoted = e.releases().promote("api", true);
      assertThat(promoted.id()).isEqualTo(id);
      Deployment end = h.awaitEnd(id);

      assertThat(end.state()).isEqualTo(DeploymentState.SUCCEEDED);
      assertThat(h.world.routeHistory.get("api")).extracting(w -> w.getOrDefault("api-r2", 0))
          .as("--full skipped the 50% step").doesNotContain(50).contains(20, 100);
      assertThat(e.messages()).anyMatch(m -> m.startsWith("promoting fully: skipping to set weight 100%"));
    }
  }

  @Test
  void rollbackTo_anEarlierRelease_startsItAtOnceAndMakesItCurrent() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY)) {
      EngineHarness.Engine e = h.engine().up();
      h.awaitEnd(e.deploy(Map.of("V", "2")).id());

      DeploymentView back = e.releases().rollback("api", null);
      Deployment end = h.awaitEnd(back.id());

      assertThat(back.strategy()).isEqualTo("immediate");
      assertThat(back.to()).isEqualTo("api-r1");
      assertThat(end.state()).isEqualTo(DeploymentState.SUCCEEDED);
      assertThat(h.current()).isEqualTo("api-r1");
      assertThat(h.world.runningReleases("api")).containsExactly("api-r1");
      HistoryView history = e.releases().history("api");
      assertThat(history.deployments()).extracting(DeploymentView::phase).containsExactly("done", "done");
    }
  }

  @Test
  void deploy_whileARolloutRuns_isRefusedNamingIt_orWithQueueWaitsForItsEnd() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY_MANUAL)) {
      EngineHarness.Engine e = h.engine().up();
      long first = e.deploy(Map.of("V", "2")).id();
      h.awaitPhase(first, DeploymentPhase.PAUSING, 0);

      assertThatThrownBy(() -> e.deploy(Map.of("V", "3")))
          .isInstanceOfSatisfying(EngineException.class, x -> assertThat(x.kind()).isEqualTo(EngineException.Kind.CONFLICT))
          .hasMessageMatching("api already has a deployment in progress: #" + first
              + " \\(canary api-r1 → api-r2, (running|paused) since .*, step 4, pausing\\)");

      java.util.concurrent.CompletableFuture<DeploymentView> queued = new java.util.concurrent.CompletableFuture<>();
      h.clock.start("queued deploy", () -> {
        try {
          queued.complete(e.releases().deploy("api", new DeployRequest(null, Map.of("V", "3"), null, true, false)));
        } catch (EngineException x) {
          queued.completeExceptionally(x);
        }
      });
      h.clock.await("the queued deploy waits", () -> h.clock.elapsed().toSeconds() > 30 + h.stored(first).startedAt()
          .getEpochSecond() - SimClock.EPOCH.getEpochSecond(), Duration.ofMinutes(1));
      assertThat(queued).isNotDone();
      e.releases().promote("api", true);

      h.clock.await("the queued deploy starts", queued::isDone, Duration.ofMinutes(5));
      assertThat(h.stored(first).state()).isEqualTo(DeploymentState.SUCCEEDED);
      assertThat(queued.join().from()).isEqualTo("api-r2");
    }
  }

  @Test
  void deployWithQueue_givesUpAtTheQueueTimeout_sayingWhatItWaitedFor() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY_MANUAL)) {
      EngineHarness.Engine e = h.engine().up();
      long first = e.deploy(Map.of("V", "2")).id();
      h.awaitPhase(first, DeploymentPhase.PAUSING, 0);

      java.util.concurrent.CompletableFuture<DeploymentView> queued = new java.util.concurrent.CompletableFuture<>();
      h.clock.start("queued deploy", () -> {
        try {
          queued.complete(e.releases().deploy("api", new DeployRequest(null, Map.of("V", "3"), null, true, false)));
        } catch (EngineException x) {
          queued.completeExceptionally(x);
        }
      });
      h.clock.await("the queued deploy gives up", queued::isDone, Duration.ofMinutes(5));

      assertThatThrownBy(queued::join).cause().isInstanceOf(EngineException.class)
          .hasMessageStartingWith("gave up waiting after 2 min: api already has a deployment in progress: #" + first);
      assertThat(h.stored(first).state()).as("the rollout in progress is untouched").isEqualTo(DeploymentState.PAUSED);
      assertThat(h.latest().orElseThrow().id()).isEqualTo(first);
    }
  }

  @Test
  void serviceStates_duringARollout_showItsPhase() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY_MANUAL)) {
      EngineHarness.Engine e = h.engine().up();
      long id = e.deploy(Map.of("V", "2")).id();
      h.awaitPhase(id, DeploymentPhase.PAUSING, 0);

      DeploymentView active = e.releases().activeRollout("api").orElseThrow();

      assertThat(active.phase()).isEqualTo("pausing");
      assertThat(active.state()).isIn("running", "paused");
      assertThat(e.runner.status(null).services().getFirst().rollout().phase()).isEqualTo("pausing");
      assertThat(List.of(h.stored(id).phase())).containsExactly(DeploymentPhase.PAUSING);
    }
  }
}
