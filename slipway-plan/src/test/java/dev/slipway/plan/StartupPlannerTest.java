package dev.slipway.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.model.AppSpec;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BackingServiceType;
import dev.slipway.model.DependencyCondition;
import dev.slipway.model.HealthSpec;
import dev.slipway.model.ModelLocations;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.StrategySpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupPlannerTest {

  @Test
  void plan_putsResourcesFirstAndEveryServiceAfterItsDependencies() {
    AppSpec app = app(
        service("web", Map.of("api", DependencyCondition.HEALTHY)),
        service("api", Map.of("db", DependencyCondition.HEALTHY, "cache", DependencyCondition.STARTED)),
        service("worker", Map.of("db", DependencyCondition.HEALTHY)));

    List<String> order = StartupPlanner.plan(app).steps().stream().map(StartupPlan.Step::name).toList();

    assertThat(order).containsExactly("db", "cache", "api", "web", "worker");
    assertThat(StartupPlanner.plan(app).step("api").waitsFor())
        .containsEntry("cache", DependencyCondition.STARTED)
        .containsEntry("db", DependencyCondition.HEALTHY);
  }

  @Test
  void stopOrder_isTheReverseOfStartOrder() {
    AppSpec app = app(service("web", Map.of("api", DependencyCondition.HEALTHY)), service("api", Map.of()));

    List<String> order = StartupPlanner.plan(app).stopOrder().stream().map(StartupPlan.Step::name).toList();

    assertThat(order).containsExactly("web", "api", "cache", "db");
  }

  @Test
  void plan_whenServicesDependOnEachOther_namesTheCycle() {
    AppSpec app = app(
        service("a", Map.of("b", DependencyCondition.HEALTHY)),
        service("b", Map.of("c", DependencyCondition.HEALTHY)),
        service("c", Map.of("a", DependencyCondition.HEALTHY)));

    assertThatThrownBy(() -> StartupPlanner.plan(app))
        .isInstanceOf(PlanException.class)
        .hasMessage("dependency cycle: a → b → c → a");
  }

  private static ServiceSpec service(String name, Map<String, DependencyCondition> dependsOn) {
    return new ServiceSpec(name, null, "true", null, 8080, HealthSpec.defaults(), Map.of(), 1, null,
        new LinkedHashMap<>(dependsOn), null, StrategySpec.defaultStrategy());
  }

  private static AppSpec app(ServiceSpec... services) {
    Map<String, ServiceSpec> byName = new LinkedHashMap<>();
    for (ServiceSpec s : services) {
      byName.put(s.name(), s);
    }
    Map<String, BackingServiceSpec> resources = new LinkedHashMap<>();
    resources.put("db", new BackingServiceSpec("db", BackingServiceType.POSTGRES, "15",
        BackingServiceSpec.Provider.EMBEDDED, null, "shop", "shop"));
    resources.put("cache", new BackingServiceSpec("cache", BackingServiceType.REDIS, "6",
        BackingServiceSpec.Provider.EMBEDDED, null, null, null));
    return new AppSpec("shop", Path.of("/tmp/slipway.yaml"), null, byName, resources, Map.of(), Map.of(),
        ModelLocations.empty());
  }
}
