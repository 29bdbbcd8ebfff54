package dev.slipway.server.team;

import dev.slipway.api.team.FreezeView;
import dev.slipway.api.team.RunView;
import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.server.ApiError;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Everything the server does for a user on an environment: a run is persisted {@code pending} before it
 * acts (decision 0019), then executed on a virtual thread, so it outlives the request that asked for it and a
 * crash leaves a row that {@link #recover} finishes at the next start.
 */
public final class Runs implements AutoCloseable {
  /** The reason every run a crash interrupted ends with. */
  public static final String RESTARTED = "server restarted during the run";

  private final RunLedger ledger;
  private final TeamModel model;
  private final RunActions actions;
  private final Clock clock;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Consumer<RunView>> endListeners = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  /** Set when the server stops: a run interrupted by it is left as stored, for {@link #recover} to finish. */
  private volatile boolean closing;

  Runs(RunLedger ledger, TeamModel model, RunActions actions, Clock clock) {
    this.ledger = ledger;
    this.model = model;
    this.actions = actions;
    this.clock = clock;
  }

  /**
   * Checks the request against the model and the environment's state, persists the run as
   * {@code pending} with its audit entry, and starts it.
   *
   * @throws ApiError 404 for an unknown environment or service; 409 {@code local-target}, {@code protected}
   *                  or {@code frozen}
   */
  public RunView start(RunRequest request) {
    admit(request);
    RunView run = ledger.create(request, clock.instant(), new RunLedger.Audit(request.requestedBy(), request.kind(),
        request.environment(), request.service(), null, null, null, request.image(), reason(request), details(request)));
    signal();
    executor.submit(() -> execute(run, request, false));
    return run;
  }

  public Optional<RunView> get(long id) {
    return ledger.get(id);
  }

  /** Newest first; {@code environment} null for every environment of the model. */
  public List<RunView> list(String environment, int limit) {
    if (environment != null) {
      return ledger.list(environment, limit);
    }
    return model.base().environments().keySet().stream().flatMap(e -> ledger.list(e, limit).stream())
        .sorted(java.util.Comparator.comparingLong(RunView::id).reversed()).limit(limit).toList();
  }

  /**
   * Waits until the run differs from how it is now (a new state or message) or has ended, at most
   * {@code max}; returns it as it is then.
   *
   * @throws ApiError 404 when there is no such run
   */
  public RunView await(long id, Duration max) throws InterruptedException {
    RunView first = ledger.get(id).orElseThrow(() -> ApiError.notFound("unknown-run", "no run " + id
        + "; list them: slipway runs"));
    long deadline = System.nanoTime() + max.toNanos();
    RunView now = first;
    while (!now.finished() && now.equals(first)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      lock.lock();
      try {
        changed.await(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
      } finally {
        lock.unlock();
      }
      now = ledger.get(id).orElse(now);
    }
    return now;
  }

  /** Calls {@code listener} with every run that ends (from the executing thread); returns how to stop. */
  public Runnable onEnd(Consumer<RunView> listener) {
    endListeners.add(listener);
    return () -> endListeners.remove(listener);
  }

  /**
   * Finishes every run a crash left {@code pending} or {@code running}: each continues with
   * {@code resume=true} (a stored rollback is finished, a rollout resumed or rolled back) and ends in a
   * recorded terminal state whose message says the server restarted.
   */
  public void recover() {
    for (RunView run : ledger.unfinished()) {
      RunRequest request = ledger.request(run.id()).orElseGet(() -> new RunRequest(run.kind(), run.environment(),
          run.service(), run.requestedBy(), run.image(), null, null, null, null, false, run.promotionId()));
      executor.submit(() -> execute(run, request, true));
    }
  }

  private void admit(RunRequest r) {
    AppSpec app = model.forEnvironment(r.environment());
    EnvironmentSpec env = app.environments().get(r.environment());
    if (!app.services().containsKey(r.service())) {
      throw ApiError.notFound("unknown-service", "no service named `" + r.service() + "` in " + model.file()
          + "; services: " + String.join(", ", app.services().keySet()));
    }
    if (env.target() != EnvironmentSpec.TargetKind.KUBERNETES) {
      throw ApiError.conflict("local-target", "Not a server environment", r.environment() + " is a local environment: "
          + "the server drives kubernetes environments only", "run it on your machine without a server (SLIPWAY_SERVER unset): slipway up "
          + "--env " + r.environment() + ", or slipway deploy " + r.service() + " --env " + r.environment());
    }
    if (RunRequest.ROLLBACK.equals(r.kind())) {
      ClusterRunActions.revision(r.toRelease()); // a malformed release id is the caller's 400, before anything is stored
    }
    boolean direct = r.promotionId() == 0 && RunRequest.DEPLOY.equals(r.kind());
    if (direct && env.isProtected()) {
      throw ApiError.conflict("protected", "Protected environment", r.environment() + " is protected: it takes "
          + "releases only through a promotion", "promote a verified release into it: slipway promote --to "
          + r.environment());
    }
    Optional<FreezeView> freeze = ledger.freeze(r.environment(), clock.instant());
    if (direct && freeze.isPresent() && !r.overrideFreeze()) {
      FreezeView f = freeze.get();
      throw ApiError.conflict("frozen", "Frozen environment", r.environment() + " is frozen until " + f.until() + ": "
          + f.reason() + " (by " + f.by() + ")", "wait until then, or, as an admin, deploy with `--override-freeze "
          + "--reason …` (recorded in the audit)");
    }
  }

  private void execute(RunView run, RunRequest request, boolean recovering) {
    RunView ended;
    try {
      RunView running = ledger.update(run.id(), "running", recovering ? "resuming: " + RESTARTED : "started",
          null, null, null, null);
      signal();
      RunActions.Outcome outcome = actions.perform(running, request, recovering, line -> {
        if (!closing) {
          ledger.update(run.id(), "running", line, null, null, null, null);
          signal();
        }
      });
      if (closing) {
        return; // stopped mid-run, like a crash but tidier: the next start resumes it
      }
      String message = recovering ? outcome.message() + " (" + RESTARTED + ")" : outcome.message();
      ended = ledger.update(run.id(), outcome.state(), message, outcome.release(), outcome.image(), clock.instant(),
          new RunLedger.Audit(run.requestedBy(), "run.end", run.environment(), run.service(), outcome.beforeRelease(),
              outcome.release(), outcome.beforeImage(), outcome.image(), recovering ? RESTARTED : null,
              "run " + run.id() + " (" + run.kind() + ") " + outcome.state() + ": " + outcome.message()));
    } catch (RuntimeException e) {
      if (closing) {
        return;
      }
      String message = "the server failed running it: " + e.getMessage() + (recovering ? " (" + RESTARTED + ")" : "");
      ended = ledger.update(run.id(), "failed", message, null, null, clock.instant(),
          new RunLedger.Audit(run.requestedBy(), "run.end", run.environment(), run.service(), null, null, null, null,
              recovering ? RESTARTED : null, "run " + run.id() + " (" + run.kind() + ") failed: " + message));
    }
    signal();
    for (Consumer<RunView> listener : endListeners) {
      try {
        listener.accept(ended);
      } catch (RuntimeException e) {
        // A listener's failure (a promotion's bookkeeping) must not hide the run's end from the others.
      }
    }
  }

  private static String reason(RunRequest r) {
    if (r.overrideFreeze()) {
      return "freeze overridden" + (r.reason() == null ? "" : ": " + r.reason());
    }
    return r.reason();
  }

  private static String details(RunRequest r) {
    StringBuilder b = new StringBuilder(r.kind());
    if (r.image() != null) {
      b.append(" image=").append(r.image());
    }
    if (r.imageTag() != null) {
      b.append(" imageTag=").append(r.imageTag());
    }
    if (r.strategy() != null) {
      b.append(" strategy=").append(r.strategy());
    }
    if (r.toRelease() != null) {
      b.append(" toRelease=").append(r.toRelease());
    }
    if (r.promotionId() != 0) {
      b.append(" promotion=").append(r.promotionId());
    }
    return b.toString();
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Stops taking runs; runs in flight are left to {@link #recover} at the next start, as after a crash. */
  @Override
  public void close() {
    closing = true;
    executor.shutdownNow();
  }
}
