package dev.slipway.engine;

import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.Target;
import dev.slipway.model.AppSpec;
import dev.slipway.store.NewEvent;
import dev.slipway.store.StateStore;
import dev.slipway.store.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the parts of the engine share for one running application: its collaborators and its state,
 * no behaviour that reaches up into the classes that use it. Who writes what:
 * <ul>
 *   <li>{@link #services} and {@link #resources}: fixed at construction; each runtime's fields name their writers.
 *   <li>{@link #routing}: set once by {@link StackStartup} when any service is routed.
 *   <li>{@link #monitor}: set once by {@link StackStartup}; read to watch instances a rollout starts.
 *   <li>{@link #analyst}: chosen by {@link AnalystChoice} as the stack starts.
 * </ul>
 */
final class EngineContext {
  /**
   * Watches instances for health; implemented by {@link HealthMonitor}, which stands above this context,
   * so those who only hand it instances (a rollout) need not name it.
   */
  interface InstanceWatch {
    /** Starts watching {@code inst} of {@code s} (no-op before the stack is up). */
    void watch(ServiceRuntime s, InstanceRuntime inst);

    /** Cuts the current sleep of an instance's watcher short, e.g. right after a restart. */
    void wake(InstanceRuntime inst);
  }

  final AppSpec app;
  final String environment;
  final Target target;
  final StateStore store;
  final EventLog events;
  final SecretMasker masker;
  final EngineSettings settings;
  final EngineClock clock;
  final Chaos chaos;
  final Map<String, ServiceRuntime> services = new LinkedHashMap<>();
  final Map<String, ResourceRuntime> resources = new LinkedHashMap<>();
  final InstanceLauncher launcher;
  volatile Routing routing;
  volatile InstanceWatch monitor;
  volatile Analyst analyst;

  EngineContext(AppSpec app, Target target, StateStore store, EventLog events, SecretMasker masker,
      EngineSettings settings, EngineClock clock, Chaos chaos) {
    this.app = app;
    this.environment = app.environment() == null ? "dev" : app.environment();
    this.target = target;
    this.store = ChaosStore.of(store, chaos);
    this.events = events;
    this.masker = masker;
    this.settings = settings;
    this.clock = clock;
    this.chaos = chaos;
    this.launcher = new InstanceLauncher(app, target, settings);
    app.resources().values().forEach(r -> resources.put(r.name(), new ResourceRuntime(r)));
    app.services().values().forEach(s -> services.put(s.name(), new ServiceRuntime(s)));
  }

  /** Emits an event and appends it to the store's event log (history survives restarts). */
  void record(String kind, String service, Long deploymentId, String message, Map<String, Object> details) {
    if (deploymentId != null && !details.containsKey("deployment")) {
      Map<String, Object> withId = new LinkedHashMap<>(details);
      withId.put("deployment", deploymentId);
      details = withId;
    }
    events.emit(kind, service, message, details);
    try {
      store.appendEvent(new NewEvent(environment, service, deploymentId, kind, masker.mask(message),
          details.isEmpty() ? null : masker.mask(ReleaseConfig.JSON.writeValueAsString(details))));
    } catch (StoreException | com.fasterxml.jackson.core.JsonProcessingException e) {
      events.emit(dev.slipway.api.EventKind.WARNING, service, "could not record an event: " + e.getMessage());
    }
  }

  Analyst releasesAnalyst() {
    return analyst;
  }
}
