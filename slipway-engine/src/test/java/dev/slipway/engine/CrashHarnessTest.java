package dev.slipway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.DeploymentView;
import dev.slipway.plan.ReleasePlan;
import dev.slipway.plan.ReleaseStep;
import dev.slipway.store.Deployment;
import dev.slipway.store.DeploymentPhase;
import dev.slipway.store.DeploymentState;
import dev.slipway.store.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The crash harness: for each of six kinds of rollout, the control plane is halted (like {@code kill
 * -9}) right after each of its store writes, right after each of its acts on the runtime (an instance
 * started or stopped, a route applied: mid-drain, mid-rollback, mid-promotion) and at each named point
 * inside a step; a new control plane then takes over the same store and runtime. Every crash must end
 * in the state the rollout was bound for — a failed analysis is never promoted, a decided rollback is
 * finished, a promotion under way completes — with traffic only ever on a live release, no request
 * sent to a stopped instance, and nothing of the losing release left running.
 *
 * <p>The six kinds run at once: each run waits mostly for its simulated clock to see every thread idle.
 */
@org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT)
class CrashHarnessTest {
  private static final List<String> NAMED = List.of("point:draining", "point:rolling-back", "point:promoting",
      "point:promoted");
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static final Map<Kind, String> SUMMARY = new java.util.concurrent.ConcurrentSkipListMap<>();
  @TempDir
  static Path dir;
  private static StateStore store;

  /** The six kinds of rollout, and the end each is bound for. */
  enum Kind {
    ROLLING(EngineHarness.ROLLING, Map.of("V", "2"), DeploymentState.SUCCEEDED),
    BLUE_GREEN(EngineHarness.BLUE_GREEN, Map.of("V", "2"), DeploymentState.SUCCEEDED),
    CANARY_PASSING(EngineHarness.CANARY, Map.of("V", "2"), DeploymentState.SUCCEEDED),
    CANARY_FAILING_ANALYSIS(EngineHarness.CANARY, Map.of("V", "2", "ERRORS", "1"), DeploymentState.ROLLED_BACK),
    CANARY_ABORTED(EngineHarness.CANARY, Map.of("V", "2"), DeploymentState.ABORTED),
    ROLLBACK_TO_PREVIOUS(EngineHarness.CANARY, Map.of("V", "2"), DeploymentState.SUCCEEDED);

    final String strategy;
    final Map<String, String> set;
    final DeploymentState end;

    Kind(String strategy, Map<String, String> set, DeploymentState end) {
      this.strategy = strategy;
      this.set = set;
      this.end = end;
    }

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** What one run saw. */
  record Run(int writes, int acts, Deployment atCrash, Deployment end, String current, String from, String to) {}

  @BeforeAll
  static void openStore() throws Exception {
    store = StateStore.open(null, dir.resolve(".slipway"));
  }

  @AfterAll
  static void report() {
    store.close();
    SUMMARY.values().forEach(System.out::println);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void everyCrashPoint_endsAsTheVerdictBeforeTheCrashImplies(Kind kind) throws Exception {
    long t0 = System.nanoTime();
    Run reference = run(kind, List.of(), 0);
    assertThat(reference.atCrash()).as("the reference run does not crash").isNull();
    check(kind, "no crash", reference);

    List<String> points = new ArrayList<>();
    for (int k = 1; k <= reference.writes(); k++) {
      points.add("write:" + k);
    }
    for (int j = 1; j <= reference.acts(); j++) {
      points.add("act:" + j);
    }
    points.addAll(NAMED);
    Map<String, Integer> phases = new TreeMap<>();
    List<String> missed = new ArrayList<>();
    int crashed = 0;
    for (String point : points) {
      Run r = point.startsWith("act:") ? run(kind, List.of(), Integer.parseInt(point.substring(4)))
          : run(kind, List.of(point), 0);
      check(kind, point, r);
      if (r.atCrash() != null) {
        crashed++;
        String at = r.atCrash().state().active() ? Views.phase(r.atCrash().phase()) : "after the end";
        phases.merge(at, 1, Integer::sum);
      } else if (!NAMED.contains(point)) {
        missed.add(point);
      }
    }
    // Runs differ a little (when the background analysis first sees the canary decides how many
    // measurements are stored): a point past the end of a shorter run is not reached, and counted so.
    assertThat(missed).as("crash points the rollout ended before").hasSizeLessThanOrEqualTo(3);
    SUMMARY.put(kind, String.format("crash harness: %-24s %3d crash points reached (of %d writes + %d acts + %d named"
        + " points scheduled) -> all %d runs %s as bound for, 0 failed requests; crashed while %s; %.1fs",
        kind.label(), crashed, reference.writes(), reference.acts(), NAMED.size(), points.size() + 1,
        kind.end.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), phases, (System.nanoTime() - t0) / 1e9));
  }

  /** One rollout of {@code kind}, halted at {@code chaos} or after act {@code haltAfterAct}, then taken over. */
  private static Run run(Kind kind, List<String> chaos, int haltAfterAct) throws Exception {
    String env = "run" + RUNS.incrementAndGet();
    try (EngineHarness h = new EngineHarness(store, dir, env, kind.strategy, 2)) {
      try {
        return run(kind, chaos, haltAfterAct, h);
      } catch (AssertionError e) {
        // Which crash, and what the control planes said, in simulated time.
        throw new AssertionError(kind.label() + " halted at " + (haltAfterAct > 0 ? "act:" + haltAfterAct : chaos)
            + ": " + e.getMessage() + "\nstored: " + h.latest().orElse(null) + "\n" + String.join("\n", h.timeline),
            e);
      }
    }
  }

  private static Run run(Kind kind, List<String> chaos, int haltAfterAct, EngineHarness h) throws Exception {
    {
      EngineHarness.Engine first;
      DeploymentView d;
      if (kind == Kind.ROLLBACK_TO_PREVIOUS) {
        EngineHarness.Engine setup = h.engine().up();
        long r2 = setup.deploy(kind.set).id();
        assertThat(h.awaitEnd(r2).state()).isEqualTo(DeploymentState.SUCCEEDED);
        setup.kill("the set-up is done");
        first = h.engine(chaos, haltAfterAct).up();
        try {
          d = first.releases().rollback(EngineHarness.SERVICE, "api-r1");
        } catch (Halted e) {
          d = null;
        }
      } else {
        first = h.engine(chaos, haltAfterAct).up();
        d = first.deploy(kind.set);
      }
      long id = d != null ? d.id() : h.latest().orElseThrow().id();
      boolean abortAnswered = kind == Kind.CANARY_ABORTED && abortAtTheLastPause(h, first, id);
      h.clock.await("the control plane halts or the rollout ends", () -> first.halted()
          || !h.stored(id).state().active(), Duration.ofMinutes(30));
      int writes = first.chaos.writes();
      int acts = first.target.actLog.size();
      if (!first.halted()) {
        settled(kind, h, id);
        return new Run(writes, acts, null, h.stored(id), h.current(), h.stored(id).fromRelease(), h.stored(id).toRelease());
      }
      Deployment atCrash = h.stored(id);
      assertThat(h.world.deadWeight(EngineHarness.SERVICE)).as("traffic on a live release when the control plane died")
          .isNull();
      EngineHarness.Engine next = h.engine().up();
      if (kind == Kind.CANARY_ABORTED && !abortAnswered) {
        // The abort never got its answer before the crash: the person asks again. One that was
        // answered is not repeated: the answer promised it.
        abortAtTheLastPause(h, next, id);
      }
      Deployment end = h.awaitEnd(id);
      settled(kind, h, id);
      assertThat(next.runner.state()).isIn("ready", "degraded");
      return new Run(writes, acts, atCrash, end, h.current(), end.fromRelease(), end.toRelease());
    }
  }

  /** After the end: only the winning release runs, with all traffic, and no request would have failed. */
  private static void settled(Kind kind, EngineHarness h, long id) {
    Deployment d = h.stored(id);
    String winner = kind.end == DeploymentState.SUCCEEDED ? d.toRelease() : d.fromRelease();
    h.clock.await("only " + winner + " runs", () -> h.world.runningReleases(EngineHarness.SERVICE).equals(List.of(winner)),
        Duration.ofMinutes(1));
    assertThat(h.world.running(EngineHarness.SERVICE)).hasSize(2);
    assertThat(h.world.routes.get(EngineHarness.SERVICE).weights()).isEqualTo(Map.of(winner, 100));
    assertThat(h.world.violations).as("requests that would have failed").isEmpty();
    if (kind == Kind.CANARY_FAILING_ANALYSIS) {
      assertThat(h.world.everHadAllTraffic(EngineHarness.SERVICE, d.toRelease())).as("a failed canary is never promoted")
          .isFalse();
    }
  }

  /**
   * The person aborts while the canary waits in its last pause (or at once if it is past it); true when
   * the abort was answered.
   */
  private static boolean abortAtTheLastPause(EngineHarness h, EngineHarness.Engine e, long id) {
    ReleasePlan plan = new dev.slipway.plan.CanaryPlanner().plan(StrategyJson.read(StepState.fromJson(
        h.stored(id).stepStateJson()).strategyJson), 2, true);
    int lastPause = plan.steps().lastIndexOf(plan.steps().stream().filter(s -> s instanceof ReleaseStep.Pause)
        .reduce((a, b) -> b).orElseThrow());
    h.clock.await("the canary reaches its last pause", () -> e.halted() || !h.stored(id).state().active()
        || h.stored(id).step() >= lastPause && h.stored(id).phase() != DeploymentPhase.STARTING, Duration.ofMinutes(30));
    if (e.halted() || !h.stored(id).state().active()) {
      return false;
    }
    try {
      e.releases().abort(EngineHarness.SERVICE);
      return true;
    } catch (Halted | EngineException notAnswered) {
      // Halted in the middle of storing the abort: it may or may not have been stored.
      return false;
    }
  }

  private static void check(Kind kind, String point, Run r) {
    String what = kind.label() + " crashed at " + point + (r.atCrash() == null ? "" : " (stored: "
        + r.atCrash().state() + "/" + r.atCrash().phase() + " at step " + (r.atCrash().step() + 1) + ")");
    assertThat(r.end().state()).as(what + ": end state").isEqualTo(kind.end);
    assertThat(r.end().phase()).as(what).isEqualTo(DeploymentPhase.DONE);
    String winner = kind.end == DeploymentState.SUCCEEDED ? r.to() : r.from();
    assertThat(r.current()).as(what + ": current release").isEqualTo(winner);
    if (r.atCrash() != null && r.atCrash().phase() == DeploymentPhase.ROLLING_BACK) {
      assertThat(r.end().state()).as(what + ": a stored rollback is finished").isNotEqualTo(DeploymentState.SUCCEEDED);
    }
  }
}
