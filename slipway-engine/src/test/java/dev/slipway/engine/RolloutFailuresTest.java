package dev.slipway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.store.Deployment;
import dev.slipway.store.DeploymentPhase;
import dev.slipway.store.DeploymentState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a rollout fails, and what it leaves: the verdict stored with its reason, all traffic back on
 * the stable release, the candidate stopped, the stable release current.
 */
class RolloutFailuresTest {
  @TempDir
  Path dir;

  @Test
  void aCandidateThatCrashLoops_isRolledBackWithWhatItsLogSays() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY)) {
      EngineHarness.Engine e = h.engine().up();

      Deployment end = h.awaitEnd(e.deploy(Map.of("MODE", "crash")).id());

      assertThat(end.state()).isEqualTo(DeploymentState.ROLLED_BACK);
      assertThat(end.reason()).isEqualTo("candidate api-r2-1 keeps crashing (5 exits): java.lang.IllegalStateException:"
          + " no config");
      assertThat(Views.measurements(end.measurementsJson())).containsKey("crash");
      assertStableServes(h);
      assertThat(h.world.routeHistory.get("api")).allMatch(w -> w.getOrDefault("api-r2", 0) == 0);
    }
  }

  @Test
  void aCandidateThatNeverBecomesReady_isRolledBackAtItsStartupTimeout() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.BLUE_GREEN)) {
      EngineHarness.Engine e = h.engine().up();
      Duration t0 = h.clock.elapsed();

      Deployment end = h.awaitEnd(e.deploy(Map.of("MODE", "never-ready")).id());

      assertThat(end.state()).isEqualTo(DeploymentState.ROLLED_BACK);
      assertThat(end.reason()).startsWith("api did not become ready within 20 s (last check: GET /ready: answered HTTP 503)");
      assertThat(h.clock.elapsed().minus(t0)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(25));
      assertStableServes(h);
    }
  }

  @Test
  void aCanaryThatTurnsUnreadyUnderTraffic_isAFailedCanary_rolledBackAtOnce() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY)) {
      EngineHarness.Engine e = h.engine().up();

      Deployment end = h.awaitEnd(e.deploy(Map.of("MODE", "unready-under-traffic")).id());

      assertThat(end.state()).isEqualTo(DeploymentState.ROLLED_BACK);
      // Not "inconclusive" and no 10 s grace: it dropped out of rotation while it shared the traffic.
      assertThat(end.reason()).matches("candidate api-r2-\\d failed its readiness check while taking \\d+% of the traffic"
          + " \\(GET /ready: answered HTTP 503\\)");
      assertStableServes(h);
    }
  }

  @Test
  void aCanaryThatFailsItsAnalysis_isRolledBackWithTheMeasurements_andNeverPromoted() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY)) {
      EngineHarness.Engine e = h.engine().up();

      Deployment end = h.awaitEnd(e.deploy(Map.of("ERRORS", "1")).id());

      assertThat(end.state()).isEqualTo(DeploymentState.ROLLED_BACK);
      assertThat(end.reason()).isEqualTo("analysis failed: canary error rate 100% exceeded the 1% limit; stable 0%");
      assertThat(Views.measurements(end.measurementsJson())).containsEntry("canaryErrorRate", 1.0);
      assertThat(h.world.everHadAllTraffic("api", "api-r2")).isFalse();
      assertThat(EngineHarness.phases(e)).as("caught by the background analysis during the pause")
          .containsSubsequence("shifting", "pausing", "rolling-back").doesNotContain("promoting");
      assertThat(e.messages()).anyMatch(m -> m.startsWith("api rolled back to api-r1: analysis failed"));
      assertStableServes(h);
    }
  }

  @Test
  void aFailedSmokeCheck_rollsTheNewSetBack_beforeItTakesTraffic() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.BLUE_GREEN)) {
      EngineHarness.Engine e = h.engine().up();

      Deployment end = h.awaitEnd(e.deploy(Map.of("SMOKE", "500")).id());

      assertThat(end.state()).isEqualTo(DeploymentState.ROLLED_BACK);
      assertThat(end.reason()).isEqualTo("smoke check `root`: GET / answered 500, expected 200");
      assertThat(h.world.routeHistory.get("api")).allMatch(w -> w.getOrDefault("api-r2", 0) == 0);
      assertStableServes(h);
    }
  }

  @Test
  void aStepPastTheProgressDeadline_isRolledBack() throws Exception {
    String slow = "{ ready: /ready, live: /live, startupTimeout: 30m, interval: 1s }";
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.ROLLING, 2, slow)) {
      EngineHarness.Engine e = h.engine().up();

      Deployment end = h.awaitEnd(e.deploy(Map.of("READY_AFTER", Long.toString(Duration.ofMinutes(20).toMillis()))).id());

      assertThat(end.state()).isEqualTo(DeploymentState.ROLLED_BACK);
      assertThat(end.reason()).isEqualTo("progress deadline exceeded: step 2 took longer than 10 min");
      assertStableServes(h);
    }
  }

  @Test
  void anErrorOfTheTarget_duringTheRollout_rollsItBack() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.ROLLING)) {
      EngineHarness.Engine e = h.engine().up();
      h.world.failingStarts.add("api-r2");

      Deployment end = h.awaitEnd(e.deploy(Map.of("V", "2")).id());

      assertThat(end.state()).isEqualTo(DeploymentState.ROLLED_BACK);
      assertThat(end.reason()).isEqualTo("cannot start api-r2-1: exec format error");
      assertStableServes(h);
    }
  }

  @Test
  void anInconclusiveAnalysis_pausesAtItsTimeout_andAnAbortThenRollsBack() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY)) {
      EngineHarness.Engine e = h.engine().up();
      long id = e.deploy(Map.of("ANALYSIS", "inconclusive")).id();

      h.clock.await("paused by the analysis", () -> h.stored(id).state() == DeploymentState.PAUSED, Duration.ofMinutes(5));
      assertThat(h.stored(id).phase()).isEqualTo(DeploymentPhase.ANALYSING);
      assertThat(h.stored(id).reason()).isEqualTo("analysis inconclusive after 1 min: canary: 3 of 50 requests needed so far");

      e.releases().abort("api");
      assertThat(h.stored(id).phase()).as("stored before the abort answers").isEqualTo(DeploymentPhase.ROLLING_BACK);
      Deployment end = h.awaitEnd(id);

      assertThat(end.state()).isEqualTo(DeploymentState.ABORTED);
      assertThat(end.reason()).isEqualTo("aborted on request");
      assertStableServes(h);
    }
  }

  @Test
  void aRollbackThatCannotRouteBack_endsFailed_sayingBothWhys() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY_MANUAL)) {
      EngineHarness.Engine e = h.engine().up();
      long id = e.deploy(Map.of("V", "2")).id();
      h.awaitPhase(id, DeploymentPhase.PAUSING, 0);
      h.world.routerDown = true;

      e.releases().abort("api");
      Deployment end = h.awaitEnd(id);

      assertThat(end.state()).isEqualTo(DeploymentState.FAILED);
      assertThat(end.reason()).isEqualTo("aborted on request; rollback failed: the router does not answer");
      assertThat(e.messages()).anyMatch(m -> m.startsWith("rolling back api failed: the router does not answer"));
    }
  }

  @Test
  void theFirstVerdictStands_laterOnesChangeNothing() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY_MANUAL)) {
      EngineHarness.Engine e = h.engine().up();
      long id = e.deploy(Map.of("V", "2")).id();
      h.awaitPhase(id, DeploymentPhase.PAUSING, 0);

      e.releases().abort("api");
      e.releases().rollback("api", null);
      Deployment end = h.awaitEnd(id);

      assertThat(end.state()).isEqualTo(DeploymentState.ABORTED);
      assertThat(end.reason()).isEqualTo("aborted on request");
    }
  }

  @Test
  void promote_ofARolloutThatIsRollingBack_isRefused() throws Exception {
    try (EngineHarness h = new EngineHarness(dir, EngineHarness.CANARY_MANUAL)) {
      EngineHarness.Engine e = h.engine().up();
      long id = e.deploy(Map.of("V", "2")).id();
      h.awaitPhase(id, DeploymentPhase.PAUSING, 0);
      h.world.drainTime = Duration.ofMinutes(1); // the rollback stays in its drain for a while
      e.releases().abort("api");

      org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.releases().promote("api", false))
          .isInstanceOf(EngineException.class)
          .hasMessage("nothing to promote: the rollout of api is rolling back (aborted on request)");
      assertThat(h.awaitEnd(id).state()).isEqualTo(DeploymentState.ABORTED);
    }
  }

  private static void assertStableServes(EngineHarness h) {
    h.clock.await("only the stable release runs", () -> h.world.runningReleases("api").equals(java.util.List.of("api-r1")),
        Duration.ofMinutes(1));
    assertThat(h.current()).isEqualTo("api-r1");
    assertThat(h.world.routes.get("api").weights()).isEqualTo(Map.of("api-r1", 100));
    assertThat(h.world.running("api")).containsExactly("api-r1-1", "api-r1-2");
    assertThat(h.world.violations).as("requests that would have failed").isEmpty();
  }
}
