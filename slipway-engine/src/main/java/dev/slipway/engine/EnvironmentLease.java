package dev.slipway.engine;

import dev.slipway.store.Lease;
import dev.slipway.store.LeaseHeldException;
import dev.slipway.store.LeaseHolder;
import dev.slipway.store.LeaseLostException;
import dev.slipway.store.Leases;
import dev.slipway.store.StateStore;
import dev.slipway.store.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * This control plane's ownership of its environment in the state store: the lease taken at start,
 * renewed in the background, and the fenced store the engine writes through.
 *
 * <p>At start, a lease held by another control plane is waited on for at most its remaining time:
 * if its holder renews it meanwhile, that control plane is alive and this one refuses to start,
 * naming it; if it lapses, its holder is gone and this one takes over. Once held, the lease is
 * renewed every third of its TTL, each renewal with a deadline: the lease's remaining time. When a
 * renewal is refused or cannot finish in time, the lease counts as lost a little before the store
 * would let someone else take it; the fenced store then refuses every write and the listeners are
 * told, so that the control plane stops acting.
 */
public final class EnvironmentLease implements AutoCloseable {
  /** A lease lasts this long without renewal: the longest a successor waits after a crash. */
  public static final Duration TTL = Duration.ofSeconds(10);
  /** The lease counts as lost this long before the store's expiry, which is measured later than ours. */
  static final Duration MARGIN = Duration.ofSeconds(1);
  static final Duration POLL = Duration.ofMillis(500);
  private static final Duration EXPIRY_SLACK = Duration.ofMillis(20);
  private static final Duration RETRY = Duration.ofMillis(500);
  private static final Duration RELEASE_DEADLINE = Duration.ofSeconds(3);

  /** Waits; tests pass one that moves a fake clock instead. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final Leases leases;
  private final StateStore fenced;
  private final Duration ttl;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private final Consumer<String> progress;
  private final CompletableFuture<String> lost = new CompletableFuture<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private volatile Lease lease;
  /** Local time ({@link #nanoTime}) until which the lease surely holds: renewal start + TTL. */
  private volatile long validUntil;
  private volatile boolean closed;
  private Thread renewer;

  private EnvironmentLease(Leases leases, Lease lease, long validUntil, Duration ttl, LongSupplier nanoTime,
      Sleeper sleeper, Consumer<String> progress) {
    this.leases = leases;
    this.progress = progress;
    this.lease = lease;
    this.validUntil = validUntil;
    this.ttl = ttl;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
    this.fenced = leases.fenced(lease);
  }

  /**
   * Takes the lease on {@code environment} for this process, waiting out the lease of a control
   * plane that is gone, and starts renewing it.
   *
   * @param detail what this control plane runs (the model file), shown to whoever is refused
   * @param progress told when this waits for another holder's lease, when it took one over, and
   *     when a renewal failed but may still succeed in time
   * @throws EngineException CONFLICT naming the holder (host, pid, since, until) when another
   *     control plane holds the lease and is alive; FAILED when the store fails
   */
  public static EnvironmentLease acquire(StateStore store, String environment, String detail,
      Consumer<String> progress) throws EngineException {
    EnvironmentLease lease = acquire(store.leases(), environment, LeaseHolder.thisProcess(detail), TTL, progress,
        System::nanoTime, Thread::sleep);
    lease.startRenewing();
    return lease;
  }

  static EnvironmentLease acquire(Leases leases, String environment, LeaseHolder holder, Duration ttl,
      Consumer<String> progress, LongSupplier nanoTime, Sleeper sleeper) throws EngineException {
    Lease first = null;
    long deadline = Long.MAX_VALUE;
    while (true) {
      long start = nanoTime.getAsLong();
      try {
        Lease lease = leases.acquire(environment, holder, ttl);
        if (first != null) {
          progress.accept("took over environment " + environment + ": the lease of " + first.holder().describe()
              + " lapsed, so that control plane is gone");
        }
        return new EnvironmentLease(leases, lease, start + ttl.toNanos(), ttl, nanoTime, sleeper, progress);
      } catch (LeaseHeldException e) {
        Lease held = e.held();
        if (first == null) {
          first = held;
          // A live holder renews well within its remaining time; a dead one's lease lapses by then.
          deadline = start + e.remaining().plus(POLL).plus(MARGIN).toNanos();
          progress.accept("environment " + environment + " is owned by " + held.describe() + "; waiting up to "
              + Durations.format(e.remaining()) + " to see whether that control plane is alive (it renews its"
              + " lease) or gone (the lease lapses)");
        } else if (!held.equals(first)) {
          throw refused(held, "it renewed its lease while this one waited, so it is alive");
        }
        if (start > deadline) {
          throw refused(held, "its lease did not lapse when it should have");
        }
        try {
          // Not past the expiry, so that a dead holder's lease is taken the moment it lapses.
          sleeper.sleep(e.remaining().plus(EXPIRY_SLACK).compareTo(POLL) < 0 ? e.remaining().plus(EXPIRY_SLACK) : POLL);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new EngineException(null, "interrupted while waiting for the lease on environment " + environment,
              null, List.of());
        }
      } catch (StoreException e) {
        throw new EngineException(null, "could not take the lease on environment " + environment + ": "
            + e.getMessage(), "check the state store (--store)", List.of(), e);
      }
    }
  }

  private static EngineException refused(Lease held, String why) {
    return new EngineException(null, "environment " + held.environment() + " is owned by another control plane: "
        + held.describe() + "; " + why,
        "stop that control plane first (`slipway down` where it runs: host " + held.holder().host() + ", pid "
            + held.holder().pid() + "), or use another --env or --store", List.of())
        .as(EngineException.Kind.CONFLICT);
  }

  /** The state store as this holder must use it: its writes commit only while the lease holds. */
  public StateStore store() {
    return fenced;
  }

  /** The lease as last renewed. */
  public Lease lease() {
    return lease;
  }

  /** Whether the lease is lost: this control plane must not act on the environment any more. */
  public boolean isLost() {
    return lost.isDone();
  }

  /**
   * Calls {@code listener} once with the reason when the lease is lost (at once if it already is),
   * from the renewing thread: it must return quickly.
   */
  public void onLost(Consumer<String> listener) {
    listeners.add(listener);
    String reason = lost.getNow(null);
    if (reason != null && listeners.remove(listener)) {
      listener.accept(reason);
    }
  }

  private void startRenewing() {
    renewer = Thread.ofVirtual().name("lease-renewer").start(this::renewLoop);
  }

  private void renewLoop() {
    Duration wait = ttl.dividedBy(3);
    while (!closed && !lost.isDone()) {
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        return; // closed
      }
      wait = renewOnce() ? ttl.dividedBy(3) : RETRY;
    }
  }

  /**
   * One renewal, given until the lease's local deadline to finish. Returns false when it failed
   * for a reason that may pass (the store was unreachable) and should be tried again soon.
   */
  boolean renewOnce() {
    long start = nanoTime.getAsLong();
    long left = validUntil - MARGIN.toNanos() - start;
    if (left <= 0) {
      lose("the lease could not be renewed before it ran out (" + Durations.format(ttl) + " after the last renewal)");
      return false;
    }
    Lease current = lease;
    FutureTask<Lease> renewal = new FutureTask<>(() -> leases.renew(current, ttl));
    Thread.ofVirtual().name("lease-renewal").start(renewal);
    try {
      lease = renewal.get(left, TimeUnit.NANOSECONDS);
      validUntil = start + ttl.toNanos();
      return true;
    } catch (TimeoutException e) {
      renewal.cancel(true);
      lose("the state store did not confirm the lease's renewal before it ran out");
      return false;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LeaseLostException lostLease) {
        lose(lostLease.problem()); // its hint speaks of writes; the control plane says what it does instead
      } else {
        progress.accept("could not renew the lease on environment " + current.environment() + " (trying again until "
            + Durations.format(Duration.ofNanos(left)) + " from now): " + e.getCause().getMessage());
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void lose(String reason) {
    if (closed || !lost.complete(reason)) {
      return;
    }
    fenced.close(); // no write commits any more, whoever still tries
    for (Consumer<String> l : listeners) {
      if (listeners.remove(l)) {
        l.accept(reason);
      }
    }
  }

  /** Stops renewing and gives the lease up, unless it was lost, so that a successor need not wait. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (renewer != null) {
      renewer.interrupt();
    }
    fenced.close();
    if (lost.isDone()) {
      return;
    }
    Lease held = lease;
    FutureTask<Void> release = new FutureTask<>(() -> {
      leases.release(held);
      return null;
    });
    Thread.ofVirtual().name("lease-release").start(release);
    try {
      release.get(RELEASE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // It lapses by itself within the TTL.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
