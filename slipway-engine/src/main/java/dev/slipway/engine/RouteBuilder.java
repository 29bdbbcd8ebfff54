package dev.slipway.engine;

import dev.slipway.engine.runtime.ProcessState;
import dev.slipway.engine.runtime.Traffic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes a service's routes from what runs now and the weights asked for: which instances take new
 * requests (ready ones, like Kubernetes endpoints), and the split over the releases that have one.
 * Reads the engine's state; writes nothing.
 */
final class RouteBuilder {
  /** Instances younger than this are still starting, not "failing their checks": no panic routing to them. */
  private static final Duration PANIC_AFTER = Duration.ofSeconds(30);

  private RouteBuilder() {}

  /**
   * The routes of {@code s}: every live instance of its stable and candidate releases as a backend,
   * active when it takes new requests; a withdrawn release's instances are never active.
   */
  static Traffic.Route build(ServiceRuntime s, Map<String, Integer> intent, Set<ReleaseSet> withdrawn,
      Duration drainTimeout, Instant now) {
    List<Traffic.Backend> backends = new ArrayList<>();
    Set<String> active = new LinkedHashSet<>();
    for (ReleaseSet set : sets(s)) {
      boolean routable = !withdrawn.contains(set);
      for (InstanceRuntime i : set.live()) {
        if (i.handle == null) {
          continue;
        }
        // One that is starting, restarting or failing its readiness check stays known to the router
        // but gets nothing new.
        boolean serving = routable && i.ready && !i.draining;
        backends.add(new Traffic.Backend(i.id, set.id(), i.port, !serving));
        if (serving) {
          active.add(set.id());
        }
      }
    }
    if (active.isEmpty()) {
      // Panic mode, as Envoy does: when no instance passes its readiness check, sending traffic to the
      // running ones beats answering 503 to everyone (the checks themselves may be what is failing).
      List<Traffic.Backend> all = new ArrayList<>();
      Instant settled = now.minus(PANIC_AFTER);
      for (ReleaseSet set : sets(s)) {
        boolean routable = !withdrawn.contains(set);
        for (InstanceRuntime i : set.live()) {
          if (i.handle == null) {
            continue;
          }
          boolean running = routable && !i.draining && i.handle.state() == ProcessState.RUNNING
              && i.handle.startedAt().isBefore(settled);
          all.add(new Traffic.Backend(i.id, set.id(), i.port, !running));
          if (running) {
            active.add(set.id());
          }
        }
      }
      if (!active.isEmpty()) {
        backends = all;
      }
    }
    Map<String, Integer> weights = normalize(intent, active, s.stable == null ? null : s.stable.id());
    return new Traffic.Route(backends, weights, drainTimeout);
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

  /** The stable release, then the candidate: the order backends (and so the split) are listed in. */
  static List<ReleaseSet> sets(ServiceRuntime s) {
    List<ReleaseSet> sets = new ArrayList<>();
    ReleaseSet stable = s.stable;
    ReleaseSet candidate = s.candidate;
    if (stable != null) {
      sets.add(stable);
    }
    if (candidate != null && candidate != stable) {
      sets.add(candidate);
    }
    return sets;
  }
}
