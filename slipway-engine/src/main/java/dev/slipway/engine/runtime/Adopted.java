package dev.slipway.engine.runtime;

import java.util.Map;
import java.util.Set;

/**
 * What an earlier control plane left running and this one took over.
 *
 * @param instances instance ids still running, each with the port it was started with (its
 *                  {@link InstanceSpec#port()}, 0 when none)
 * @param resources backing-service names still running
 * @param router    whether the router was still running
 */
public record Adopted(Map<String, Integer> instances, Set<String> resources, boolean router) {
  public Adopted {
    instances = Map.copyOf(instances);
    resources = Set.copyOf(resources);
  }

  public boolean any() {
    return router || !instances.isEmpty() || !resources.isEmpty();
  }
}
