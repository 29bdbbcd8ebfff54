package dev.slipway.engine;

import dev.slipway.api.DeployRequest;
import dev.slipway.api.DeploymentView;
import dev.slipway.api.EventKind;
import dev.slipway.api.HistoryView;
import dev.slipway.engine.runtime.ArtifactRef;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.StrategyKind;
import dev.slipway.model.StrategySpec;
import dev.slipway.plan.ImmediatePlanner;
import dev.slipway.plan.ReleasePlan;
import dev.slipway.plan.ReleasePlanner;
import dev.slipway.store.Deployment;
import dev.slipway.store.DeploymentPhase;
import dev.slipway.store.DeploymentState;
import dev.slipway.store.NewDeployment;
import dev.slipway.store.Release;
import dev.slipway.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Releases of a running stack: {@code deploy}, {@code promote}, {@code abort}, {@code rollback},
 * {@code history}. One rollout per service at a time (the store guarantees it); each runs in its own
 * thread and survives a control-plane restart through {@link #recover()}.
 */
public final class ReleaseEngine {
  private final EngineContext ctx;
  private final Releases releases;
  private final Map<String, RolloutRunner> runners = new ConcurrentHashMap<>();
  /** One deploy or rollback of a service is prepared at a time (a build of it, say): locks, never monitors. */
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  /** The last ended deployment of each service, read from the store once, forgotten when another ends. */
  private final Map<String, Optional<DeploymentView>> lastEnded = new ConcurrentHashMap<>();

  ReleaseEngine(EngineContext ctx, Releases releases) {
    this.ctx = ctx;
    this.releases = releases;
  }

  Analyst analyst() {
    return ctx.analyst;
  }

  /** Ships a new release of {@code service}: builds it, records it, starts its rollout; returns at once. */
  public DeploymentView deploy(String service, DeployRequest request) throws EngineException {
    ServiceRuntime s = running(service);
    ReentrantLock lock = takeTurn(service, request.queue());
    try {
      try {
        StrategySpec strategy = strategy(s, request.strategy());
        ReleasePlanner planner = ReleasePlanner.forStrategy(strategy);
        TargetSupport.require(ctx.target, service, planner, planner.plan(strategy, s.spec.replicas(), true));
        ArtifactRef artifact = null;
        if (s.spec.build() != null) {
          ctx.events.emit(EventKind.BUILD_STARTED, service, "building " + service);
          var built = ctx.target.build(service, s.spec.build(), ctx.settings.buildTimeout());
          s.buildDigest = built.digest();
          artifact = ctx.target.snapshot(service, s.spec.build());
          ctx.events.emit(EventKind.BUILD_FINISHED, service, (built.ran() ? "built " + service + " in "
              + Durations.format(built.took()) : service + " is up to date") + " (" + built.reason() + ")");
        }
        Release release = releases.ensure(s, artifact, request.set() == null ? Map.of() : request.set(),
            request.version(), request.force());
        if (release.id().equals(s.stable.id())) {
          throw new EngineException(service, "nothing to deploy: " + release.id() + " (" + release.version()
              + ") already runs this artifact and configuration",
              "change the code or pass --set KEY=VALUE, --version LABEL or --force", List.of())
              .as(EngineException.Kind.CONFLICT);
        }
        return start(s, s.stable, releases.set(release), strategy, planner);
      } catch (TargetException e) {
        throw EngineErrors.fromTarget(e);
      } catch (StoreException e) {
        throw storeError(e);
      }
    } finally {
      lock.unlock();
    }
  }

  private DeploymentView start(ServiceRuntime s, ReleaseSet from, ReleaseSet to, StrategySpec strategy,
      ReleasePlanner planner) throws StoreException {
    ReleasePlan plan = planner.plan(strategy, s.spec.replicas(), from != null);
    StepState initial = new StepState();
    initial.strategyJson = StrategyJson.write(strategy);
    Deployment d = ctx.store.startDeployment(new NewDeployment(ctx.environment, s.spec.name(),
        from == null ? null : from.id(), to.id(), planner.id(), initial.toJson()));
    ctx.record(EventKind.ROLLOUT_STARTED, s.spec.name(), d.id(), "deploying " + s.spec.name() + " "
        + (from == null ? "" : from.id() + " (" + from.version() + ") → ") + to.id() + " (" + to.version() + ") by "
        + planner.id() + ", " + plan.steps().size() + " steps", Map.of("deployment", d.id(), "to", to.id()));
    RolloutRunner runner = new RolloutRunner(ctx, this::ended, this::finished, s, d, plan, from, to);
    runners.put(s.spec.name(), runner);
    ctx.clock.start("rollout-" + s.spec.name(), runner::run);
    return Views.deployment(d, plan, runner.weights(), from, to, null);
  }

  /** Continues a paused rollout; {@code full} skips its remaining steps. Stored before it is answered. */
  public DeploymentView promote(String service, boolean full) throws EngineException {
    RolloutRunner r = active(service, "promote");
    try {
      if (!r.promote(full)) {
        throw new EngineException(service, "nothing to promote: the rollout of " + service + " is rolling back ("
            + r.deployment().reason() + ")", "see `slipway status`", List.of()).as(EngineException.Kind.CONFLICT);
      }
    } catch (StoreException e) {
      throw storeError(e);
    }
    ctx.record(EventKind.INFO, service, r.deployment().id(), "promote" + (full ? " --full" : "") + " requested", Map.of());
    return view(r);
  }

  /**
   * Stops the rollout of {@code service}: traffic back to the stable release, candidate stopped. The
   * decision is stored before this returns, so a control plane that crashes right after still rolls back.
   */
  public DeploymentView abort(String service) throws EngineException {
    RolloutRunner r = active(service, "abort");
    r.abort("aborted on request", DeploymentState.ABORTED);
    return view(r);
  }

  /**
   * Returns {@code service} to an earlier release: during a rollout, that is the stable one (at
   * once); otherwise {@code toRelease}, by default the release before the current one.
   */
  public DeploymentView rollback(String service, String toRelease) throws EngineException {
    ServiceRuntime s = running(service);
    RolloutRunner r = runners.get(service);
    if (r != null && toRelease == null && r.deployment().state().active()) {
      r.abort("rolled back on request", DeploymentState.ROLLED_BACK);
      return view(r);
    }
    ReentrantLock lock = takeTurn(service, false);
    try {
      try {
        String target = toRelease != null ? toRelease : previousRelease(service).orElseThrow(() ->
            new EngineException(service, service + " has no earlier release to roll back to",
                "see `slipway history " + service + "`", List.of()).as(EngineException.Kind.CONFLICT));
        Release release = ctx.store.release(ctx.environment, target).orElseThrow(() ->
            new EngineException(service, "no release " + target + " of " + service, "see `slipway history " + service
                + "`", List.of()).as(EngineException.Kind.NOT_FOUND));
        if (!release.service().equals(service)) {
          throw new EngineException(service, target + " is a release of " + release.service() + ", not " + service,
              null, List.of()).as(EngineException.Kind.INVALID);
        }
        if (release.id().equals(s.stable.id())) {
          throw new EngineException(service, service + " already runs " + target, null, List.of())
              .as(EngineException.Kind.CONFLICT);
        }
        return start(s, s.stable, releases.set(release), s.spec.strategy(), new ImmediatePlanner());
      } catch (TargetException e) {
        throw EngineErrors.fromTarget(e);
      } catch (StoreException e) {
        throw storeError(e);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Releases and deployments of {@code service}, newest first. */
  public HistoryView history(String service) throws EngineException {
    if (!ctx.services.containsKey(service)) {
      throw unknown(service);
    }
    try {
      String current = ctx.store.currentRelease(ctx.environment, service).orElse(null);
      List<HistoryView.ReleaseView> rels = new ArrayList<>();
      for (Release r : ctx.store.releases(ctx.environment, service)) {
        rels.add(new HistoryView.ReleaseView(r.id(), r.version(), r.artifactDigest() == null ? null
            : r.artifactDigest().substring(0, 12), r.createdAt().toString(), r.createdBy(), r.id().equals(current)));
      }
      List<DeploymentView> deps = new ArrayList<>();
      for (Deployment d : ctx.store.history(ctx.environment, service, 50)) {
        RolloutRunner live = runners.get(service);
        deps.add(live != null && live.deployment().id() == d.id() ? view(live) : Views.stored(d, ctx.store));
      }
      return new HistoryView(service, current, rels, deps);
    } catch (StoreException e) {
      throw storeError(e);
    }
  }

  /** The rollout in progress for {@code service}, if any. */
  public Optional<DeploymentView> activeRollout(String service) {
    RolloutRunner r = runners.get(service);
    return r == null || !r.deployment().state().active() ? Optional.empty() : Optional.of(view(r));
  }

  /**
   * The most recent deployment of {@code service} that has ended (succeeded, rolled back, aborted or
   * failed), so that {@code status} tells how the last release went; empty when none has.
   */
  public Optional<DeploymentView> lastRollout(String service) {
    Optional<DeploymentView> last = lastEnded.computeIfAbsent(service, k -> {
      try {
        for (Deployment d : ctx.store.history(ctx.environment, service, 20)) {
          if (!d.state().active()) {
            return Optional.of(Views.stored(d, ctx.store));
          }
        }
        return Optional.empty();
      } catch (StoreException e) {
        // Not cached: the next status asks the store again.
        return null;
      }
    });
    return last == null ? Optional.empty() : last;
  }

  /** A deployment of {@code service} has just ended: the next {@link #lastRollout} reads it. */
  void ended(String service) {
    lastEnded.remove(service);
  }

  /** After a control-plane restart: reattach to each interrupted rollout and continue it. */
  void recover() throws StoreException, TargetException {
    Chaos.maybeFailRecovery();
    for (Deployment d : ctx.store.activeDeployments(ctx.environment)) {
      ServiceRuntime s = ctx.services.get(d.service());
      if (s == null || s.stable == null) {
        finish(d, DeploymentState.ABORTED, "service no longer in the model");
        continue;
      }
      Release to = ctx.store.release(ctx.environment, d.toRelease()).orElse(null);
      if (to == null) {
        finish(d, DeploymentState.ABORTED, "release " + d.toRelease() + " is gone");
        continue;
      }
      StepState st = StepState.fromJson(d.stepStateJson());
      StrategySpec strategy = st.strategyJson == null ? s.spec.strategy() : StrategyJson.read(st.strategyJson);
      ReleasePlanner planner = ReleasePlanner.forDeployment(d.strategy(), strategy);
      ReleasePlan plan = planner.plan(strategy, s.spec.replicas(), d.fromRelease() != null);
      RolloutRunner runner = new RolloutRunner(ctx, this::ended, this::finished, s, d, plan, s.stable.id().equals(d.fromRelease()) ? s.stable
          : null, releases.set(to));
      runner.restore();
      runners.put(s.spec.name(), runner);
      ctx.record(EventKind.ROLLOUT_STEP, s.spec.name(), d.id(), (d.phase() == DeploymentPhase.ROLLING_BACK
          ? "finishing the rollback of " + to.id() + " (" + d.reason() + ")"
          : "resuming the rollout of " + to.id() + " at step " + (d.step() + 1) + "/" + plan.steps().size() + " ("
              + Views.phase(d.phase()) + ")") + " after a control-plane restart", Map.of("phase", Views.phase(d.phase())));
      ctx.clock.start("rollout-" + s.spec.name(), runner::run);
    }
  }

  /** Marks rollouts whose processes are gone (the stack was stopped meanwhile) as aborted. */
  void abandonStaleDeployments(String reason) throws StoreException {
    for (Deployment d : ctx.store.activeDeployments(ctx.environment)) {
      if (d.phase() == DeploymentPhase.ROLLING_BACK && d.fromRelease() != null
          && StepState.fromJson(d.stepStateJson()).promoted) {
        // The rollback was decided: what starts now is the release it went back to.
        ctx.store.setCurrentRelease(ctx.environment, d.service(), d.fromRelease());
      }
      finish(d, DeploymentState.ABORTED, reason);
    }
  }

  /** The stack is going down: rollouts end where they are (recorded as aborted). */
  void stopAll(String reason) {
    for (RolloutRunner r : runners.values()) {
      r.halt(reason);
    }
  }

  /** This control plane stops acting: rollouts stop where they are, and nothing is written or changed. */
  void detachAll(String reason) {
    for (RolloutRunner r : runners.values()) {
      r.detach(reason);
    }
  }

  void finished(RolloutRunner r) {
    runners.remove(r.s.spec.name(), r);
  }

  /** The release {@code service} ran before its current one, from its successful deployments. */
  private Optional<String> previousRelease(String service) throws StoreException {
    Optional<String> current = ctx.store.currentRelease(ctx.environment, service);
    for (Deployment d : ctx.store.history(ctx.environment, service, 100)) {
      if (d.state() == DeploymentState.SUCCEEDED && current.isPresent() && d.toRelease().equals(current.get())
          && d.fromRelease() != null) {
        return Optional.of(d.fromRelease());
      }
    }
    List<Release> all = ctx.store.releases(ctx.environment, service);
    for (int i = 0; i < all.size(); i++) {
      if (current.isPresent() && all.get(i).id().equals(current.get()) && i + 1 < all.size()) {
        return Optional.of(all.get(i + 1).id());
      }
    }
    return Optional.empty();
  }

  /**
   * Returns holding the service's lock, with no rollout of it in progress. Without {@code queue}, a
   * rollout in progress (or another deploy being prepared) is refused at once; with it, this waits —
   * polling, never blocked on a monitor — at most the queue timeout, then refuses saying so.
   */
  private ReentrantLock takeTurn(String service, boolean queue) throws EngineException {
    ReentrantLock lock = locks.computeIfAbsent(service, k -> new ReentrantLock());
    long deadline = ctx.clock.deadline(ctx.settings.queueTimeout());
    Deployment last = null;
    while (true) {
      if (lock.tryLock()) {
        Optional<Deployment> active;
        try {
          active = ctx.store.activeDeployment(ctx.environment, service);
        } catch (StoreException e) {
          lock.unlock();
          throw storeError(e);
        }
        if (active.isEmpty()) {
          return lock;
        }
        lock.unlock();
        last = active.get();
        if (!queue) {
          throw new EngineException(service, Views.inProgress(last),
              "wait for it (`slipway deploy … --queue`), or `slipway abort " + service + "`", List.of())
              .as(EngineException.Kind.CONFLICT);
        }
      } else if (!queue) {
        throw new EngineException(service, "another deploy of " + service + " is being prepared (built and recorded)",
            "wait for it (`slipway deploy … --queue`)", List.of()).as(EngineException.Kind.CONFLICT);
      }
      if (ctx.clock.past(deadline)) {
        throw new EngineException(service, "gave up waiting after " + Durations.format(ctx.settings.queueTimeout())
            + ": " + (last == null ? "another deploy of " + service + " is still being prepared" : Views.inProgress(last)),
            "try again later, or `slipway abort " + service + "` the rollout in progress", List.of())
            .as(EngineException.Kind.CONFLICT);
      }
      ctx.clock.pause(Duration.ofMillis(500));
    }
  }

  private StrategySpec strategy(ServiceRuntime s, String requested) throws EngineException {
    StrategySpec model = s.spec.strategy();
    StrategyKind kind = requested == null ? model.kind() : StrategyKind.byName(requested).orElseThrow(() ->
        new EngineException(s.spec.name(), "unknown strategy `" + requested + "`", "use " + StrategyKind.ids(),
            List.of()).as(EngineException.Kind.INVALID));
    StrategySpec chosen = model.kind() == kind ? model : kind.defaults();
    if (!s.routed() && chosen.kind() != StrategyKind.ROLLING) {
      ctx.events.emit(EventKind.INFO, s.spec.name(), s.spec.name() + " takes no traffic (no `port`): "
          + chosen.id() + " becomes a rolling replacement");
      return StrategyKind.ROLLING.defaults();
    }
    return chosen;
  }

  private ServiceRuntime running(String service) throws EngineException {
    ServiceRuntime s = ctx.services.get(service);
    if (s == null) {
      throw unknown(service);
    }
    if (s.stable == null) {
      throw new EngineException(service, service + " is not running", "start the stack with `slipway up`", List.of())
          .as(EngineException.Kind.CONFLICT);
    }
    return s;
  }

  private RolloutRunner active(String service, String verb) throws EngineException {
    if (!ctx.services.containsKey(service)) {
      throw unknown(service);
    }
    RolloutRunner r = runners.get(service);
    // A runner whose deployment has ended is only tidying up: nothing to act on.
    if (r == null || !r.deployment().state().active()) {
      throw new EngineException(service, "nothing to " + verb + ": " + service + " has no rollout in progress",
          "start one with `slipway deploy " + service + "`", List.of()).as(EngineException.Kind.CONFLICT);
    }
    return r;
  }

  private EngineException unknown(String service) {
    return new EngineException(service, "no service named `" + service + "`", "services: "
        + String.join(", ", ctx.services.keySet()), List.of()).as(EngineException.Kind.NOT_FOUND);
  }

  private void finish(Deployment d, DeploymentState state, String reason) throws StoreException {
    ctx.store.update(d.withState(state).withReason(reason));
    ended(d.service());
    ctx.record(EventKind.ROLLOUT_ABORTED, d.service(), d.id(), "deployment #" + d.id() + " of " + d.service()
        + " ended: " + reason, Map.of("state", Views.state(state), "reason", reason));
  }

  private DeploymentView view(RolloutRunner r) {
    return Views.deployment(r.deployment(), r.plan, r.weights(), r.from, r.to, r.warmUntil());
  }

  private static EngineException storeError(StoreException e) {
    return EngineErrors.fromStore(e);
  }
}
