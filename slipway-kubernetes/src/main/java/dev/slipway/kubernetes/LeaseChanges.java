package dev.slipway.kubernetes;

import io.fabric8.kubernetes.client.Watch;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The changes of a Lease that a watch has seen, counted, so that an acquire waiting behind another
 * runner wakes on the next one (or at its deadline) instead of polling.
 */
final class LeaseChanges {
  /** Stands for "no watch": wait a second and read again. */
  static final Watch POLLING = () -> {};

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicLong count = new AtomicLong();

  long count() {
    return count.get();
  }

  void signal() {
    lock.lock();
    try {
      count.incrementAndGet();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void awaitChangeAfter(long seen, Instant until, boolean polling) throws KubernetesException {
    Instant limit = polling && Instant.now().plusSeconds(1).isBefore(until) ? Instant.now().plusSeconds(1) : until;
    lock.lock();
    try {
      while (count.get() == seen) {
        long nanos = Duration.between(Instant.now(), limit).toNanos();
        if (nanos <= 0) {
          return;
        }
        changed.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesException("interrupted while waiting for a Lease", null, null, null,
          KubernetesException.FAILED, e);
    } finally {
      lock.unlock();
    }
  }
}
