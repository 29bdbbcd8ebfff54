package dev.slipway.engine;

import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.Target;
import dev.slipway.model.AppSpec;
import dev.slipway.store.NewEvent;
import dev.slipway.store.StateStore;
import dev.slipway.store.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the parts of the engine share for one running application. */
final class EngineContext {
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
  volatile HealthMonitor monitor;
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

  /** Sleeps on the engine's clock; an interrupt ends the wait with a {@link java.util.concurrent.CompletionException}. */
  void sleep(java.time.Duration d) {
    try {
      clock.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.util.concurrent.CompletionException(e);
    }
  }
}
