package dev.slipway.engine;

import dev.slipway.api.EventKind;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.engine.runtime.Traffic;
import dev.slipway.model.RouterSpec;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one writer of a service's routes. Whoever changes them — a rollout step, a readiness change, a
 * rollback — goes through {@link #write}: under one lock it takes the weights asked for, computes
 * the routes from what runs <em>now</em>, writes them with a compare-and-set on the router's
 * generation, and reads back what the router applies. So no caller can write routes computed from a
 * state another one has since changed, and what the service reports ({@link ServiceRuntime#weights})
 * is what the router applies, not what was asked for.
 *
 * <p>A withdrawn release (a rolled-back candidate) is never routed again, whatever is asked later.
 */
final class ServiceRoutes {

  /** A candidate instance that left rotation by failing its readiness check while it shared traffic. */
  record RotationLoss(String instance, String release, int percent, String detail) {
    String describe() {
      return "candidate " + instance + " failed its readiness check while taking " + percent + "% of the traffic"
          + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
    }
  }

  private final ServiceRuntime s;
  private final Traffic traffic;
  private final EventLog events;
  private final Duration drainTimeout;
  private final EngineClock clock;
  private final RouterSpec access;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private Map<String, Integer> intent = Map.of();
  private Traffic.Applied applied;
  private final Set<ReleaseSet> withdrawn = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<ReleaseSet, RotationLoss> losses = new IdentityHashMap<>();
  private Map<String, Integer> reportedSplit = Map.of();
  private boolean diverged;

  ServiceRoutes(ServiceRuntime s, Traffic traffic, EventLog events, Duration drainTimeout, EngineClock clock,
      RouterSpec access) {
    this.s = s;
    this.access = access;
    this.clock = clock;
    this.traffic = traffic;
    this.events = events;
    this.drainTimeout = drainTimeout;
  }

  /**
   * Writes the routes that follow from what runs now and the weights asked for.
   *
   * @param weights the weights asked for from now on (percent per release id), or null to keep them
   * @return what the router applies afterwards
   */
  Traffic.Applied write(Map<String, Integer> weights) throws TargetException {
    lock.lock();
    try {
      if (weights != null) {
        intent = Collections.unmodifiableMap(ordered(weights));
      }
      if (applied == null) {
        applied = traffic.applied(s.spec.name());
      }
      Traffic.Route route = RouteBuilder.build(s, intent, withdrawn, drainTimeout, clock.now())
          .withClientAccess(access.pinning(), access.versionHeader());
      noteLosses(route);
      if (route.equals(applied.route())) {
        report(applied);
        return applied;
      }
      Traffic.Applied result = traffic.route(s.spec.name(), route, applied.generation());
      Traffic.Applied before = applied;
      applied = result;
      report(result);
      if (!result.written()) {
        throw new TargetException(s.spec.name(), "the router's routes of " + s.spec.name() + " were changed by"
            + " someone else (router generation " + before.generation() + " → " + result.generation()
            + "); Slipway did not overwrite them", "is another control plane running for this application?"
            + " `slipway status` shows what the router applies now", List.of());
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes {@code set} out of rotation for good: its instances are drained and it gets no weight,
   * whatever a later write asks for.
   */
  Traffic.Applied withdraw(ReleaseSet set) throws TargetException {
    lock.lock();
    try {
      withdrawn.add(set);
      return write(null);
    } finally {
      lock.unlock();
    }
  }

  Map<String, Integer> intent() {
    lock.lock();
    try {
      return intent;
    } finally {
      lock.unlock();
    }
  }

  /** The first time an instance of {@code set} failed readiness while sharing traffic, or null. */
  RotationLoss lossOf(ReleaseSet set) {
    lock.lock();
    try {
      return losses.get(set);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Records each instance that the router sends requests to now and that the new routes take out
   * because its readiness check failed, while its release shares the traffic with another one.
   */
  private void noteLosses(Traffic.Route next) {
    losses.keySet().retainAll(RouteBuilder.sets(s)); // a loss matters only while its release runs here
    if (applied.route() == null) {
      return;
    }
    Map<String, Integer> split = applied.split();
    if (split.values().stream().filter(p -> p > 0).count() < 2) {
      return;
    }
    Set<String> activeNow = new java.util.HashSet<>();
    applied.route().backends().stream().filter(b -> !b.draining()).forEach(b -> activeNow.add(b.id()));
    Set<String> activeNext = new java.util.HashSet<>();
    next.backends().stream().filter(b -> !b.draining()).forEach(b -> activeNext.add(b.id()));
    for (ReleaseSet set : RouteBuilder.sets(s)) {
      int percent = split.getOrDefault(set.id(), 0);
      if (percent == 0 || withdrawn.contains(set) || losses.containsKey(set)) {
        continue;
      }
      for (InstanceRuntime i : set.live()) {
        if (activeNow.contains(i.id) && !activeNext.contains(i.id) && !i.ready && !i.draining) {
          losses.put(set, new RotationLoss(i.id, set.id(), percent, i.detail));
          break;
        }
      }
    }
  }

  /** The service reports what the router applies; a split other than the one asked for is said once. */
  private void report(Traffic.Applied now) {
    Map<String, Integer> split = now.split();
    s.weights = split;
    ReleaseSet c = s.candidate;
    if (c == null) {
      s.candidateTrafficSince = null;
    } else if (s.candidateTrafficSince == null && split.getOrDefault(c.id(), 0) > 0) {
      s.candidateTrafficSince = clock.now();
    }
    if (split.equals(reportedSplit)) {
      return;
    }
    reportedSplit = split;
    if (c == null || split.isEmpty() || events == null) {
      return;
    }
    String missing = missing(split);
    if (missing != null) {
      diverged = true;
      events.emit(EventKind.WARNING, s.spec.name(), "the router applies " + describe(split) + ", not the "
          + describe(intent) + " asked for: " + missing, Map.of("weights", split, "asked", intent, "generation",
          now.generation()));
    } else if (diverged) {
      diverged = false;
      events.emit(EventKind.ROLLOUT_STEP, s.spec.name(), "weights " + describe(split) + " applied again",
          Map.of("weights", split, "generation", now.generation()));
    }
  }

  /**
   * Which releases asked for a share get none, because none of their instances is ready; null when
   * every one gets traffic (a withdrawn release is meant to get none).
   */
  private String missing(Map<String, Integer> split) {
    StringBuilder b = new StringBuilder();
    for (ReleaseSet set : RouteBuilder.sets(s)) {
      if (intent.getOrDefault(set.id(), 0) > 0 && split.getOrDefault(set.id(), 0) == 0 && !withdrawn.contains(set)) {
        b.append(b.isEmpty() ? "" : "; ").append(set.id()).append(" has no ready instance");
      }
    }
    return b.isEmpty() ? null : b.toString();
  }

  /** "api-r1 90%, api-r2 10%". */
  static String describe(Map<String, Integer> weights) {
    return weights.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + "%")
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** The stable release first, then the candidate, then any other: the order people read weights in. */
  private Map<String, Integer> ordered(Map<String, Integer> weights) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (ReleaseSet set : RouteBuilder.sets(s)) {
      if (weights.containsKey(set.id())) {
        out.put(set.id(), weights.get(set.id()));
      }
    }
    new java.util.TreeMap<>(weights).forEach(out::putIfAbsent);
    return out;
  }
}
