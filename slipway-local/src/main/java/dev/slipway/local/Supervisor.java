package dev.slipway.local;

import dev.slipway.engine.runtime.ProcessState;
import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.Durations;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Keeps one command running: starts it in its own process group, notices its exit through
 * {@link Process#onExit()} (no polling), restarts it with {@link Backoff}, and stops the whole group
 * on request. Used for service instances, database servers and the router alike.
 *
 * <p>It can also take over a group an earlier control plane started ({@link #adopt}): that process
 * is not our child, so its exit is noticed by reading {@code /proc} every 100 ms (a zombie counts as
 * gone); from its first restart on, it is supervised like any other.
 */
final class Supervisor {

  private static final System.Logger LOG = System.getLogger(Supervisor.class.getName());

  /** Threads shared by the supervisors of one target: one timer thread, virtual threads for work. */
  record Threads(ScheduledExecutorService timer, ExecutorService workers) {}

  /** Receives state changes, in the order they happened. */
  interface Listener {
    void changed(ProcessState state, String detail);
  }

  private record Event(ProcessState state, String detail) {}

  /** How often an adopted process (not our child) is looked up in /proc. */
  private static final Duration ADOPTED_POLL = Duration.ofMillis(100);

  private final Launch launch;
  private final ProcessRegistry registry;
  private final Threads threads;
  private final SecretMasker masker;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Queue<Event> events = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean delivering = new AtomicBoolean();
  private final ReentrantLock lock = new ReentrantLock();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final Backoff backoff = new Backoff();

  // Guarded by lock.
  private Incarnation current;
  /** The last incarnation that exited or was replaced; its group may still have members. */
  private Incarnation previous;
  private ProcessState state = ProcessState.STOPPED;
  private boolean started;
  private boolean stopping;
  private boolean crashLoop;
  private int attempts;
  private int restarts;
  private int exits;
  private ScheduledFuture<?> pendingRestart;
  private ScheduledFuture<?> stableCheck;

  Supervisor(Launch launch, ProcessRegistry registry, Threads threads, SecretMasker masker) {
    this.launch = launch;
    this.registry = registry;
    this.threads = threads;
    this.masker = masker;
  }

  Launch launch() {
    return launch;
  }

  void addListener(Listener listener) {
    listeners.add(listener);
  }

  /** Starts the first incarnation. */
  void start() throws IOException {
    locked(() -> {
      if (started) {
        throw new IllegalStateException(launch.name() + " already started");
      }
      started = true;
      return null;
    });
    lock.lock();
    try {
      spawnLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes over a group an earlier control plane started and left running, instead of starting one.
   * Counts as the first incarnation: {@link #restarts()} starts at 0.
   */
  void adopt(ProcessRegistry.Entry entry) throws IOException {
    locked(() -> {
      if (started) {
        throw new IllegalStateException(launch.name() + " already started");
      }
      started = true;
      return null;
    });
    lock.lock();
    try {
      attempts++;
      Incarnation inc = Incarnation.adopted(entry.pid(), entry.startTicks(), attempts);
      registry.register(entry(inc));
      current = inc;
      state = ProcessState.RUNNING;
      log("--- slipway: adopted " + launch.name() + " (pid " + inc.pid() + ") at " + Instant.now());
      watch(inc);
      stableCheck = schedule(() -> stable(inc), Backoff.STABLE);
    } finally {
      lock.unlock();
    }
  }

  long pid() {
    return locked(() -> current == null ? -1L : current.pid());
  }

  ProcessState state() {
    return locked(() -> state);
  }

  int restarts() {
    return locked(() -> restarts);
  }

  /** How often an incarnation has exited without being asked to. */
  int exits() {
    return locked(() -> exits);
  }

  Instant startedAt() {
    return locked(() -> current == null ? null : current.startedAt());
  }

  /** Gives up on a server that did not come up: stops it, returns an error carrying its log tail. */
  TargetException failStart(String message, String hint) {
    List<String> tail = LogTail.lines(launch.log(), 20, masker);
    stop(Duration.ofSeconds(5));
    return new TargetException(launch.name(), masker.mask(message), hint + "; the full log is " + launch.log(), tail);
  }

  /** Kills the current incarnation's group and starts a new one; counts as a restart. */
  void restart(String reason, Duration grace) {
    Incarnation[] old = locked(() -> {
      if (stopping) {
        return null;
      }
      cancelTimersLocked();
      // From here on the old incarnation's exit is ours, not a crash.
      Incarnation[] o = {current, previous};
      current = null;
      previous = null;
      return o;
    });
    if (old == null) {
      return;
    }
    log("--- slipway: restarting " + launch.name() + ": " + reason);
    end(old[0], launch.stopSignal(), grace);
    end(old[1], Signal.KILL, Duration.ZERO);
    lock.lock();
    try {
      if (!stopping) {
        restarts++;
        spawnOrRetryLocked(reason);
      }
    } finally {
      lock.unlock();
    }
    deliver();
  }

  /** Stops for good: the stop signal to the group, KILL after {@code grace}. Idempotent. */
  void stop(Duration grace) {
    Incarnation[] old = locked(() -> {
      if (stopping) {
        return null;
      }
      stopping = true;
      cancelTimersLocked();
      Incarnation[] o = {current, previous};
      current = null;
      previous = null;
      state = ProcessState.STOPPING;
      emitLocked(state, "stopping");
      return o;
    });
    if (old == null) {
      stopped.join(); // someone else is stopping it; return when they are done
      return;
    }
    deliver();
    try {
      log("--- slipway: stopping " + launch.name() + " at " + Instant.now());
      end(old[0], launch.stopSignal(), grace);
      end(old[1], Signal.KILL, Duration.ZERO);
    } finally {
      locked(() -> {
        state = ProcessState.STOPPED;
        emitLocked(state, "stopped");
        return null;
      });
      stopped.complete(null);
    }
    deliver();
  }

  private void spawnLocked() throws IOException {
    attempts++;
    String header = "--- slipway: starting " + launch.name() + " (attempt " + attempts + ") at " + Instant.now();
    Incarnation inc = Spawner.spawn(launch.argv(), launch.env(), launch.cwd(), launch.log(), header, attempts);
    try {
      registry.register(entry(inc));
    } catch (IOException e) {
      ProcessGroups.terminate(inc.pgid(), Signal.KILL, Duration.ZERO);
      throw e;
    }
    current = inc;
    state = crashLoop ? ProcessState.CRASH_LOOP : ProcessState.RUNNING;
    watch(inc);
    stableCheck = schedule(() -> stable(inc), Backoff.STABLE);
  }

  private void watch(Incarnation inc) {
    CompletableFuture<?> exit = inc.adopted() ? gone(inc) : inc.process().onExit();
    exit.thenRunAsync(() -> exited(inc), threads.workers());
  }

  /**
   * Completes when an adopted process is gone. Polls /proc: {@link ProcessHandle#onExit()} cannot
   * wait for a process that is not our child either (it polls too), and it takes a zombie for alive.
   */
  private CompletableFuture<Void> gone(Incarnation inc) {
    CompletableFuture<Void> gone = new CompletableFuture<>();
    ProcessGroups.Key key = new ProcessGroups.Key(inc.pid(), inc.startTicks());
    Thread.ofVirtual().name("slipway-watch-" + launch.name()).start(() -> {
      try {
        while (key.alive() && !stopped.isDone()) {
          Thread.sleep(ADOPTED_POLL);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      gone.complete(null);
    });
    return gone;
  }

  /** Spawns a new incarnation, or when even that fails, handles it like an immediate exit. */
  private void spawnOrRetryLocked(String detail) {
    try {
      spawnLocked();
      if (!crashLoop) {
        // In a crash loop each exit is reported already; a relaunch every 30 s is not news.
        emitLocked(state, detail + (detail.isEmpty() ? "" : "; ") + "new pid " + current.pid());
      }
    } catch (IOException e) {
      exits++;
      emitLocked(state, scheduleRestartLocked("could not start: " + e.getMessage(), Duration.ZERO));
    }
  }

  private void exited(Incarnation inc) {
    boolean ours = locked(() -> {
      if (inc != current) {
        return false; // replaced by restart() or stop(): an exit we caused
      }
      current = null;
      previous = inc;
      exits++;
      // An adopted process is not our child: nobody tells us its exit code.
      String how = inc.adopted() ? "exited (code unknown)" : describe(inc.exitCode());
      log("--- slipway: " + launch.name() + (inc.adopted() ? " exited" : " exited with code " + inc.exitCode())
          + " at " + Instant.now());
      Duration ran = Duration.between(inc.startedAt(), Instant.now());
      // What the log says about the exit, and how many there were, is the engine's to tell.
      emitLocked(null, scheduleRestartLocked(how + " after " + Durations.human(ran), ran));
      return true;
    });
    if (ours && !ProcessGroups.members(inc.pgid()).isEmpty()) {
      // Children the leader left behind would hold its port: TERM now, KILL at relaunch.
      ProcessGroups.signal(inc.pgid(), Signal.TERM);
    }
    deliver();
  }

  private String scheduleRestartLocked(String what, Duration ranFor) {
    Backoff.Decision d = backoff.exited(Instant.now(), ranFor);
    crashLoop = d.crashLoop();
    state = crashLoop ? ProcessState.CRASH_LOOP : ProcessState.BACKOFF;
    pendingRestart = schedule(this::relaunch, d.delay());
    return what + "; restarting in " + Durations.human(d.delay());
  }

  private void relaunch() {
    Incarnation old = locked(() -> {
      Incarnation o = previous;
      previous = null;
      return o;
    });
    end(old, Signal.KILL, Duration.ZERO);
    lock.lock();
    try {
      if (!stopping && current == null) {
        restarts++;
        spawnOrRetryLocked("");
      }
    } finally {
      lock.unlock();
    }
    deliver();
  }

  private void stable(Incarnation inc) {
    locked(() -> {
      if (inc == current) {
        backoff.reset();
        if (crashLoop) {
          crashLoop = false;
          state = ProcessState.RUNNING;
          emitLocked(state, "running for " + Durations.human(Backoff.STABLE) + ": no longer crash-looping");
        }
      }
      return null;
    });
    deliver();
  }

  /** Stops an incarnation's group and forgets it; a no-op for {@code null}. */
  private void end(Incarnation inc, Signal signal, Duration grace) {
    if (inc == null) {
      return;
    }
    var left = ProcessGroups.terminate(inc.pgid(), signal, grace);
    if (!left.isEmpty()) {
      log("--- slipway: processes " + left + " of " + launch.name() + " survived KILL");
    }
    try {
      registry.unregister(entry(inc));
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot update " + registry.file() + ": " + e.getMessage());
    }
  }

  private ProcessRegistry.Entry entry(Incarnation inc) {
    return registry.entryFor(launch.name(), launch.kind(), inc, launch.description(), launch.stopSignal(),
        launch.port(), launch.fingerprint());
  }

  private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    try {
      return threads.timer().schedule(() -> {
        try {
          threads.workers().execute(task);
        } catch (RejectedExecutionException e) {
          LOG.log(System.Logger.Level.DEBUG, "target closed; dropped a task of " + launch.name());
        }
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null; // the target is closing
    }
  }

  private void cancelTimersLocked() {
    if (pendingRestart != null) {
      pendingRestart.cancel(false);
      pendingRestart = null;
    }
    if (stableCheck != null) {
      stableCheck.cancel(false);
      stableCheck = null;
    }
  }

  /** Queues an event; {@code null} state means "the current one". Queued under the lock, so in order. */
  private void emitLocked(ProcessState s, String detail) {
    events.add(new Event(s == null ? state : s, masker.mask(detail)));
  }

  /** Delivers queued events, outside the lock, one thread at a time, in order. */
  private void deliver() {
    while (!events.isEmpty() && delivering.compareAndSet(false, true)) {
      try {
        for (Event e; (e = events.poll()) != null; ) {
          for (Listener l : listeners) {
            try {
              l.changed(e.state(), e.detail());
            } catch (RuntimeException ex) {
              LOG.log(System.Logger.Level.WARNING, "a listener of " + launch.name() + " failed", ex);
            }
          }
        }
      } finally {
        delivering.set(false);
      }
    }
  }

  private <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  private void log(String line) {
    try {
      Spawner.appendLine(launch.log(), line);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot write " + launch.log() + ": " + e.getMessage());
    }
  }

  /** Java reports death by signal N as exit code 128 + N. */
  private static String describe(int code) {
    return code > 128 && code < 160 ? "killed by signal " + (code - 128) + " (code " + code + ")" : "code " + code;
  }
}
