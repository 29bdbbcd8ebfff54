package dev.slipway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.EventKind;
import dev.slipway.engine.runtime.Instance;
import dev.slipway.engine.runtime.ProcessState;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.engine.runtime.Traffic;
import dev.slipway.model.ModelLoader;
import dev.slipway.store.Release;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class ServiceRoutesTest {
  private static final Map<String, Integer> STABLE_ONLY = Map.of("api-r1", 100);
  private static final Map<String, Integer> CANARY_10 = Map.of("api-r1", 90, "api-r2", 10);

  private final RecordingTraffic traffic = new RecordingTraffic();
  private final EventLog events = new EventLog(new SecretMasker());
  private final Routing routing = new Routing(traffic, events, EngineClock.SYSTEM);
  private final ServiceRuntime s = service();
  private final ReleaseSet stable = set("api-r1", 2, 41001);
  private final ReleaseSet candidate = set("api-r2", 1, 41003);

  /**
   * The race: a readiness change re-routes while a rollout step sets 90/10. Whatever order
   * the three writers get the lock in, the last routes written carry the weights asked for last.
   */
  @Test
  void refresh_racingAWeightChange_neverWritesTheWeightsOfBefore() throws Exception {
    s.stable = stable;
    s.candidate = candidate;
    for (int r = 0; r < 20; r++) {
      final int round = r;
      routing.apply(s, STABLE_ONLY);
      // A stable instance changes readiness: the health monitor re-routes.
      InstanceRuntime flapping = stable.instances.get(1);
      flapping.ready = !flapping.ready;
      traffic.holdNextWrite();
      Thread first = Thread.ofVirtual().start(() -> quietly(() -> routing.refresh(s)));
      traffic.awaitHeld();
      // A second re-route queues up behind the first (it has seen 100/0 asked for so far), and the
      // rollout's step asks for 90/10 meanwhile: in one order, then in the other.
      Body reroute = () -> routing.refresh(s);
      Body setWeight = () -> routing.apply(s, CANARY_10);
      Thread second = Thread.ofVirtual().start(() -> quietly(round % 2 == 0 ? reroute : setWeight));
      awaitWaiting(second);
      Thread step = Thread.ofVirtual().start(() -> quietly(round % 2 == 0 ? setWeight : reroute));
      awaitWaiting(step);
      traffic.release();
      first.join(5_000);
      second.join(5_000);
      step.join(5_000);

      assertThat(traffic.routes.get("api").weights()).as("round " + round).isEqualTo(CANARY_10);
      assertThat(s.weights).as("what the service reports, round " + round).isEqualTo(CANARY_10);
    }
  }

  @Test
  void routes_carryWhatTheEnvironmentLetsClientsChooseAndSee() throws Exception {
    s.stable = stable;
    new Routing(traffic, events, EngineClock.SYSTEM, new dev.slipway.model.RouterSpec(false, true)).apply(s, STABLE_ONLY);
    assertThat(traffic.routes.get("api").pinning()).isFalse();
    assertThat(traffic.routes.get("api").versionHeader()).isTrue();

    routing.apply(s, STABLE_ONLY);
    assertThat(traffic.routes.get("api").pinning()).as("the router's defaults").isTrue();
  }

  @Test
  void weights_areWhatTheRouterApplies_readBack_notWhatWasAskedFor() throws Exception {
    s.stable = stable;
    s.candidate = candidate;
    candidate.instances.getFirst().ready = false;

    routing.apply(s, CANARY_10);

    assertThat(routing.intended(s)).isEqualTo(CANARY_10);
    assertThat(s.weights).containsExactly(Map.entry("api-r1", 100));
    assertThat(events.after(0)).anySatisfy(e -> {
      assertThat(e.kind()).isEqualTo(EventKind.WARNING);
      assertThat(e.message()).isEqualTo("the router applies api-r1 100%, not the api-r1 90%, api-r2 10% asked for:"
          + " api-r2 has no ready instance");
    });

    candidate.instances.getFirst().ready = true;
    routing.refresh(s);

    assertThat(s.weights).containsExactly(Map.entry("api-r1", 90), Map.entry("api-r2", 10));
    assertThat(events.after(0).getLast().message()).isEqualTo("weights api-r1 90%, api-r2 10% applied again");
  }

  @Test
  void weightsAppliedAsAsked_sayNothingMore() throws Exception {
    s.stable = stable;
    s.candidate = candidate;
    routing.apply(s, STABLE_ONLY);
    routing.apply(s, CANARY_10);
    routing.apply(s, Map.of("api-r1", 50, "api-r2", 50));

    assertThat(events.after(0)).isEmpty();
    assertThat(s.weights).containsExactly(Map.entry("api-r1", 50), Map.entry("api-r2", 50));
  }

  @Test
  void aWithdrawnRelease_isNeverRoutedAgain_whateverIsAskedLater() throws Exception {
    s.stable = stable;
    s.candidate = candidate;
    routing.apply(s, CANARY_10);

    routing.withdraw(s, candidate);
    routing.apply(s, CANARY_10); // e.g. a write computed before the rollback, arriving after it
    routing.refresh(s);

    Traffic.Route route = traffic.routes.get("api");
    assertThat(route.backends()).contains(new Traffic.Backend("api-r2-1", "api-r2", 41003, true));
    assertThat(route.weights()).isEqualTo(STABLE_ONLY);
    assertThat(s.weights).isEqualTo(STABLE_ONLY);
    assertThat(events.after(0)).as("a withdrawn release is meant to get nothing: no warning")
        .noneMatch(e -> e.kind().equals(EventKind.WARNING));
    // A later deployment of the same release is a new set: routable again.
    ReleaseSet again = set("api-r2", 1, 41004);
    s.candidate = again;
    routing.apply(s, CANARY_10);
    assertThat(traffic.routes.get("api").weights()).isEqualTo(CANARY_10);
  }

  @Test
  void routesChangedBySomeoneElse_areNotOverwritten_andTheServiceReportsTheirs() throws Exception {
    s.stable = stable;
    s.candidate = candidate;
    routing.apply(s, CANARY_10);
    Traffic.Route theirs = new Traffic.Route(List.of(new Traffic.Backend("api-r1-1", "api-r1", 41001, false)),
        STABLE_ONLY, Duration.ofSeconds(30));
    traffic.writeBehindTheEnginesBack("api", theirs);

    assertThatThrownBy(() -> routing.apply(s, Map.of("api-r1", 50, "api-r2", 50)))
        .isInstanceOf(TargetException.class)
        .hasMessageContaining("were changed by someone else (router generation 1 → 2); Slipway did not overwrite them");

    assertThat(traffic.routes.get("api")).isEqualTo(theirs);
    assertThat(s.weights).isEqualTo(STABLE_ONLY);
    // Re-based on what it read back, the next write is the engine's again.
    routing.refresh(s);
    assertThat(traffic.routes.get("api").weights()).isEqualTo(Map.of("api-r1", 50, "api-r2", 50));
  }

  @Test
  void aCandidateFailingReadinessWhileSharingTraffic_isRecorded_butNotOneThatTookNone() throws Exception {
    s.stable = stable;
    s.candidate = candidate;
    InstanceRuntime c = candidate.instances.getFirst();
    routing.apply(s, Map.of("api-r1", 100, "api-r2", 0));
    c.ready = false;
    routing.refresh(s);
    assertThat(routing.rotationLoss(s, candidate)).as("it took no traffic").isNull();

    c.ready = true;
    routing.apply(s, CANARY_10);
    c.ready = false;
    c.detail = "GET /health/ready: timed out after 1s";
    routing.refresh(s);

    assertThat(routing.rotationLoss(s, candidate).describe()).isEqualTo("candidate api-r2-1 failed its readiness"
        + " check while taking 10% of the traffic (GET /health/ready: timed out after 1s)");
    assertThat(routing.rotationLoss(s, stable)).isNull();
  }

  @Test
  void drainingACandidate_isNoLoss() throws Exception {
    s.stable = stable;
    s.candidate = candidate;
    routing.apply(s, CANARY_10);
    candidate.instances.getFirst().draining = true;
    candidate.instances.getFirst().ready = false;

    routing.refresh(s);

    assertThat(routing.rotationLoss(s, candidate)).isNull();
  }

  @Test
  void theGenerationsWritten_onlyGrow_andUnchangedRoutesAreNotWrittenAgain() throws Exception {
    s.stable = stable;
    s.candidate = candidate;
    routing.apply(s, CANARY_10);
    int writes = traffic.writes.size();

    routing.refresh(s);
    routing.apply(s, CANARY_10);

    assertThat(traffic.writes).hasSize(writes);
    routing.apply(s, Map.of("api-r1", 50, "api-r2", 50));
    assertThat(traffic.writes).isSorted().doesNotHaveDuplicates();
  }

  private static void awaitWaiting(Thread t) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.BLOCKED) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(t + " never waited for the lock");
      }
      Thread.onSpinWait();
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  private static void quietly(Body body) {
    try {
      body.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ServiceRuntime service() {
    var app = ModelLoader.parse("""
        name: shop
        services:
          api: { run: "api", port: 8080, health: { ready: /ready } }
        """, Path.of("/tmp/service-routes-test/slipway.yaml"), null);
    return new ServiceRuntime(app.services().get("api"));
  }

  private static ReleaseSet set(String id, int instances, int firstPort) {
    Release r = new Release(id, "dev", "api", 1, id, null, "{\"run\":\"api\",\"env\":{},\"set\":{}}", null,
        Instant.now(), "test");
    ReleaseSet set = new ReleaseSet(r, new ReleaseConfig("api", Map.of(), Map.of()), null);
    for (int i = 1; i <= instances; i++) {
      InstanceRuntime inst = new InstanceRuntime(set.instanceId(i), i, firstPort + i - 1);
      inst.handle = new Running(inst.id, inst.port);
      inst.ready = true;
      set.instances.add(inst);
    }
    return set;
  }

  /** A process that runs, as far as routing cares. */
  private record Running(String id, int port) implements Instance {
    @Override
    public String service() {
      return "api";
    }

    @Override
    public long pid() {
      return 1;
    }

    @Override
    public ProcessState state() {
      return ProcessState.RUNNING;
    }

    @Override
    public int restarts() {
      return 0;
    }

    @Override
    public int exits() {
      return 0;
    }

    @Override
    public Instant startedAt() {
      return Instant.EPOCH;
    }

    @Override
    public List<String> tail(int lines) {
      return List.of();
    }

    @Override
    public void restart(String reason) {}

    @Override
    public void stop(Duration grace) {}

    @Override
    public void onChange(Listener listener) {}
  }
}
