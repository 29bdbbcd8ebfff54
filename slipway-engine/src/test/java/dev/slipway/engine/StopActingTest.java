package dev.slipway.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.DeployRequest;
import dev.slipway.api.EventKind;
import dev.slipway.api.EventView;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.model.ModelLoader;
import dev.slipway.store.Deployment;
import dev.slipway.store.DeploymentState;
import dev.slipway.store.Lease;
import dev.slipway.store.LeaseHolder;
import dev.slipway.store.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A control plane that must stop acting (it lost its environment's lease, or failed to take over)
 * leaves routes, instances and the stored rollout as they are: no rollback, no stop, no write.
 */
class StopActingTest {
  private static final String MODEL = """
      name: shop
      services:
        api:
          run: "api"
          port: 8080
          health: { ready: /ready }
          strategy:
            canary:
              steps:
                - setWeight: 30
                - pause: {}
      """;
  private static final Duration TTL = Duration.ofSeconds(30);

  private final FakeTarget target = new FakeTarget();
  private final SecretMasker masker = new SecretMasker();
  private final EventLog events = new EventLog(masker);
  @TempDir
  Path stateDir;
  private StateStore store;
  private Lease lease;
  private StackRunner runner;

  @BeforeEach
  void start() throws Exception {
    store = StateStore.open(null, stateDir);
    lease = store.leases().acquire("dev", LeaseHolder.thisProcess("me"), TTL);
    runner = new StackRunner(ModelLoader.parse(MODEL, Path.of("/tmp/stop-acting-test/slipway.yaml"), null), target,
        store.leases().fenced(lease), events, masker, EngineSettings.defaults(), Map.of());
    runner.up();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aRolloutWhoseWriteIsRefused_stopsWhereItIs_withoutRollingBack() throws Exception {
    long id = pausedCanary();
    CountDownLatch stopped = on(EventKind.WARNING, "the rollout of api-r2 stopped");
    store.leases().release(lease); // as if it had lapsed: another control plane takes the environment
    store.leases().acquire("dev", LeaseHolder.thisProcess("other"), TTL);

    // Its next write is refused: the promote is stored before it is answered, so the caller hears it.
    assertThatThrownBy(() -> runner.releases().promote("api", false))
        .hasMessageContaining("this control plane no longer owns environment dev");

    assertThat(stopped.await(10, TimeUnit.SECONDS)).as("events: %s", events.after(0)).isTrue();
    assertThat(warning()).contains("stopped at step 4, left as it is: this control plane no longer owns environment dev");
    assertUntouched(id);
  }

  @Test
  void detach_stopsTheRolloutWithoutAWord_andStopsNothing() throws Exception {
    long id = pausedCanary();
    CountDownLatch stopped = on(EventKind.WARNING, "the rollout of api-r2 stopped");

    runner.detach("taking over failed");

    assertThat(stopped.await(10, TimeUnit.SECONDS)).as("events: %s", events.after(0)).isTrue();
    assertThat(warning()).isEqualTo("the rollout of api-r2 stopped at step 4 without a change: taking over failed");
    assertThat(runner.state()).isEqualTo("detached");
    assertThat(target.closed).as("closing the target would stop what it runs").isFalse();
    assertUntouched(id);
  }

  /** Deploys api-r2 by canary and returns once it waits at its pause, 30% of traffic on it. */
  private long pausedCanary() throws Exception {
    CountDownLatch paused = on(EventKind.ROLLOUT_PAUSED, "api paused");
    long id = runner.releases().deploy("api", new DeployRequest(null, Map.of("MARK", "2"), null, false, false)).id();
    assertThat(paused.await(10, TimeUnit.SECONDS)).as("events: %s", events.after(0)).isTrue();
    assertThat(target.traffic.routes.get("api").weights()).isEqualTo(Map.of("api-r1", 70, "api-r2", 30));
    return id;
  }

  private void assertUntouched(long id) throws Exception {
    assertThat(target.traffic.routes.get("api").weights()).as("routes").isEqualTo(Map.of("api-r1", 70, "api-r2", 30));
    assertThat(target.calls).as("nothing stopped").noneMatch(c -> c.startsWith("stop "));
    Deployment stored = store.deployment(id).orElseThrow();
    assertThat(stored.state()).as("nothing written").isEqualTo(DeploymentState.PAUSED);
  }

  private String warning() {
    List<EventView> warnings = events.after(0).stream().filter(e -> e.kind().equals(EventKind.WARNING)).toList();
    return warnings.getLast().message();
  }

  private CountDownLatch on(String kind, String prefix) {
    CountDownLatch latch = new CountDownLatch(1);
    events.subscribe(e -> {
      if (e.kind().equals(kind) && e.message().startsWith(prefix)) {
        latch.countDown();
      }
    });
    return latch;
  }
}
