package dev.slipway.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.engine.runtime.TargetException;
import dev.slipway.engine.runtime.Traffic;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The router's config API in memory, as the router would apply routes: a generation per write,
 * compare-and-set per service, every written generation kept, and a gate that can hold the next write.
 */
class RecordingTraffic implements Traffic {
  final Map<String, Route> routes = new ConcurrentHashMap<>();
  final List<Long> writes = new CopyOnWriteArrayList<>();
  private final Map<String, Long> changedAt = new HashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private long generation;
  private volatile Semaphore gate;
  private volatile CountDownLatch held;

  /** The next route write waits, once it has started, until {@link #release()}. */
  void holdNextWrite() {
    gate = new Semaphore(0);
    held = new CountDownLatch(1);
  }

  void awaitHeld() throws InterruptedException {
    assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
  }

  void release() {
    Semaphore g = gate;
    gate = null;
    g.release();
  }

  /** A write by someone else (another control plane, an operator): a new generation the engine did not ask for. */
  void writeBehindTheEnginesBack(String service, Route route) {
    lock.lock();
    try {
      generation++;
      routes.put(service, route);
      changedAt.put(service, generation);
    } finally {
      lock.unlock();
    }
  }

  /** Called, under the lock, for each write that passed the compare-and-set. */
  protected void written(String service, Route route) {}

  @Override
  public int frontPort(String service) throws TargetException {
    return 40000;
  }

  @Override
  public Applied route(String service, Route route, long expected) {
    Semaphore g = gate;
    if (g != null) {
      held.countDown();
      g.acquireUninterruptibly();
    }
    lock.lock();
    try {
      if (changedAt.getOrDefault(service, 0L) > expected) {
        return new Applied(generation, routes.get(service), false);
      }
      written(service, route);
      generation++;
      writes.add(generation);
      routes.put(service, route);
      changedAt.put(service, generation);
      return new Applied(generation, route, true);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Applied applied(String service) {
    lock.lock();
    try {
      return new Applied(generation, routes.get(service), false);
    } finally {
      lock.unlock();
    }
  }

  /** The backends of the service's route, none in flight. */
  @Override
  public List<BackendState> backends(String service) {
    Route r = routes.get(service);
    return r == null ? List.of() : r.backends().stream()
        .map(b -> new BackendState(b.id(), b.version(), b.draining() ? "draining" : "active", 0, 0)).toList();
  }

  @Override
  public MetricsEndpoint metrics() {
    return new MetricsEndpoint("http://127.0.0.1:1/metrics", Map.of());
  }
}
