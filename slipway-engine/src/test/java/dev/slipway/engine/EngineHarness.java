package dev.slipway.engine;

import dev.slipway.api.DeployRequest;
import dev.slipway.api.DeploymentView;
import dev.slipway.api.EventView;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelLoader;
import dev.slipway.store.Deployment;
import dev.slipway.store.DeploymentPhase;
import dev.slipway.store.StateStore;
import dev.slipway.store.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Control planes for engine tests: each {@link Engine} is a whole {@link StackRunner} on a
 * {@link MemoryTarget}, over one {@link MemoryWorld} and one state store that outlive it, on simulated
 * time. Halting one (like {@code kill -9}) and starting the next is a control-plane crash and take-over.
 */
final class EngineHarness implements AutoCloseable {
  static final String SERVICE = "api";
  final SimClock clock = new SimClock();
  final MemoryWorld world = new MemoryWorld(clock);
  final StateStore store;
  final AppSpec app;
  final String environment;
  private final boolean ownStore;
  private final List<Engine> engines = new ArrayList<>();
  /** What every control plane said, with the simulated time, for a failing test to show. */
  final List<String> timeline = new java.util.concurrent.CopyOnWriteArrayList<>();

  EngineHarness(Path dir, String strategyYaml) throws StoreException {
    this(dir, strategyYaml, 2, HEALTH);
  }

  EngineHarness(Path dir, String strategyYaml, int replicas, String health) throws StoreException {
    this(StateStore.open(null, dir.resolve(".slipway")), true, dir, "dev", strategyYaml, replicas, health);
  }

  /**
   * A harness on a store shared with others (each its own {@code environment}, as two applications
   * sharing a PostgreSQL store are): opening a store and migrating it costs more than a whole rollout.
   */
  EngineHarness(StateStore store, Path dir, String environment, String strategyYaml, int replicas) {
    this(store, false, dir, environment, strategyYaml, replicas, HEALTH);
  }

  private EngineHarness(StateStore store, boolean ownStore, Path dir, String environment, String strategyYaml,
      int replicas, String health) {
    this.store = store;
    this.ownStore = ownStore;
    this.environment = environment;
    this.app = ModelLoader.parse(model(strategyYaml, replicas, environment, health), dir.resolve("slipway.yaml"),
        environment);
  }

  static final String HEALTH = "{ ready: /ready, live: /live, startupTimeout: 20s, interval: 1s }";

  /** A one-service model with the given {@code strategy:} and {@code health:} values. */
  static String model(String strategyYaml, int replicas, String environment, String health) {
    return """
        name: shop
        services:
          api:
            run: "api --serve"
            port: 8080
            replicas: %d
            health: %s
            strategy: %s
        environments:
          %s: { target: local }
        """.formatted(replicas, health, strategyYaml, environment);
  }

  static final String ROLLING = "{ rolling: { maxSurge: 1, maxUnavailable: 0 } }";
  static final String BLUE_GREEN = "{ blueGreen: { rollbackWindow: 30s, smoke: [ { name: root, path: /, expect: 200 } ] } }";
  static final String CANARY = "{ canary: { steps: [ { setWeight: 20 }, { pause: 5s },"
      + " { analysis: { maxErrorRate: 1%, minRequests: 50, timeout: 1m } }, { setWeight: 50 }, { pause: 5s } ] } }";
  static final String CANARY_MANUAL = "{ canary: { steps: [ { setWeight: 20 }, { pause: {} }, { setWeight: 50 } ] } }";

  /** A control plane without chaos. */
  Engine engine() {
    return engine(List.of(), 0);
  }

  /**
   * A control plane that halts at the {@link Chaos} points given, or right after its {@code haltAfterAct}-th
   * act on the world (an instance started or stopped, a route applied) once its rollout started.
   */
  Engine engine(List<String> chaosPoints, int haltAfterAct) {
    Engine e = new Engine(chaosPoints, haltAfterAct);
    engines.add(e);
    return e;
  }

  /** The deployment as stored now. */
  Deployment stored(long id) {
    try {
      return store.deployment(id).orElseThrow();
    } catch (StoreException e) {
      throw new IllegalStateException(e);
    }
  }

  Optional<Deployment> latest() {
    try {
      return store.history(environment, SERVICE, 1).stream().findFirst();
    } catch (StoreException e) {
      throw new IllegalStateException(e);
    }
  }

  String current() {
    try {
      return store.currentRelease(environment, SERVICE).orElse(null);
    } catch (StoreException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits (in simulated time) until deployment {@code id} has ended; returns it. */
  Deployment awaitEnd(long id) {
    clock.await("deployment #" + id + " ends", () -> !stored(id).state().active(), Duration.ofMinutes(30));
    return stored(id);
  }

  /** Waits until deployment {@code id} is stored in {@code phase} (at step {@code step} or later). */
  void awaitPhase(long id, DeploymentPhase phase, int step) {
    clock.await("deployment #" + id + " is " + phase + " at step " + (step + 1), () -> {
      Deployment d = stored(id);
      return d.phase() == phase && d.step() >= step;
    }, Duration.ofMinutes(30));
  }

  /** The phases the rollout steps of {@code engines} went through, in order, without repeats. */
  static List<String> phases(Engine... engines) {
    List<String> phases = new ArrayList<>();
    for (Engine e : engines) {
      for (EventView v : e.events.after(0)) {
        if (v.details().get("phase") instanceof String p && (phases.isEmpty() || !phases.getLast().equals(p))) {
          phases.add(p);
        }
      }
    }
    return phases;
  }

  @Override
  public void close() {
    for (Engine e : engines) {
      e.kill("the test ended");
    }
    clock.close();
    if (ownStore) {
      store.close();
    }
  }

  /** One control plane. */
  final class Engine {
    final SimClock.Engine clock = EngineHarness.this.clock.engine();
    final MemoryTarget target = new MemoryTarget(world);
    final SecretMasker masker = new SecretMasker();
    final EventLog events = new EventLog(masker);
    final Chaos chaos;
    final StackRunner runner;

    private Engine(List<String> chaosPoints, int haltAfterAct) {
      List<String> points = new ArrayList<>(chaosPoints);
      // Halts at nothing, but counts writes and acts once the rollout starts, and can be killed.
      points.add("write:0");
      this.chaos = new Chaos(points, where -> {
        clock.halt(where);
        throw new Halted(where);
      });
      target.haltAfterAct(clock, chaos, haltAfterAct);
      int n = engines.size() + 1;
      events.subscribe(v -> timeline.add(EngineHarness.this.clock.elapsed() + " #" + n + " " + v.kind() + " "
          + v.message()));
      this.runner = new StackRunner(app, target, store, events, masker, EngineSettings.defaults()
          .withQueueTimeout(Duration.ofMinutes(2)), Map.of(), clock, chaos, new MemoryAnalyst(world));
    }

    /** Starts the stack (or takes over what the previous control plane left), on this thread. */
    Engine up() throws EngineException {
      runner.up();
      return this;
    }

    ReleaseEngine releases() {
      return runner.releases();
    }

    boolean halted() {
      return clock.halted();
    }

    /** Halts this control plane from outside, like {@code kill -9}. */
    void kill(String where) {
      try {
        chaos.halt(where);
      } catch (Halted expected) {
        // thrown to whoever halts, here the test itself
      }
    }

    /** Deploys {@code set} as a new release; null when this control plane halted before it answered. */
    DeploymentView deploy(Map<String, String> set) throws EngineException {
      return deploy(set, null);
    }

    DeploymentView deploy(Map<String, String> set, String strategy) throws EngineException {
      try {
        return releases().deploy(SERVICE, new DeployRequest(null, set, strategy, false, false));
      } catch (Halted h) {
        return null;
      }
    }

    List<String> messages() {
      return events.after(0).stream().map(EventView::message).toList();
    }
  }
}
