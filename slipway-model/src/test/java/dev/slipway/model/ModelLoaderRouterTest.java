package dev.slipway.model;

import static dev.slipway.model.Models.error;
import static dev.slipway.model.Models.parse;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An environment's {@code router:}: whether clients may pin a release and see which one served them. */
class ModelLoaderRouterTest {

  private static final String ENVS = "name: shop\nenvironments:\n  dev: { target: local }\n  staging:\n"
      + "    target: local\n";

  @Test
  void defaults_areOnInDev_andOffElsewhere() {
    assertThat(parse("name: shop\n", "dev").selectedEnvironment().orElseThrow().router())
        .as("the implicit dev").isEqualTo(new RouterSpec(true, true));
    AppSpec app = parse(ENVS);
    assertThat(app.environments().get("dev").router()).isEqualTo(new RouterSpec(true, true));
    assertThat(app.environments().get("staging").router()).isEqualTo(new RouterSpec(false, false));
  }

  @Test
  void keysGiven_overrideTheDefaults_oneByOne() {
    assertThat(parse(ENVS + "    router: { pinning: true }\n").environments().get("staging").router())
        .isEqualTo(new RouterSpec(true, false));
    assertThat(parse(ENVS.replace("dev: { target: local }", "dev: { router: { versionHeader: false } }"))
        .environments().get("dev").router()).isEqualTo(new RouterSpec(true, false));
  }

  @Test
  void aValueThatIsNotTrueOrFalse_isAnErrorAtItsPlace() {
    assertThat(error(ENVS + "    router: { pinning: yes }\n")).isEqualTo("slipway.yaml:6:24: "
        + "environments.staging.router.pinning: expected true or false, found `yes`\n    write `true` or `false`");
    assertThat(error(ENVS + "    router: { pinning: \"false\" }\n")).startsWith("slipway.yaml:6:24: "
        + "environments.staging.router.pinning: expected true or false, found the quoted string `\"false\"`");
  }

  @Test
  void aMisspeltKey_suggestsTheRightOne() {
    assertThat(error(ENVS + "    router: { pining: false }\n")).isEqualTo("slipway.yaml:6:15: "
        + "environments.staging.router.pining: unknown key `pining`\n    did you mean `pinning`?");
  }
}
