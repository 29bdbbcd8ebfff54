package dev.slipway.kubernetes.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One worker reconciling keys in arrival order, each key queued at most once (as client-go's work
 * queue): watch handlers only enqueue, so a controller never runs on a watch thread and never
 * races itself. Timers enqueue later; a "transitional" timer (a pod about to become ready) keeps
 * {@link #awaitIdle} waiting, a background one (a crash loop's next restart) does not.
 */
final class WorkQueue implements AutoCloseable {

  /** What is reconciled: a kind, a namespace and a name. */
  record Key(String kind, String namespace, String name) {
    @Override
    public String toString() {
      return kind + ' ' + namespace + '/' + name;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final LinkedHashSet<Key> pending = new LinkedHashSet<>();
  private final Map<Key, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();
  private final Map<Key, Integer> failures = new ConcurrentHashMap<>();
  private final List<String> errors = new ArrayList<>();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sim-kubelet-timers"));
  private final Thread worker;
  private final Consumer<Key> reconcile;
  private Key busy;
  private int transitional;
  private long lastActivity = System.nanoTime();
  private long activity;
  private boolean closed;

  WorkQueue(Consumer<Key> reconcile) {
    this.reconcile = reconcile;
    this.worker = daemon(this::work, "sim-kubelet");
  }

  void start() {
    worker.start();
  }

  void add(Key key) {
    lock.lock();
    try {
      pending.add(key);
      lastActivity = System.nanoTime();
      activity++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** How many keys were ever queued: unchanged across a check means nothing happened during it. */
  long activity() {
    lock.lock();
    try {
      return activity;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Enqueues the key after a delay, replacing an earlier timer of the same key and purpose. A
   * transitional timer is part of what the cluster is doing now; {@link #awaitIdle} waits for it.
   */
  void after(Duration delay, Key key, String purpose, boolean isTransitional) {
    Key timerKey = new Key(key.kind() + '#' + purpose, key.namespace(), key.name());
    lock.lock();
    try {
      if (closed) {
        return;
      }
      if (isTransitional) {
        transitional++;
      }
      ScheduledFuture<?> old =
          timers.put(
              timerKey,
              scheduler.schedule(
                  () -> fire(timerKey, key, isTransitional), delay.toNanos(), TimeUnit.NANOSECONDS));
      if (old != null && old.cancel(false) && isTransitional) {
        transitional--;
      }
    } finally {
      lock.unlock();
    }
  }

  private void fire(Key timerKey, Key key, boolean isTransitional) {
    lock.lock();
    try {
      timers.remove(timerKey);
      if (isTransitional) {
        transitional--;
      }
      pending.add(key);
      lastActivity = System.nanoTime();
      activity++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Cancels a key's timer of one purpose (its pod is gone). */
  void cancel(Key key, String purpose, boolean isTransitional) {
    Key timerKey = new Key(key.kind() + '#' + purpose, key.namespace(), key.name());
    lock.lock();
    try {
      ScheduledFuture<?> old = timers.remove(timerKey);
      if (old != null && old.cancel(false) && isTransitional) {
        transitional--;
      }
    } finally {
      lock.unlock();
    }
  }

  private void work() {
    while (true) {
      Key key;
      lock.lock();
      try {
        while (pending.isEmpty() && !closed) {
          changed.awaitUninterruptibly();
        }
        if (closed) {
          return;
        }
        Iterator<Key> it = pending.iterator();
        key = it.next();
        it.remove();
        busy = key;
      } finally {
        lock.unlock();
      }
      try {
        reconcile.accept(key);
        failures.remove(key);
      } catch (RuntimeException e) {
        retry(key, e);
      } finally {
        lock.lock();
        try {
          busy = null;
          lastActivity = System.nanoTime();
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /** A failed reconcile is retried with back-off (a conflict, a race with a test); five strikes and it is an error. */
  private void retry(Key key, RuntimeException e) {
    int n = failures.merge(key, 1, Integer::sum);
    if (n > 5) {
      failures.remove(key);
      lock.lock();
      try {
        errors.add(key + ": " + e);
      } finally {
        lock.unlock();
      }
      return;
    }
    after(Duration.ofMillis(25L << n), key, "retry", true);
  }

  /** Errors that outlasted their retries, for tests to assert on. */
  List<String> errors() {
    lock.lock();
    try {
      return List.copyOf(errors);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until nothing is queued or running, no transitional timer is pending, and nothing has
   * happened for {@code quiet} (the watch events of the last writes have come back and changed
   * nothing); at least {@code quiet} after the call, so an event still in flight is not missed.
   */
  void awaitIdle(Duration timeout, Duration quiet) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        long now = System.nanoTime();
        long since = now - Math.max(lastActivity, start);
        boolean idle = pending.isEmpty() && busy == null && transitional == 0;
        if (idle && since >= quiet.toNanos()) {
          return;
        }
        if (now >= deadline) {
          throw new IllegalStateException(
              "the simulated kubelet is not idle after " + timeout + ": queued " + pending
                  + ", running " + busy + ", " + transitional + " transitional timer(s)"
                  + (errors.isEmpty() ? "" : ", errors " + errors));
        }
        long wait = idle ? quiet.toNanos() - since : deadline - now;
        changed.awaitNanos(Math.min(Math.max(wait, 1_000_000L), deadline - now));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the simulated kubelet", e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    scheduler.shutdownNow();
    try {
      worker.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
