package dev.slipway.local;

import dev.slipway.engine.runtime.TargetException;
import dev.slipway.engine.runtime.Traffic;

/** Writes routes the way a single writer does: based on what the router applies now. */
final class TrafficWrites {
  private TrafficWrites() {}

  static Traffic.Applied put(Traffic traffic, String service, Traffic.Route route) throws TargetException {
    Traffic.Applied applied = traffic.route(service, route, traffic.applied(service).generation());
    if (!applied.written()) {
      throw new AssertionError("the routes of " + service + " were not written: " + applied);
    }
    return applied;
  }
}
