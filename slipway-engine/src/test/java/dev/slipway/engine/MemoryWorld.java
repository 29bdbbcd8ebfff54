package dev.slipway.engine;

import dev.slipway.engine.runtime.Instance;
import dev.slipway.engine.runtime.InstanceSpec;
import dev.slipway.engine.runtime.ProcessState;
import dev.slipway.engine.runtime.Traffic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory host for engine tests: the processes and the router that outlive a control plane. A
 * {@link MemoryTarget} is one control plane's connection to it; after a halt, the next control plane
 * finds here what still runs. Instances behave as their release's environment says:
 *
 * <ul>
 *   <li>{@code MODE=crash}: crash-loops at once (5 exits);</li>
 *   <li>{@code MODE=never-ready}: its readiness check answers 503;</li>
 *   <li>{@code MODE=unready-under-traffic}: ready until its release gets traffic, then 503 for good;</li>
 *   <li>{@code ERRORS=1}: the analysis finds its error rate too high; {@code ANALYSIS=inconclusive}: it
 *       never finds enough requests;</li>
 *   <li>{@code SMOKE=STATUS}: answers smoke checks with that status;</li>
 *   <li>{@code READY_AFTER=MILLIS}: ready that long after it starts (default 500).</li>
 * </ul>
 *
 * It also checks, at every change, what would fail a user's request: a weight on a release none of
 * whose instances serves, or an instance stopped while it still takes new requests.
 */
final class MemoryWorld {
  final SimClock clock;
  final Map<String, Proc> processes = new ConcurrentHashMap<>();
  final Map<String, Traffic.Route> routes = new ConcurrentHashMap<>();
  /** Every route applied, in order, per service. */
  final Map<String, List<Map<String, Integer>>> routeHistory = new ConcurrentHashMap<>();
  final Map<String, Instant> drainingSince = new ConcurrentHashMap<>();
  /** How long a draining backend keeps a request in flight. */
  volatile Duration drainTime = Duration.ofMillis(300);
  final List<String> violations = new CopyOnWriteArrayList<>();
  /** Releases whose instances cannot be started (the target fails). */
  final java.util.Set<String> failingStarts = ConcurrentHashMap.newKeySet();
  /** The router does not answer: applying a route fails. */
  volatile boolean routerDown;
  private final AtomicInteger ports = new AtomicInteger(20000);

  MemoryWorld(SimClock clock) {
    this.clock = clock;
  }

  int port() {
    return ports.incrementAndGet();
  }

  /** One supervised process of an instance. */
  final class Proc {
    final InstanceSpec spec;
    volatile ProcessState state;
    volatile Instant startedAt;
    volatile int restarts;
    volatile boolean sawTraffic;
    final List<Instance.Listener> listeners = new CopyOnWriteArrayList<>();

    Proc(InstanceSpec spec) {
      this.spec = spec;
      this.startedAt = clock.now();
      this.state = "crash".equals(env("MODE")) ? ProcessState.CRASH_LOOP : ProcessState.RUNNING;
    }

    String env(String key) {
      return spec.env().get(key);
    }

    boolean running() {
      return state == ProcessState.RUNNING;
    }

    boolean ready() {
      if (!running()) {
        return false;
      }
      String mode = env("MODE");
      if ("never-ready".equals(mode)) {
        return false;
      }
      if ("unready-under-traffic".equals(mode) && (sawTraffic || weight(spec.service(), spec.release()) > 0)) {
        sawTraffic = true;
        return false;
      }
      long after = spec.env().containsKey("READY_AFTER") ? Long.parseLong(env("READY_AFTER")) : 500;
      return !clock.now().isBefore(startedAt.plusMillis(after));
    }

    void stop() {
      if (state == ProcessState.STOPPED) {
        return;
      }
      Traffic.Route r = routes.get(spec.service());
      if (r != null) {
        for (Traffic.Backend b : r.backends()) {
          if (b.id().equals(spec.instanceId()) && !b.draining() && r.weights().getOrDefault(b.version(), 0) > 0) {
            violations.add(clock.elapsed() + ": " + b.id() + " stopped while it still took new requests (" + r.weights() + ")");
          }
        }
      }
      state = ProcessState.STOPPED;
    }
  }

  /** Every instance id started, in order. */
  final List<String> starts = new CopyOnWriteArrayList<>();

  Proc start(InstanceSpec spec) {
    starts.add(spec.instanceId());
    Proc p = new Proc(spec);
    Proc old = processes.put(spec.instanceId(), p);
    if (old != null && old.running()) {
      violations.add(spec.instanceId() + " started twice");
    }
    return p;
  }

  /** The weight the router gives {@code release} of {@code service} now. */
  int weight(String service, String release) {
    Traffic.Route r = routes.get(service);
    return r == null ? 0 : r.weights().getOrDefault(release, 0);
  }

  /** The router's config generation: grows with every write, kept across control planes (like the router's). */
  final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
  /** The generation at which each service's routes were last written. */
  final Map<String, Long> routeGeneration = new ConcurrentHashMap<>();

  /** The router's compare-and-set: writes only when nobody wrote {@code service}'s routes after {@code expected}. */
  synchronized Traffic.Applied route(String service, Traffic.Route route, long expected) {
    long at = routeGeneration.getOrDefault(service, 0L);
    if (at > expected) {
      return new Traffic.Applied(generation.get(), routes.get(service), false);
    }
    route(service, route);
    long g = generation.incrementAndGet();
    routeGeneration.put(service, g);
    return new Traffic.Applied(g, route, true);
  }

  /** What the router applies for {@code service} now. */
  Traffic.Applied applied(String service) {
    return new Traffic.Applied(generation.get(), routes.get(service), true);
  }

  void route(String service, Traffic.Route route) {
    Traffic.Route old = routes.put(service, route);
    routeHistory.computeIfAbsent(service, k -> Collections.synchronizedList(new ArrayList<>()))
        .add(new LinkedHashMap<>(route.weights()));
    for (Traffic.Backend b : route.backends()) {
      if (b.draining()) {
        boolean wasDraining = old != null && old.backends().stream().anyMatch(o -> o.id().equals(b.id()) && o.draining());
        if (!wasDraining) {
          drainingSince.put(b.id(), clock.now());
        }
      } else {
        drainingSince.remove(b.id());
      }
    }
    String dead = deadWeight(service);
    if (dead != null) {
      violations.add(clock.elapsed() + ": " + service + " routed " + route.weights() + " but " + dead);
    }
  }

  /** Why a weighted release of {@code service} would fail requests now, or null when none would. */
  String deadWeight(String service) {
    Traffic.Route r = routes.get(service);
    if (r == null) {
      return null;
    }
    for (Map.Entry<String, Integer> w : r.weights().entrySet()) {
      if (w.getValue() <= 0) {
        continue;
      }
      boolean serving = r.backends().stream().anyMatch(b -> b.version().equals(w.getKey()) && !b.draining()
          && processes.containsKey(b.id()) && processes.get(b.id()).running());
      if (!serving) {
        return "no instance of " + w.getKey() + " serves";
      }
    }
    return null;
  }

  int inflight(String backend) {
    Instant since = drainingSince.get(backend);
    return since != null && clock.now().isBefore(since.plus(drainTime)) ? 1 : 0;
  }

  /** Processes of {@code service} that run now, by instance id. */
  List<String> running(String service) {
    return processes.values().stream().filter(p -> p.spec.service().equals(service) && p.running())
        .map(p -> p.spec.instanceId()).sorted().toList();
  }

  /** The releases of {@code service} whose processes run now. */
  List<String> runningReleases(String service) {
    return processes.values().stream().filter(p -> p.spec.service().equals(service) && p.running())
        .map(p -> p.spec.release()).distinct().sorted().toList();
  }

  /** Whether the release of {@code service} ever had all the traffic. */
  boolean everHadAllTraffic(String service, String release) {
    List<Map<String, Integer>> h = routeHistory.getOrDefault(service, List.of());
    synchronized (h) {
      return h.stream().anyMatch(w -> w.getOrDefault(release, 0) == 100);
    }
  }
}
