package dev.slipway.engine;

import dev.slipway.api.EventKind;
import dev.slipway.api.StatusView;
import dev.slipway.engine.runtime.Adopted;
import dev.slipway.engine.runtime.ArtifactRef;
import dev.slipway.engine.runtime.BuildResult;
import dev.slipway.engine.runtime.ProcessState;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.Target;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.AppSpec;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.DependencyCondition;
import dev.slipway.model.Reference;
import dev.slipway.model.Template;
import dev.slipway.plan.StartupPlan;
import dev.slipway.plan.StartupPlanner;
import dev.slipway.store.Deployment;
import dev.slipway.store.DeploymentState;
import dev.slipway.store.Release;
import dev.slipway.store.StateStore;
import dev.slipway.store.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Brings a whole application up on a target and down again: backing services first, builds beside
 * them, then each service's current release as soon as what it waits for holds, routed through the
 * target's traffic layer, then health monitoring. After a control-plane crash it takes over what
 * still runs instead of restarting it. Every wait has a deadline; the first failure stops the start
 * and is reported with its evidence.
 */
public final class StackRunner {
  private final EngineContext ctx;
  private final Map<String, String> processEnv;
  private final CompletableFuture<EngineException> failure = new CompletableFuture<>();
  private final StartupPlan plan;
  private final Releases releases;
  private final ReleaseEngine releaseEngine;
  private final java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
  /** Judges canaries instead of the router's or Prometheus's metrics (tests); null for those. */
  private final Analyst analystOverride;
  private volatile String state = "starting";
  private References references;
  private boolean recovering;

  public StackRunner(AppSpec app, Target target, StateStore store, EventLog events, SecretMasker masker,
      EngineSettings settings, Map<String, String> processEnv) {
    this(app, target, store, events, masker, settings, processEnv, EngineClock.SYSTEM, Chaos.fromEnvironment(), null);
  }

  StackRunner(AppSpec app, Target target, StateStore store, EventLog events, SecretMasker masker,
      EngineSettings settings, Map<String, String> processEnv, EngineClock clock, Chaos chaos, Analyst analyst) {
    this.ctx = new EngineContext(app, target, store, events, masker, settings, clock, chaos);
    this.analystOverride = analyst;
    this.processEnv = processEnv;
    this.plan = StartupPlanner.plan(app);
    this.releases = new Releases(ctx);
    this.releaseEngine = new ReleaseEngine(ctx, releases);
  }

  /** Releases: deploy, promote, abort, rollback, history. */
  public ReleaseEngine releases() {
    return releaseEngine;
  }

  /**
   * Starts everything (or takes over what an earlier control plane left running) and returns once
   * every service and backing service is ready.
   *
   * @throws EngineException the first failure; what had started is stopped again
   */
  public void up() throws EngineException {
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
      references = new References(ctx.resources, ctx.services, secrets);
      ctx.launcher.references(references);
      ctx.launcher.listeners(this::listenerFor);
      if (ctx.services.values().stream().anyMatch(ServiceRuntime::routed)) {
        ctx.routing = new Routing(ctx.target.traffic(), ctx.events, ctx.clock);
        for (ServiceRuntime s : ctx.services.values()) {
          if (s.routed()) {
            s.frontPort = ctx.routing.traffic().frontPort(s.spec.name());
          }
        }
        ctx.analyst = routerAnalyst(ctx.routing.traffic().metrics());
      }
      if (analystOverride != null) {
        ctx.analyst = analystOverride;
      }
      if (!recovering) {
        releaseEngine.abandonStaleDeployments("the control plane stopped during the rollout");
      }
    } catch (TargetException e) {
      throw fromTarget(e);
    } catch (StoreException e) {
      throw fromStore(e);
    }
    ctx.monitor = new HealthMonitor(ctx);
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
      state = "failed";
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
      throw fromTarget(e);
    } catch (StoreException e) {
      throw fromStore(e);
    } catch (RuntimeException e) {
      // A stored rollout this engine cannot read, say: the take-over fails like any other failure.
      throw unexpected("the rollouts", "the take-over", e);
    }
    state = "ready";
    Duration took = Duration.ofNanos(ctx.clock.nanoTime() - started);
    ctx.events.emit(EventKind.STACK_READY, null, ctx.app.name() + " is ready in " + Durations.format(took),
        Map.of("millis", took.toMillis()));
    ctx.monitor.start();
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
        Release release = releases.ensure(s, artifact, Map.of(), null, false);
        s.stable = new ReleaseSet(release, ReleaseConfig.fromJson(release.configJson()),
            artifact == null ? null : artifact.path());
        ctx.store.setCurrentRelease(ctx.environment, s.spec.name(), release.id());
        s.phase = "waiting";
        s.built.complete(null);
      } catch (TargetException e) {
        fail(fromTarget(e));
        return;
      } catch (StoreException e) {
        fail(fromStore(e));
        return;
      } catch (RuntimeException e) {
        fail(unexpected(s.spec.name(), "build", e));
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
        ctx.sleep(ctx.settings.startupProbeInterval());
      }
      r.state = "ready";
      r.isHealthy = true;
      if (spec.type() == dev.slipway.model.BackingServiceType.PROMETHEUS && analystOverride == null) {
        // With a Prometheus in the model, canary analysis reads it (and runs the steps' PromQL queries).
        java.net.URI base = java.net.URI.create(r.handle.endpoint().get("url"));
        ctx.analyst = new MetricsAnalyst(new dev.slipway.analysis.PrometheusMetricSource(base),
            new dev.slipway.analysis.PromQueries(base));
      }
      ctx.events.emit(EventKind.RESOURCE_READY, spec.name(), spec.name() + " is ready on 127.0.0.1:"
          + r.handle.endpoint().getOrDefault("port", "?"));
      r.healthy.complete(null);
    } catch (TargetException e) {
      r.state = "failed";
      fail(fromTarget(e));
    } catch (EngineException e) {
      r.state = "failed";
      fail(e);
    } catch (RuntimeException e) {
      r.state = "failed";
      fail(unexpected(spec.name(), "start", e));
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
      fail(fromTarget(e));
    } catch (EngineException e) {
      s.phase = "failed";
      fail(e);
    } catch (StoreException e) {
      s.phase = "failed";
      fail(fromStore(e));
    } catch (RuntimeException e) {
      s.phase = "failed";
      fail(unexpected(name, "start", e));
    }
  }

  private static Analyst routerAnalyst(dev.slipway.engine.runtime.Traffic.MetricsEndpoint m) {
    String auth = m.headers().getOrDefault("Authorization", "");
    String token = auth.startsWith("Bearer ") ? auth.substring(7) : auth;
    String url = m.url();
    java.net.URI base = java.net.URI.create(url.endsWith("/metrics") ? url.substring(0, url.length() - 8) : url);
    return new MetricsAnalyst(new dev.slipway.analysis.RouterMetricSource(base, token), null);
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

  dev.slipway.engine.runtime.Instance.Listener listenerFor(ServiceRuntime s, InstanceRuntime inst) {
    return (i, st, detail) -> {
      switch (st) {
        case BACKOFF -> {
          inst.ready = false;
          if (ctx.routing != null && s.routed()) {
            try {
              ctx.routing.refresh(s);
            } catch (TargetException e) {
              ctx.events.emit(EventKind.WARNING, s.spec.name(), "could not update routes: " + e.getMessage());
            }
          }
          CrashReport crash = CrashReport.of(ctx, inst);
          inst.lastCrash = crash;
          ctx.events.emit(EventKind.INSTANCE_CRASHED, inst.id, inst.id + " exited (" + CrashReport.exits(crash.exits())
              + "): " + detail, crash.details());
        }
        case CRASH_LOOP -> {
          inst.ready = false;
          CrashReport crash = CrashReport.of(ctx, inst);
          inst.lastCrash = crash;
          ctx.events.emit(EventKind.CRASH_LOOP, inst.id, inst.id + " " + crash.keepsCrashing() + ": " + detail,
              crash.details());
        }
        case RUNNING -> {
          if (i.restarts() > 0) {
            inst.ready = false;
            ctx.events.emit(EventKind.INSTANCE_RESTARTED, inst.id, inst.id + " restarted (restart " + i.restarts()
                + ")" + (detail == null || detail.isEmpty() ? "" : ": " + detail));
            HealthMonitor m = ctx.monitor;
            if (m != null) {
              m.wake(inst);
            }
          }
        }
        default -> { }
      }
    };
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

  static EngineException fromTarget(TargetException e) {
    return new EngineException(e.subject(), e.getMessage(), e.hint(), e.details(), e);
  }

  static EngineException fromStore(StoreException e) {
    return new EngineException(null, "state store: " + e.getMessage(), "see .slipway/logs/control-plane.log",
        List.of(), e);
  }

  private static EngineException unexpected(String subject, String what, RuntimeException e) {
    return new EngineException(subject, "unexpected error during " + what + " of " + subject + ": " + e,
        "run with --stacktrace and report it", List.of(), e);
  }

  /** Makes a running {@link #up()} stop waiting and fail with {@code reason}. */
  public void abort(String reason) {
    failure.complete(new EngineException(null, reason, null, List.of()));
  }

  /**
   * Whether this {@link #up()} took over what an earlier control plane left running. If such an
   * {@code up} fails, {@link #detach} rather than {@link #down}: stopping would turn a failed
   * take-over into an outage.
   */
  public boolean tookOver() {
    return recovering;
  }

  /**
   * Stops acting and changes nothing: health monitoring ends, rollouts stop where they are without
   * a word to the store, and every process (instances, backing services, the router) keeps
   * serving, for the next control plane to take over. The target is not closed, as closing it
   * stops what it runs.
   */
  public void detach(String reason) {
    state = "detached";
    HealthMonitor m = ctx.monitor;
    if (m != null) {
      m.stop();
    }
    releaseEngine.detachAll(reason);
  }

  /** Stops everything in reverse start order and, with {@code volumes}, deletes backing-service data. */
  public void down(boolean volumes) {
    state = "stopping";
    HealthMonitor m = ctx.monitor;
    if (m != null) {
      m.stop();
    }
    releaseEngine.stopAll("the stack was stopped");
    ctx.events.emit(EventKind.STOPPING, null, "stopping " + ctx.app.name());
    for (StartupPlan.Step step : plan.stopOrder()) {
      if (step.kind() == StartupPlan.Kind.SERVICE) {
        ServiceRuntime s = ctx.services.get(step.name());
        s.phase = "stopping";
        boolean any = false;
        for (InstanceRuntime inst : s.instances()) {
          if (inst.handle != null) {
            inst.handle.stop(ctx.settings.stopGrace());
            inst.ready = false;
            inst.retired = true;
            any = true;
          }
        }
        s.phase = "stopped";
        if (any) {
          ctx.events.emit(EventKind.STOPPED, s.spec.name(), "stopped " + s.spec.name());
        }
      } else {
        ResourceRuntime r = ctx.resources.get(step.name());
        if (r.handle != null) {
          r.handle.stop(ctx.settings.stopGrace());
          ctx.events.emit(EventKind.STOPPED, r.spec.name(), "stopped " + r.spec.name());
        }
        r.state = "stopped";
        r.isHealthy = false;
      }
    }
    ctx.target.close();
    if (volumes) {
      try {
        for (String line : ctx.target.deleteData(ctx.resources.keySet())) {
          ctx.events.emit(EventKind.INFO, null, line);
        }
      } catch (TargetException e) {
        ctx.events.emit(EventKind.WARNING, e.subject(), e.getMessage());
      }
    }
    state = "stopped";
    ctx.events.emit(EventKind.STOPPED, null, ctx.app.name() + " stopped" + (volumes ? " and its data deleted" : ""));
  }

  /** The current state of the whole stack: {@code starting}, {@code ready}, {@code failed}, ... */
  public String state() {
    HealthMonitor m = ctx.monitor;
    if ("ready".equals(state) && m != null && !m.allHealthy()) {
      return "degraded";
    }
    return state;
  }

  /** The stack as the API shows it. */
  public StatusView status(StatusView.ControlPlaneView controlPlane) {
    return StatusBuilder.build(ctx, state(), releaseEngine, controlPlane);
  }

  /** Whether {@code name} is a service of this stack. */
  public boolean hasService(String name) {
    return ctx.services.containsKey(name);
  }

  /**
   * The last {@code lines} log lines of each instance of {@code service}, masked, prefixed with the
   * instance id when there are several: of the instances that run now, or with {@code release}, of
   * every instance that release had (a candidate's, a retired or rolled-back release's).
   *
   * @throws EngineException NOT_FOUND when {@code release} is not a release of {@code service}
   */
  public List<String> logTail(String service, String release, int lines) throws EngineException {
    return new ServiceLogs(ctx).tail(service, release, lines);
  }

  /** The log files of the same instances as {@link #logTail}, by instance id, for following. */
  public Map<String, Path> logFiles(String service, String release) throws EngineException {
    return new ServiceLogs(ctx).files(service, release);
  }

  public AppSpec app() {
    return ctx.app;
  }

  /** For the down path and tests: whether any deployment is still marked active. */
  static boolean active(Deployment d) {
    return d.state() == DeploymentState.RUNNING || d.state() == DeploymentState.PAUSED
        || d.state() == DeploymentState.PENDING;
  }

  static boolean crashLooping(InstanceRuntime i) {
    return i.handle != null && i.handle.state() == ProcessState.CRASH_LOOP;
  }
}
