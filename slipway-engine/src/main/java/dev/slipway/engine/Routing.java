package dev.slipway.engine;

import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.RouterSpec;
import dev.slipway.engine.runtime.Traffic;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a service's release sets and weights into the router's routes, through one
 * {@link ServiceRoutes} writer per service. Only live instances are ever routed; a release without
 * active instances gets no weight. Services without a port, or a stack without a router, keep the
 * weights as asked.
 */
final class Routing {
  private final Traffic traffic;
  private final EventLog events;
  private final EngineClock clock;
  private final Map<String, ServiceRoutes> writers = new ConcurrentHashMap<>();
  /** What the environment's router lets clients choose and see, for every service's routes. */
  private final RouterSpec access;

  Routing(Traffic traffic, EventLog events, EngineClock clock) {
    this(traffic, events, clock, new RouterSpec(true, true));
  }

  Routing(Traffic traffic, EventLog events, EngineClock clock, RouterSpec access) {
    this.traffic = traffic;
    this.events = events;
    this.clock = clock;
    this.access = access;
  }

  Traffic traffic() {
    return traffic;
  }

  /** Asks for {@code weights} (percent per release id) from now on and routes the current instance sets of {@code s}. */
  void apply(ServiceRuntime s, Map<String, Integer> weights) throws TargetException {
    if (!s.routed() || traffic == null) {
      unrouted(s, weights);
      return;
    }
    writer(s).write(weights);
  }

  /** For a service no router serves (or a stack without one): the weights asked for are the weights in force. */
  static void unrouted(ServiceRuntime s, Map<String, Integer> weights) {
    s.weights = Map.copyOf(weights);
  }

  /** Routes again with the weights asked for last (after instances came, went, or changed readiness). */
  void refresh(ServiceRuntime s) throws TargetException {
    if (s.routed() && traffic != null) {
      writer(s).write(null);
    }
  }

  /** Takes {@code set} out of rotation for good (a rolled-back candidate): never routed again. */
  void withdraw(ServiceRuntime s, ReleaseSet set) throws TargetException {
    if (s.routed() && traffic != null) {
      writer(s).withdraw(set);
    }
  }

  /** The weights asked for last; what the router applies is {@link ServiceRuntime#weights}. */
  Map<String, Integer> intended(ServiceRuntime s) {
    return s.routed() && traffic != null ? writer(s).intent() : s.weights;
  }

  /** The first instance of {@code set} that failed readiness while its release shared the traffic, or null. */
  ServiceRoutes.RotationLoss rotationLoss(ServiceRuntime s, ReleaseSet set) {
    return s.routed() && traffic != null ? writer(s).lossOf(set) : null;
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

  private ServiceRoutes writer(ServiceRuntime s) {
    return writers.computeIfAbsent(s.spec.name(), k -> new ServiceRoutes(s, traffic, events,
        Traffic.Route.DEFAULT_DRAIN_TIMEOUT, clock, access));
  }
}
