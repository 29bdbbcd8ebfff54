package dev.slipway.plan;

import dev.slipway.model.AppSpec;
import dev.slipway.model.DependencyCondition;
import dev.slipway.model.ServiceSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders an application's start: backing services first (in file order), then services so that each
 * comes after everything in its {@code dependsOn}. Ties keep file order, so the plan is stable.
 * Pure: no I/O, no clocks.
 */
public final class StartupPlanner {
  private StartupPlanner() {}

  /**
   * Plans the start of {@code app}.
   *
   * @throws PlanException when services depend on each other in a cycle (the loader rejects such
   *     models, so this only guards against models built by hand)
   */
  public static StartupPlan plan(AppSpec app) {
    List<StartupPlan.Step> steps = new ArrayList<>();
    for (String resource : app.resources().keySet()) {
      steps.add(new StartupPlan.Step(resource, StartupPlan.Kind.RESOURCE, Map.of()));
    }
    Set<String> placed = new HashSet<>(app.resources().keySet());
    Set<String> visiting = new HashSet<>();
    for (ServiceSpec service : app.services().values()) {
      place(app, service.name(), placed, visiting, new ArrayList<>(), steps);
    }
    return new StartupPlan(steps);
  }

  private static void place(AppSpec app, String name, Set<String> placed, Set<String> visiting,
      List<String> trail, List<StartupPlan.Step> steps) {
    if (placed.contains(name)) {
      return;
    }
    ServiceSpec service = app.services().get(name);
    if (service == null) {
      throw new PlanException("`" + name + "` is neither a service nor a resource");
    }
    trail.add(name);
    if (!visiting.add(name)) {
      throw new PlanException("dependency cycle: " + String.join(" → ", trail.subList(trail.indexOf(name), trail.size())));
    }
    for (String dependency : service.dependsOn().keySet()) {
      place(app, dependency, placed, visiting, trail, steps);
    }
    visiting.remove(name);
    trail.remove(trail.size() - 1);
    placed.add(name);
    Map<String, DependencyCondition> waits = new LinkedHashMap<>(service.dependsOn());
    steps.add(new StartupPlan.Step(name, StartupPlan.Kind.SERVICE, waits));
  }
}
