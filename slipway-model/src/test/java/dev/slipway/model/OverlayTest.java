package dev.slipway.model;

import static dev.slipway.model.Models.errors;
import static dev.slipway.model.Models.fixture;
import static dev.slipway.model.Models.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Environment overlays: merged into the base at the node level before binding. */
class OverlayTest {

  @Test
  void load_whenOverlayListsSmokeChecks_mergesThemByNameWithoutDuplicates() {
    AppSpec staging = ModelLoader.load(fixture("overlays.yaml"), "staging");

    StrategySpec.BlueGreen bg = (StrategySpec.BlueGreen) staging.service("api").strategy();
    assertThat(bg.smoke()).containsExactly(
        new StrategySpec.SmokeCheck("home", "/", 200),
        new StrategySpec.SmokeCheck("orders", "/orders/v2", 204),
        new StrategySpec.SmokeCheck("health", "/health", 200));
    assertThat(bg.rollbackWindow()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void load_whenOverlayChangesSomeKeys_keepsTheOthersFromTheBase() {
    ServiceSpec api = ModelLoader.load(fixture("overlays.yaml"), "staging").service("api");

    assertThat(api.replicas()).isEqualTo(2);
    assertThat(api.env()).containsEntry("MODE", Template.literal("staging")).containsEntry("LOG", Template.literal("info"));
    assertThat(api.port()).isEqualTo(8080);
    assertThat(api.run()).isEqualTo("java -jar api.jar");
  }

  @Test
  void load_whenOverlayPicksAnotherStrategy_replacesItInsteadOfMerging() {
    AppSpec staging = ModelLoader.load(fixture("overlays.yaml"), "staging");

    assertThat(staging.service("worker").strategy()).isEqualTo(new StrategySpec.Rolling(2, 0));
  }

  @Test
  void load_whenOverlayMakesAResourceExternal_bindsTheMergedResource() {
    BackingServiceSpec db = ModelLoader.load(fixture("overlays.yaml"), "staging").resources().get("db");

    assertThat(db.provider()).isEqualTo(BackingServiceSpec.Provider.EXTERNAL);
    assertThat(db.url().raw()).isEqualTo("${secrets.dburl}");
    assertThat(db.database()).isEqualTo("shop");
  }

  @Test
  void load_withoutEnvironment_ignoresTheOverlays() {
    AppSpec base = ModelLoader.load(fixture("overlays.yaml"), null);

    assertThat(base.service("api").replicas()).isEqualTo(1);
    assertThat(((StrategySpec.BlueGreen) base.service("api").strategy()).smoke()).hasSize(2);
    assertThat(base.resources().get("db").provider()).isEqualTo(BackingServiceSpec.Provider.EMBEDDED);
  }

  @Test
  void load_whenOverlayValueIsBad_pointsIntoTheOverlay() {
    Path file = fixture("overlays.yaml");

    ModelException e = org.assertj.core.api.Assertions.catchThrowableOfType(ModelException.class,
        () -> ModelLoader.load(file, "broken"));

    assertThat(e.errors()).extracting(ModelError::format).containsExactly(file + ":40:24: services.api.replicas: "
        + "expected an integer, found `many`\n    write the number of instances, e.g. `2`");
  }

  @Test
  void load_whenOverlayNamesUnknownService_suggestsTheClosest() {
    assertThat(errors("""
        name: shop
        services: { api: { run: x } }
        environments:
          staging: { services: { apii: { replicas: 2 } } }
        """)).containsExactly("slipway.yaml:4:26: environments.staging.services.apii: unknown service `apii`\n"
        + "    did you mean `api`?");
  }

  @Test
  void load_whenOverlayNamesUnknownResource_listsTheResources() {
    assertThat(errors("""
        name: shop
        resources: { db: { type: postgres } }
        environments:
          staging: { resources: { cache: { type: redis } } }
        """)).containsExactly("slipway.yaml:4:27: environments.staging.resources.cache: unknown resource `cache`\n"
        + "    an overlay can only change resources defined at the top level: `db`");
  }

  @Test
  void load_whenEnvironmentUnknown_suggestsAndListsTheDeclaredOnes() {
    assertThat(errors("name: shop\nenvironments: { dev: {}, staging: {} }\n", "stagign")).containsExactly(
        "slipway.yaml:2:1: environments: unknown environment `stagign`\n"
            + "    did you mean `staging`? declared: `dev`, `staging`");
  }

  @Test
  void load_whenOverlaySetsNull_fallsBackToTheDefault() {
    AppSpec app = parse("""
        name: shop
        services: { api: { run: x, replicas: 3, image: acme/api } }
        environments:
          dev: { services: { api: { replicas: ~, image: null } } }
        """, "dev");

    assertThat(app.service("api").replicas()).isEqualTo(1);
    assertThat(app.service("api").image()).isNull();
  }

  @Test
  void load_whenOverlayReplacesAPlainList_doesNotAppend() {
    AppSpec app = parse("""
        name: shop
        services:
          api: { run: x, build: { command: make, inputs: [a, b] } }
        environments:
          ci: { services: { api: { build: { inputs: [c] } } } }
        """, "ci");

    assertThat(app.service("api").build()).isEqualTo(new BuildSpec("make", List.of("c"), List.of()));
  }

  @Test
  void load_whenOverlayMisspellsAKey_reportsItInTheOverlay() {
    assertThat(errors("""
        name: shop
        services: { api: { run: x } }
        environments:
          staging: { services: { api: { replicsa: 2 } } }
        """, "staging")).containsExactly("slipway.yaml:4:33: services.api.replicsa: unknown key `replicsa`\n"
        + "    did you mean `replicas`?");
  }
}
