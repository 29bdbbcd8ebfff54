package dev.slipway.engine;

import dev.slipway.api.EventKind;
import dev.slipway.api.StatusView;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.Target;
import dev.slipway.model.AppSpec;
import dev.slipway.plan.StartupPlan;
import dev.slipway.plan.StartupPlanner;
import dev.slipway.store.StateStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A whole application on a target, as the control plane drives it: {@link #up} brings it up (or takes
 * over what an earlier control plane left running, see {@link StackStartup}), {@link #releases} ships
 * releases, {@link #down} and {@link #detach} let go of it ({@link StackShutdown}), and the queries
 * ({@link #status}, {@link #logTail}) read it. This class only wires those parts together.
 */
public final class StackRunner {
  private final EngineContext ctx;
  private final ReleaseEngine releaseEngine;
  private final StackStartup startup;
  private final StackShutdown shutdown;
  private volatile String state = "starting";

  public StackRunner(AppSpec app, Target target, StateStore store, EventLog events, SecretMasker masker,
      EngineSettings settings, Map<String, String> processEnv) {
    this(app, target, store, events, masker, settings, processEnv, EngineClock.SYSTEM, Chaos.fromEnvironment(), null);
  }

  /** With {@code analyst}, that one judges canaries instead of the router's or Prometheus's metrics (tests). */
  StackRunner(AppSpec app, Target target, StateStore store, EventLog events, SecretMasker masker,
      EngineSettings settings, Map<String, String> processEnv, EngineClock clock, Chaos chaos, Analyst analyst) {
    this.ctx = new EngineContext(app, target, store, events, masker, settings, clock, chaos);
    StartupPlan plan = StartupPlanner.plan(app);
    Releases releases = new Releases(ctx);
    this.releaseEngine = new ReleaseEngine(ctx, releases);
    this.startup = new StackStartup(ctx, plan, releases, releaseEngine, new AnalystChoice(analyst), processEnv,
        s -> state = s);
    this.shutdown = new StackShutdown(ctx, plan, releaseEngine);
  }

  /** Releases: deploy, promote, abort, rollback, history. */
  public ReleaseEngine releases() {
    return releaseEngine;
  }

  /**
   * Labels the releases {@link #up()} creates with {@code version} instead of their digest, so that
   * {@code APP_VERSION} and the status say it (a preview started with {@code --version}).
   */
  public void labelReleases(String version) {
    startup.releaseLabel(version);
  }

  /**
   * Starts everything (or takes over what an earlier control plane left running) and returns once
   * every service and backing service is ready.
   *
   * @throws EngineException the first failure; what had started is stopped again
   */
  public void up() throws EngineException {
    startup.run();
  }

  /** Makes a running {@link #up()} stop waiting and fail with {@code reason}. */
  public void abort(String reason) {
    startup.abort(reason);
  }

  /**
   * Whether this {@link #up()} took over what an earlier control plane left running. If such an
   * {@code up} fails, {@link #detach} rather than {@link #down}: stopping would turn a failed
   * take-over into an outage.
   */
  public boolean tookOver() {
    return startup.recovering();
  }

  /**
   * Stops acting and changes nothing: health monitoring ends, rollouts stop where they are without
   * a word to the store, and every process (instances, backing services, the router) keeps
   * serving, for the next control plane to take over. The target is not closed, as closing it
   * stops what it runs.
   */
  public void detach(String reason) {
    state = "detached";
    shutdown.detach(startup.monitor(), reason);
  }

  /** Stops everything in reverse start order and, with {@code volumes}, deletes backing-service data. */
  public void down(boolean volumes) {
    state = "stopping";
    shutdown.down(startup.monitor(), volumes);
    state = "stopped";
    ctx.events.emit(EventKind.STOPPED, null, ctx.app.name() + " stopped" + (volumes ? " and its data deleted" : ""));
  }

  /** The current state of the whole stack: {@code starting}, {@code ready}, {@code failed}, ... */
  public String state() {
    HealthMonitor m = startup.monitor();
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
}
