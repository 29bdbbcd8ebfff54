package dev.slipway.engine;

import dev.slipway.api.EventKind;
import dev.slipway.engine.runtime.Adopted;
import dev.slipway.engine.runtime.ArtifactRef;
import dev.slipway.engine.runtime.BuildResult;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BackingServiceType;
import dev.slipway.model.DependencyCondition;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.Reference;
import dev.slipway.model.RouterSpec;
import dev.slipway.model.SecretNames;
import dev.slipway.model.Template;
import dev.slipway.plan.StartupPlan;
import dev.slipway.store.Deployment;
import dev.slipway.store.Release;
import dev.slipway.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One start of a stack: backing services first, builds beside them, then each service's current
 * release as soon as what it waits for holds, routed through the target's traffic layer, then health
 * monitoring. After a control-plane crash it takes over what still runs instead of restarting it.
 * Every wait has a deadline; the first failure stops the start and is reported with its evidence.
 */
final class StackStartup {
  private final EngineContext ctx;
  private final StartupPlan plan;
  private final Releases releases;
  private final ReleaseEngine releaseEngine;
  private final AnalystChoice analysts;
  private final Map<String, String> processEnv;
  /** Where this start reports the stack's state ({@code failed}, {@code ready}). */
  private final Consumer<String> state;
  private final CompletableFuture<EngineException> failure = new CompletableFuture<>();
  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile HealthMonitor monitor;
  private References references;
  private volatile boolean recovering;
  /** The version label of the releases this start creates (a preview's {@code --version}); null: their digest. */
  private volatile String releaseLabel;

  StackStartup(EngineContext ctx, StartupPlan plan, Releases releases, ReleaseEngine releaseEngine,
      AnalystChoice analysts, Map<String, String> processEnv, Consumer<String> state) {
    this.ctx = ctx;
    this.plan = plan;
    this.releases = releases;
    this.releaseEngine = releaseEngine;
    this.analysts = analysts;
    this.processEnv = processEnv;
    this.state = state;
  }

  /** The health monitor, once the start has made it; null before. */
  HealthMonitor monitor() {
    return monitor;
  }

  void releaseLabel(String label) {
    this.releaseLabel = label;
  }

  /** Whether this start took over what an earlier control plane left running. */
  boolean recovering() {
    return recovering;
  }

  /** Makes a running {@link #run()} stop waiting and fail with {@code reason}. */
  void abort(String reason) {
    failure.complete(new EngineException(null, reason, null, List.of()));
  }

  /** The model's literal values of secret-named variables are secrets too: masked from the start. */
  private void registerLiteralSecrets() {
    for (var service : ctx.app.services().values()) {
      service.env().forEach((name, value) -> {
        if (SecretNames.isLiteralSecret(name, value)) {
          ctx.masker.register(value.render(ref -> ""));
        }
      });
    }
  }

  void run() throws EngineException {
    long started = ctx.clock.nanoTime();
    try {
      Adopted adopted = ctx.target.adopt();
      recovering = adopted.any();
      if (recovering) {
        ctx.events.emit(EventKind.INFO, null, "taking over what the previous control plane left running: "
            + adopted.instances().size() + " instances, " + adopted.resources().size() + " backing services"
            + (adopted.router() ? ", the router" : ""));
      }
      ctx.launcher.adopted(adopted.instances());
      Map<String, String> secrets = SecretValues.read(ctx.app, processEnv);
      secrets.values().forEach(ctx.masker::register);
      registerLiteralSecrets();
      references = new References(ctx.resources, ctx.services, secrets, ctx.target, ctx.masker);
      ctx.launcher.references(references);
      InstanceEvents instanceEvents = new InstanceEvents(ctx);
      ctx.launcher.listeners(instanceEvents::listenerFor);
      analysts.initial(ctx);
      if (ctx.services.values().stream().anyMatch(ServiceRuntime::routed)) {
        ctx.routing = new Routing(ctx.target.traffic(), ctx.events, ctx.clock, ctx.app.selectedEnvironment()
            .map(EnvironmentSpec::router).orElse(RouterSpec.defaultsFor(ctx.environment)));
        for (ServiceRuntime s : ctx.services.values()) {
          if (s.routed()) {
            s.frontPort = ctx.routing.traffic().frontPort(s.spec.name());
          }
        }
        analysts.routed(ctx, ctx.routing.traffic());
      }
      if (!recovering) {
        releaseEngine.abandonStaleDeployments("the control plane stopped during the rollout");
      }
    } catch (TargetException e) {
      throw EngineErrors.fromTarget(e);
    } catch (StoreException e) {
      throw EngineErrors.fromStore(e);
    }
    HealthMonitor m = new HealthMonitor(ctx);
    monitor = m;
    ctx.monitor = m;
    ctx.clock.start("builds", this::prepareReleases);
    ctx.resources.values().forEach(r -> ctx.clock.start("start-" + r.spec.name(), () -> startResource(r)));
    ctx.services.values().forEach(s -> ctx.clock.start("start-" + s.spec.name(), () -> startService(s)));

    List<CompletableFuture<Void>> all = new ArrayList<>();
    ctx.resources.values().forEach(r -> all.add(r.healthy));
    ctx.services.values().forEach(s -> all.add(s.healthy));
    CompletableFuture<Void> ready = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    try {
      CompletableFuture.anyOf(ready, failure).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(new EngineException(null, "interrupted while starting", null, List.of()));
    } catch (ExecutionException e) {
      fail(new EngineException(null, "unexpected failure while starting: " + e.getCause(), null, List.of()));
    }
    if (failure.isDone()) {
      state.accept("failed");
      throw failure.join();
    }
    try {
      if (recovering) {
        releaseEngine.recover();
        for (String line : ctx.target.stopUnclaimed()) {
          ctx.events.emit(EventKind.INFO, null, line);
        }
      }
    } catch (TargetException e) {
      throw EngineErrors.fromTarget(e);
    } catch (StoreException e) {
      throw EngineErrors.fromStore(e);
    } catch (RuntimeException e) {
      // A stored rollout this engine cannot read, say: the take-over fails like any other failure.
      throw EngineErrors.unexpected("the rollouts", "the take-over", e);
    }
    state.accept("ready");
    Duration took = Duration.ofNanos(ctx.clock.nanoTime() - started);
    ctx.events.emit(EventKind.STACK_READY, null, ctx.app.name() + " is ready in " + Durations.format(took),
        Map.of("millis", took.toMillis()));
    m.start();
  }

  private void prepareReleases() {
    for (StartupPlan.Step step : plan.steps()) {
      if (step.kind() != StartupPlan.Kind.SERVICE || failure.isDone()) {
        continue;
      }
      ServiceRuntime s = ctx.services.get(step.name());
      try {
        Optional<Release> current = releases.current(s.spec.name());
        if (recovering && current.isPresent()) {
          // Take over what runs; a rollout in flight keeps its stable side (its candidate is restored later).
          Optional<Deployment> rollout = ctx.store.activeDeployment(ctx.environment, s.spec.name());
          Optional<Release> stable = rollout.isPresent() && rollout.get().fromRelease() != null
              ? ctx.store.release(ctx.environment, rollout.get().fromRelease()) : current;
          s.stable = releases.set(stable.orElse(current.get()));
          s.built.complete(null);
          continue;
        }
        ArtifactRef artifact = null;
        if (s.spec.build() != null) {
          s.phase = "building";
          ctx.events.emit(EventKind.BUILD_STARTED, s.spec.name(), "checking build of " + s.spec.name());
          BuildResult result = ctx.target.build(s.spec.name(), s.spec.build(), ctx.settings.buildTimeout());
          s.buildDigest = result.digest();
          artifact = ctx.target.snapshot(s.spec.name(), s.spec.build());
          ctx.events.emit(EventKind.BUILD_FINISHED, s.spec.name(),
              (result.ran() ? "built " + s.spec.name() + " in " + Durations.format(result.took())
                  : s.spec.name() + " is up to date") + " (" + result.reason() + ")",
              Map.of("ran", result.ran(), "millis", result.took().toMillis()));
        }
        Release release = releases.ensure(s, artifact, Map.of(), releaseLabel, false);
        s.stable = new ReleaseSet(release, ReleaseConfig.fromJson(release.configJson()),
            artifact == null ? null : artifact.path());
        ctx.store.setCurrentRelease(ctx.environment, s.spec.name(), release.id());
        s.phase = "waiting";
        s.built.complete(null);
      } catch (TargetException e) {
        fail(EngineErrors.fromTarget(e));
        return;
      } catch (StoreException e) {
        fail(EngineErrors.fromStore(e));
        return;
      } catch (RuntimeException e) {
        fail(EngineErrors.unexpected(s.spec.name(), "build", e));
        return;
      }
    }
  }

  private void startResource(ResourceRuntime r) {
    BackingServiceSpec spec = r.spec;
    try {
      r.state = "starting";
      ctx.events.emit(EventKind.RESOURCE_STARTING, spec.name(), "starting " + spec.name() + " (" + spec.type().key()
          + " " + (spec.version() == null ? "" : spec.version() + ", ") + spec.provider().key() + ")");
      String url = spec.url() == null ? null : references.render(spec.url());
      r.handle = ctx.target.startBackingService(spec, url);
      // The URL embeds the password; masking the password covers both.
      ctx.masker.register(r.handle.endpoint().get("password"));
      r.started.complete(null);
      long deadline = ctx.clock.deadline(ctx.settings.resourceStartupTimeout());
      while (!r.handle.healthy()) {
        if (failure.isDone()) {
          return;
        }
        if (ctx.clock.past(deadline)) {
          throw new EngineException(spec.name(), spec.name() + " did not answer its health check within "
              + Durations.format(ctx.settings.resourceStartupTimeout()), "look at .slipway/logs/" + spec.name() + ".log",
              List.of());
        }
        ctx.clock.pause(ctx.settings.startupProbeInterval());
      }
      r.state = "ready";
      r.isHealthy = true;
      if (spec.type() == BackingServiceType.PROMETHEUS) {
        analysts.prometheus(ctx, r.handle.endpoint().get("url"));
      }
      ctx.events.emit(EventKind.RESOURCE_READY, spec.name(), spec.name() + " is ready on 127.0.0.1:"
          + r.handle.endpoint().getOrDefault("port", "?"));
      r.healthy.complete(null);
    } catch (TargetException e) {
      r.state = "failed";
      fail(EngineErrors.fromTarget(e));
    } catch (EngineException e) {
      r.state = "failed";
      fail(e);
    } catch (RuntimeException e) {
      r.state = "failed";
      fail(EngineErrors.unexpected(spec.name(), "start", e));
    }
  }

  private void startService(ServiceRuntime s) {
    String name = s.spec.name();
    try {
      await(s.built);
      if (failure.isDone()) {
        return;
      }
      for (Map.Entry<String, DependencyCondition> dep : plan.step(name).waitsFor().entrySet()) {
        s.phase = "waiting";
        ctx.events.emit(EventKind.SERVICE_WAITING, name, name + " waits for " + dep.getKey() + " to be "
            + dep.getValue().key());
        await(condition(dep.getKey(), dep.getValue()));
      }
      for (Reference ref : referencedResources(s)) {
        await(ctx.resources.get(ref.name()).started);
      }
      if (failure.isDone()) {
        return;
      }
      s.phase = "starting";
      ctx.events.emit(EventKind.SERVICE_STARTING, name, "starting " + name + " " + s.stable.id()
          + " (" + s.stable.version() + ")" + (s.spec.replicas() > 1 ? ", " + s.spec.replicas() + " instances" : ""));
      boolean rolloutInFlight = recovering && ctx.store.activeDeployment(ctx.environment, name).isPresent();
      for (int i = 1; i <= s.spec.replicas(); i++) {
        // A rollout taken over decides itself which stable instances must run (a rolling update may
        // have retired some, a promotion all of them): here only what still runs is taken over.
        if (!rolloutInFlight || ctx.launcher.wasAdopted(s.stable.instanceId(i))) {
          ctx.launcher.ensure(s, s.stable, i);
        }
      }
      if (ctx.routing != null && !rolloutInFlight) {
        ctx.routing.apply(s, Map.of(s.stable.id(), 100));
      }
      s.started.complete(null);
      if (!rolloutInFlight || !s.stable.live().isEmpty()) {
        Readiness.await(ctx, s, s.stable, failure);
      }
      if (ctx.routing != null && !rolloutInFlight) {
        ctx.routing.refresh(s);
      }
      s.phase = "ready";
      s.everReady = true;
      ctx.events.emit(EventKind.SERVICE_READY, name, name + " is ready" + (s.url() != null ? " at " + s.url() : ""),
          Map.of("version", s.stable.version(), "release", s.stable.id()));
      s.healthy.complete(null);
    } catch (TargetException e) {
      s.phase = "failed";
      fail(EngineErrors.fromTarget(e));
    } catch (EngineException e) {
      s.phase = "failed";
      fail(e);
    } catch (StoreException e) {
      s.phase = "failed";
      fail(EngineErrors.fromStore(e));
    } catch (RuntimeException e) {
      s.phase = "failed";
      fail(EngineErrors.unexpected(name, "start", e));
    }
  }

  private static List<Reference> referencedResources(ServiceRuntime s) {
    List<Reference> refs = new ArrayList<>();
    List<Template> all = new ArrayList<>(s.stable.config.templates().values());
    all.add(Template.parse(s.stable.config.run()));
    for (Template t : all) {
      for (Reference r : t.references()) {
        if (r.kind() == Reference.Kind.RESOURCES) {
          refs.add(r);
        }
      }
    }
    return refs;
  }

  private CompletableFuture<Void> condition(String name, DependencyCondition condition) {
    ResourceRuntime r = ctx.resources.get(name);
    if (r != null) {
      return condition == DependencyCondition.HEALTHY ? r.healthy : r.started;
    }
    ServiceRuntime s = ctx.services.get(name);
    return condition == DependencyCondition.HEALTHY ? s.healthy : s.started;
  }

  private void await(CompletableFuture<Void> f) {
    try {
      CompletableFuture.anyOf(f, failure).join();
    } catch (CompletionException e) {
      // The failure itself is reported by whoever failed.
    }
  }

  private void fail(EngineException e) {
    if (!failure.isDone() && failing.compareAndSet(false, true)) {
      // The event first: whoever waits on the failure may report the events right away.
      ctx.events.emit(EventKind.UP_FAILED, e.subject(), e.getMessage(),
          Map.of("hint", e.hint() == null ? "" : e.hint(), "log", e.details()));
      failure.complete(e);
    }
  }
}
