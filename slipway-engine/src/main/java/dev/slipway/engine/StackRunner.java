package dev.slipway.engine;

import dev.slipway.api.EventKind;
import dev.slipway.engine.target.BuildResult;
import dev.slipway.engine.target.Instance;
import dev.slipway.engine.target.InstanceSpec;
import dev.slipway.engine.target.ProcessState;
import dev.slipway.engine.target.SecretMasker;
import dev.slipway.engine.target.Target;
import dev.slipway.engine.target.TargetException;
import dev.slipway.model.AppSpec;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.DependencyCondition;
import dev.slipway.model.Reference;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.Template;
import dev.slipway.plan.StartupPlan;
import dev.slipway.plan.StartupPlanner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Brings a whole application up on a target and down again: backing services first, builds beside
 * them, then services as soon as what each waits for holds, then health monitoring. Every wait has a
 * deadline; the first failure stops the start and is reported with its evidence.
 */
public final class StackRunner {
  private final AppSpec app;
  private final Target target;
  private final EventLog events;
  private final SecretMasker masker;
  private final EngineSettings settings;
  private final Map<String, String> processEnv;
  private final Map<String, ResourceRuntime> resources = new LinkedHashMap<>();
  private final Map<String, ServiceRuntime> services = new LinkedHashMap<>();
  private final CompletableFuture<EngineException> failure = new CompletableFuture<>();
  private final StartupPlan plan;
  private volatile String state = "starting";
  private volatile HealthMonitor monitor;
  private References references;

  public StackRunner(AppSpec app, Target target, EventLog events, SecretMasker masker,
      EngineSettings settings, Map<String, String> processEnv) {
    this.app = app;
    this.target = target;
    this.events = events;
    this.masker = masker;
    this.settings = settings;
    this.processEnv = processEnv;
    this.plan = StartupPlanner.plan(app);
    app.resources().values().forEach(r -> resources.put(r.name(), new ResourceRuntime(r)));
    app.services().values().forEach(s -> services.put(s.name(), new ServiceRuntime(s)));
  }

  /**
   * Starts everything and returns once every service and backing service is ready.
   *
   * @throws EngineException the first failure; what had started is stopped again
   */
  public void up() throws EngineException {
    long started = System.nanoTime();
    try {
      for (String line : target.cleanUpLeftovers()) {
        events.emit(EventKind.WARNING, null, line);
      }
      Map<String, String> secrets = SecretValues.read(app, processEnv);
      secrets.values().forEach(masker::register);
      references = new References(resources, services, secrets);
      allocatePorts();
    } catch (TargetException e) {
      throw fromTarget(e);
    }
    Thread.ofVirtual().name("builds").start(this::runBuilds);
    resources.values().forEach(r -> Thread.ofVirtual().name("start-" + r.spec.name()).start(() -> startResource(r)));
    services.values().forEach(s -> Thread.ofVirtual().name("start-" + s.spec.name()).start(() -> startService(s)));

    List<CompletableFuture<Void>> all = new ArrayList<>();
    resources.values().forEach(r -> all.add(r.healthy));
    services.values().forEach(s -> all.add(s.healthy));
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
    state = "ready";
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    events.emit(EventKind.STACK_READY, null, app.name() + " is ready in " + Durations.format(took),
        Map.of("millis", took.toMillis()));
    monitor = new HealthMonitor(resources, services, events, settings);
    monitor.start();
  }

  private void allocatePorts() throws TargetException {
    for (ServiceRuntime s : services.values()) {
      for (int i = 1; i <= s.spec.replicas(); i++) {
        String id = s.spec.name() + "-" + i;
        boolean needsPort = s.spec.port() != null || s.spec.health().ready() != null || s.spec.health().live() != null;
        s.instances.add(new InstanceRuntime(id, needsPort ? target.allocatePort(id) : 0));
      }
    }
  }

  private void runBuilds() {
    for (StartupPlan.Step step : plan.steps()) {
      if (step.kind() != StartupPlan.Kind.SERVICE) {
        continue;
      }
      ServiceRuntime s = services.get(step.name());
      if (failure.isDone()) {
        return;
      }
      if (s.spec.build() == null) {
        s.version = "dev";
        s.built.complete(null);
        continue;
      }
      s.phase = "building";
      events.emit(EventKind.BUILD_STARTED, s.spec.name(), "checking build of " + s.spec.name());
      try {
        BuildResult result = target.build(s.spec.name(), s.spec.build(), settings.buildTimeout());
        s.version = result.version();
        events.emit(EventKind.BUILD_FINISHED, s.spec.name(),
            (result.ran() ? "built " + s.spec.name() + " in " + Durations.format(result.took())
                : s.spec.name() + " is up to date") + " (" + result.reason() + ")",
            Map.of("ran", result.ran(), "millis", result.took().toMillis(), "version", result.version()));
        s.phase = "waiting";
        s.built.complete(null);
      } catch (TargetException e) {
        fail(fromTarget(e));
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
      events.emit(EventKind.RESOURCE_STARTING, spec.name(),
          "starting " + spec.name() + " (" + spec.type().key() + " " + (spec.version() == null ? "" : spec.version() + ", ")
              + spec.provider().key() + ")");
      String url = spec.url() == null ? null : references.render(spec.url());
      r.handle = target.startBackingService(spec, url);
      // The URL embeds the password; masking the password covers both.
      masker.register(r.handle.endpoint().get("password"));
      r.started.complete(null);
      long deadline = System.nanoTime() + settings.resourceStartupTimeout().toNanos();
      while (!r.handle.healthy()) {
        if (failure.isDone()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new EngineException(spec.name(), spec.name() + " did not answer its health check within "
              + Durations.format(settings.resourceStartupTimeout()), "look at .slipway/logs/" + spec.name() + ".log",
              List.of());
        }
        sleep(settings.startupProbeInterval());
      }
      r.state = "ready";
      r.isHealthy = true;
      events.emit(EventKind.RESOURCE_READY, spec.name(), spec.name() + " is ready on 127.0.0.1:"
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
    ServiceSpec spec = s.spec;
    try {
      await(s.built);
      for (Map.Entry<String, DependencyCondition> dep : plan.step(spec.name()).waitsFor().entrySet()) {
        s.phase = "waiting";
        events.emit(EventKind.SERVICE_WAITING, spec.name(),
            spec.name() + " waits for " + dep.getKey() + " to be " + dep.getValue().key());
        await(condition(dep.getKey(), dep.getValue()));
      }
      for (Template t : templates(spec)) {
        for (Reference ref : t.references()) {
          if (ref.kind() == Reference.Kind.RESOURCES) {
            await(resources.get(ref.name()).started);
          }
        }
      }
      if (failure.isDone()) {
        return;
      }
      s.phase = "starting";
      events.emit(EventKind.SERVICE_STARTING, spec.name(), "starting " + spec.name()
          + (s.instances.size() > 1 ? " (" + s.instances.size() + " instances)" : ""));
      Map<String, String> env = references.renderAll(spec.env());
      String command = references.render(Template.parse(spec.run()));
      for (InstanceRuntime inst : s.instances) {
        Map<String, String> instanceEnv = new LinkedHashMap<>(env);
        if (inst.port > 0) {
          instanceEnv.put("PORT", Integer.toString(inst.port));
        }
        instanceEnv.put("APP_VERSION", s.version);
        instanceEnv.put("SLIPWAY_APP", app.name());
        instanceEnv.put("SLIPWAY_SERVICE", spec.name());
        instanceEnv.put("SLIPWAY_INSTANCE", inst.id);
        Instance handle = target.startInstance(new InstanceSpec(spec.name(), inst.id, s.version, command,
            instanceEnv, inst.port, settings.stopGrace()));
        inst.handle = handle;
        handle.onChange((i, st, detail) -> instanceChanged(s, inst, st, detail));
      }
      s.started.complete(null);
      waitUntilReady(s);
    } catch (TargetException e) {
      s.phase = "failed";
      fail(fromTarget(e));
    } catch (EngineException e) {
      s.phase = "failed";
      fail(e);
    } catch (RuntimeException e) {
      s.phase = "failed";
      fail(unexpected(spec.name(), "start", e));
    }
  }

  private static List<Template> templates(ServiceSpec spec) {
    List<Template> all = new ArrayList<>(spec.env().values());
    all.add(Template.parse(spec.run()));
    return all;
  }

  private void waitUntilReady(ServiceRuntime s) throws EngineException {
    long started = System.nanoTime();
    Duration timeout = s.spec.health().startupTimeout();
    long deadline = started + timeout.toNanos();
    Readiness readiness = new Readiness(s.spec);
    while (!failure.isDone()) {
      for (InstanceRuntime inst : s.instances) {
        Instance h = inst.handle;
        if (h.state() == ProcessState.CRASH_LOOP) {
          throw new EngineException(s.spec.name(), s.spec.name() + " keeps crashing (" + h.restarts()
              + " restarts) and never became ready", "fix the error in the log above, then run `slipway up` again",
              masked(h.tail(20)));
        }
        if (!inst.ready) {
          HttpProbeOutcome outcome = readiness.check(inst);
          inst.ready = outcome.ready();
          inst.detail = outcome.detail();
        }
      }
      if (s.allReady()) {
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        s.phase = "ready";
        s.everReady = true;
        events.emit(EventKind.SERVICE_READY, s.spec.name(), s.spec.name() + " is ready"
            + (s.url() != null ? " at " + s.url() : "") + " (" + Durations.format(took) + ")",
            Map.of("millis", took.toMillis(), "version", s.version));
        s.healthy.complete(null);
        return;
      }
      if (System.nanoTime() > deadline) {
        InstanceRuntime first = s.instances.stream().filter(i -> !i.ready).findFirst().orElseThrow();
        throw new EngineException(s.spec.name(), s.spec.name() + " did not become ready within "
            + Durations.format(timeout) + " (last check: " + first.detail + ")",
            "look at the log lines below; raise `services." + s.spec.name()
                + ".health.startupTimeout` if it is just slow", masked(first.handle.tail(20)));
      }
      sleep(settings.startupProbeInterval());
    }
  }

  private void instanceChanged(ServiceRuntime s, InstanceRuntime inst, ProcessState st, String detail) {
    switch (st) {
      case BACKOFF -> {
        inst.ready = false;
        events.emit(EventKind.INSTANCE_CRASHED, inst.id, inst.id + " exited: " + detail,
            Map.of("log", inst.handle == null ? List.of() : inst.handle.tail(10)));
      }
      case CRASH_LOOP -> {
        inst.ready = false;
        events.emit(EventKind.CRASH_LOOP, inst.id, inst.id + " is crash-looping: " + detail,
            Map.of("log", inst.handle == null ? List.of() : inst.handle.tail(20)));
      }
      case RUNNING -> {
        if (inst.handle != null && inst.handle.restarts() > 0) {
          inst.ready = false;
          events.emit(EventKind.INSTANCE_RESTARTED, inst.id, inst.id + " restarted (restart "
              + inst.handle.restarts() + ")" + (detail == null || detail.isEmpty() ? "" : ": " + detail));
          HealthMonitor m = monitor;
          if (m != null) {
            m.wake(inst);
          }
        }
      }
      default -> { }
    }
  }

  private CompletableFuture<Void> condition(String name, DependencyCondition condition) {
    ResourceRuntime r = resources.get(name);
    if (r != null) {
      return condition == DependencyCondition.HEALTHY ? r.healthy : r.started;
    }
    ServiceRuntime s = services.get(name);
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
    if (failure.complete(e)) {
      events.emit(EventKind.UP_FAILED, e.subject(), e.getMessage(),
          Map.of("hint", e.hint() == null ? "" : e.hint(), "log", e.details()));
    }
  }

  /** Targets mask what they return; masking again here keeps a careless target from leaking. */
  private List<String> masked(List<String> lines) {
    return lines.stream().map(masker::mask).toList();
  }

  static EngineException fromTarget(TargetException e) {
    return new EngineException(e.subject(), e.getMessage(), e.hint(), e.details(), e);
  }

  private static EngineException unexpected(String subject, String what, RuntimeException e) {
    return new EngineException(subject, "unexpected error during " + what + " of " + subject + ": " + e,
        "run with --stacktrace and report it", List.of(), e);
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
  }

  /** Makes a running {@link #up()} stop waiting and fail with {@code reason}. */
  public void abort(String reason) {
    failure.complete(new EngineException(null, reason, null, List.of()));
  }

  /** Stops everything in reverse start order and, with {@code volumes}, deletes backing-service data. */
  public void down(boolean volumes) {
    state = "stopping";
    HealthMonitor m = monitor;
    if (m != null) {
      m.stop();
    }
    events.emit(EventKind.STOPPING, null, "stopping " + app.name());
    for (StartupPlan.Step step : plan.stopOrder()) {
      if (step.kind() == StartupPlan.Kind.SERVICE) {
        ServiceRuntime s = services.get(step.name());
        s.phase = "stopping";
        boolean any = false;
        for (InstanceRuntime inst : s.instances) {
          if (inst.handle != null) {
            inst.handle.stop(settings.stopGrace());
            inst.ready = false;
            any = true;
          }
        }
        s.phase = "stopped";
        if (any) {
          events.emit(EventKind.STOPPED, s.spec.name(), "stopped " + s.spec.name());
        }
      } else {
        ResourceRuntime r = resources.get(step.name());
        if (r.handle != null) {
          r.handle.stop(settings.stopGrace());
          events.emit(EventKind.STOPPED, r.spec.name(), "stopped " + r.spec.name());
        }
        r.state = "stopped";
        r.isHealthy = false;
      }
    }
    target.close();
    if (volumes) {
      try {
        for (String line : target.deleteData(resources.keySet())) {
          events.emit(EventKind.INFO, null, line);
        }
      } catch (TargetException e) {
        events.emit(EventKind.WARNING, e.subject(), e.getMessage());
      }
    }
    state = "stopped";
    events.emit(EventKind.STOPPED, null, app.name() + " stopped" + (volumes ? " and its data deleted" : ""));
  }

  /** The current state of the whole stack: {@code starting}, {@code ready}, {@code failed}, ... */
  public String state() {
    HealthMonitor m = monitor;
    if ("ready".equals(state) && m != null && !m.allHealthy()) {
      return "degraded";
    }
    return state;
  }

  /** The stack as the API shows it. */
  public dev.slipway.api.StatusView status(dev.slipway.api.StatusView.ControlPlaneView controlPlane) {
    return StatusBuilder.build(this, controlPlane);
  }

  /** Whether {@code name} is a service of this stack. */
  public boolean hasService(String name) {
    return services.containsKey(name);
  }

  /**
   * The last {@code lines} log lines of each instance of {@code service}, masked, prefixed with the
   * instance id when there are several.
   */
  public List<String> logTail(String service, int lines) {
    ServiceRuntime s = services.get(service);
    List<String> out = new ArrayList<>();
    for (InstanceRuntime inst : s.instances) {
      if (inst.handle == null) {
        continue;
      }
      for (String line : inst.handle.tail(lines)) {
        out.add(s.instances.size() > 1 ? inst.id + " | " + line : line);
      }
    }
    return out;
  }

  /** The log files of {@code service}'s instances, by instance id, for following. */
  public Map<String, java.nio.file.Path> logFiles(String service) {
    Map<String, java.nio.file.Path> files = new LinkedHashMap<>();
    for (InstanceRuntime inst : services.get(service).instances) {
      if (inst.handle != null) {
        inst.handle.logFile().ifPresent(p -> files.put(inst.id, p));
      }
    }
    return files;
  }

  public AppSpec app() {
    return app;
  }

  Map<String, ResourceRuntime> resources() {
    return resources;
  }

  Map<String, ServiceRuntime> services() {
    return services;
  }
}
