package dev.slipway.engine;

import dev.slipway.engine.runtime.TargetException;
import dev.slipway.engine.runtime.Traffic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a service's release sets and weights into the router's routes. Only live instances are ever
 * routed; a release without active instances gets no weight.
 */
final class Routing {
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
  /** Instances younger than this are still starting, not "failing their checks": no panic routing to them. */
  private static final long PANIC_AFTER_SECONDS = 30;
  private final Traffic traffic;
  private final EngineClock clock;
  /** One route change at a time: a lock, not a monitor, as the router is called while holding it. */
  private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();

  Routing(Traffic traffic, EngineClock clock) {
    this.traffic = traffic;
    this.clock = clock;
  }

  Traffic traffic() {
    return traffic;
  }

  /** Applies {@code weights} (percent per release id) and the current instance sets of {@code s}. */
  void apply(ServiceRuntime s, Map<String, Integer> weights) throws TargetException {
    lock.lock();
    try {
      applyLocked(s, weights);
    } finally {
      lock.unlock();
    }
  }

  private void applyLocked(ServiceRuntime s, Map<String, Integer> weights) throws TargetException {
    s.desiredWeights = Map.copyOf(weights);
    if (!s.routed() || traffic == null) {
      s.weights = Map.copyOf(weights);
      return;
    }
    List<Traffic.Backend> backends = new ArrayList<>();
    Map<String, Boolean> activeByRelease = new LinkedHashMap<>();
    for (ReleaseSet set : sets(s)) {
      for (InstanceRuntime i : set.live()) {
        if (i.handle == null) {
          continue;
        }
        // Only ready instances take new requests (like Kubernetes endpoints): one that is starting,
        // restarting or failing its readiness check stays known to the router but gets nothing new.
        boolean serving = i.ready && !i.draining;
        backends.add(new Traffic.Backend(i.id, set.id(), i.port, !serving));
        if (serving) {
          activeByRelease.put(set.id(), true);
        }
      }
    }
    if (activeByRelease.isEmpty()) {
      // Panic mode, as Envoy does: when no instance passes its readiness check, sending traffic to the
      // running ones beats answering 503 to everyone (the checks themselves may be what is failing).
      List<Traffic.Backend> all = new ArrayList<>();
      for (ReleaseSet set : sets(s)) {
        for (InstanceRuntime i : set.live()) {
          if (i.handle == null) {
            continue;
          }
          boolean running = !i.draining && i.handle.state() == dev.slipway.engine.runtime.ProcessState.RUNNING
              && i.handle.startedAt().isBefore(clock.now().minusSeconds(PANIC_AFTER_SECONDS));
          all.add(new Traffic.Backend(i.id, set.id(), i.port, !running));
          if (running) {
            activeByRelease.put(set.id(), true);
          }
        }
      }
      if (!activeByRelease.isEmpty()) {
        backends = all;
      }
    }
    Map<String, Integer> effective = normalize(weights, activeByRelease.keySet(), s.stable == null ? null : s.stable.id());
    traffic.route(s.spec.name(), new Traffic.Route(backends, effective, null, null, DRAIN_TIMEOUT));
    s.weights = effective;
    ReleaseSet c = s.candidate;
    if (c == null) {
      s.candidateTrafficSince = null;
    } else if (s.candidateTrafficSince == null && effective.getOrDefault(c.id(), 0) > 0) {
      s.candidateTrafficSince = clock.now();
    }
  }

  /** Re-applies the weights asked for last (after instances came, went, or changed readiness). */
  void refresh(ServiceRuntime s) throws TargetException {
    lock.lock();
    try {
      // Read under the lock: read before it, a weight change applied meanwhile would be undone.
      applyLocked(s, s.desiredWeights);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Weights over releases that have active backends, summing to 100. A release with no active
   * backend cannot take traffic: its share goes to the others (the stable release first).
   */
  static Map<String, Integer> normalize(Map<String, Integer> wanted, Set<String> active, String stable) {
    Map<String, Integer> out = new LinkedHashMap<>();
    int sum = 0;
    for (String release : active) {
      int w = Math.max(0, wanted.getOrDefault(release, 0));
      out.put(release, w);
      sum += w;
    }
    if (out.isEmpty()) {
      return out;
    }
    if (sum == 0) {
      String to = stable != null && out.containsKey(stable) ? stable : out.keySet().iterator().next();
      out.put(to, 100);
      return out;
    }
    if (sum != 100) {
      int given = 0;
      String last = null;
      for (Map.Entry<String, Integer> e : out.entrySet()) {
        int scaled = (int) Math.round(e.getValue() * 100.0 / sum);
        e.setValue(scaled);
        given += scaled;
        last = e.getKey();
      }
      out.put(last, out.get(last) + 100 - given);
    }
    return out;
  }

  /** Waits until the router has no in-flight request on any of {@code ids}, at most {@code timeout}. */
  void awaitDrained(ServiceRuntime s, Set<String> ids, Duration timeout) {
    if (!s.routed() || traffic == null || ids.isEmpty()) {
      return;
    }
    long deadline = clock.deadline(timeout);
    while (!clock.past(deadline)) {
      try {
        boolean busy = traffic.backends(s.spec.name()).stream()
            .anyMatch(b -> ids.contains(b.id()) && b.inflight() > 0);
        if (!busy) {
          return;
        }
      } catch (TargetException e) {
        return; // The router is gone: nothing is in flight through it.
      }
      try {
        clock.sleep(Duration.ofMillis(50));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static List<ReleaseSet> sets(ServiceRuntime s) {
    List<ReleaseSet> sets = new ArrayList<>();
    if (s.stable != null) {
      sets.add(s.stable);
    }
    if (s.candidate != null && s.candidate != s.stable) {
      sets.add(s.candidate);
    }
    return sets;
  }
}
