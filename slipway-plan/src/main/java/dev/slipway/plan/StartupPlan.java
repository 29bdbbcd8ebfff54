package dev.slipway.plan;

import dev.slipway.model.DependencyCondition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The order in which an application's parts start: every part appears after everything it waits
 * for. Parts with no path between them may start concurrently; {@link Step#waitsFor()} says exactly
 * what each one must wait for, so the engine can start them as soon as that holds.
 *
 * @param steps backing services and services, dependencies first
 */
public record StartupPlan(List<Step> steps) {

  public StartupPlan {
    steps = List.copyOf(steps);
  }

  /** What kind of part a step starts. */
  public enum Kind {
    RESOURCE,
    SERVICE
  }

  /**
   * One part to start.
   *
   * @param name     service or resource name
   * @param kind     which of the two
   * @param waitsFor names of the parts it waits for, with the condition each must reach
   */
  public record Step(String name, Kind kind, Map<String, DependencyCondition> waitsFor) {
    public Step {
      waitsFor = Map.copyOf(waitsFor);
    }
  }

  /** The order to stop in: dependants before what they depend on. */
  public List<Step> stopOrder() {
    List<Step> reversed = new ArrayList<>(steps);
    Collections.reverse(reversed);
    return reversed;
  }

  /** The step of {@code name}. */
  public Step step(String name) {
    return steps.stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no step " + name));
  }
}
