package dev.slipway.model;

import static dev.slipway.model.Models.error;
import static dev.slipway.model.Models.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An environment's {@code router:}: whether clients may pin a release and see which one served them; its limits. */
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

  private static String env(String body) {
    return "name: shop\nenvironments:\n  dev:\n" + body;
  }

  @Test
  void load_whenRouterLimitsSet_bindsThem_andLeavesTheRestToTheRouter() {
    EnvironmentSpec dev = parse(env("    router: { maxConnections: 2000, requestHeadTimeout: 5s, tunnelIdleTimeout: 10m }\n"))
        .environments().get("dev");

    assertThat(dev.router().limits()).isEqualTo(new RouterLimits(2000, Duration.ofSeconds(5), null, null, Duration.ofMinutes(10), null));
    assertThat(dev.router().pinning()).as("dev's default stays").isTrue();
    assertThat(parse(env("    target: local\n")).environments().get("dev").router().limits()).isEqualTo(RouterLimits.DEFAULTS);
  }

  @Test
  void load_whenARouterKeyIsMisspelt_suggestsTheKey() {
    assertThat(error(env("    router: { requestHeadTimout: 5s }\n"))).isEqualTo("slipway.yaml:4:15: "
        + "environments.dev.router.requestHeadTimout: unknown key `requestHeadTimout`\n    did you mean `requestHeadTimeout`?");
  }

  @Test
  void load_whenALimitIsNotANumberOrDuration_saysWhatToWrite() {
    assertThat(error(env("    router: { maxConnections: lots }\n"))).startsWith("slipway.yaml:4:31: "
        + "environments.dev.router.maxConnections: expected an integer, found `lots`");
    assertThat(error(env("    router: { bodyIdleTimeout: 10 }\n"))).startsWith("slipway.yaml:4:32: "
        + "environments.dev.router.bodyIdleTimeout:");
  }

  @Test
  void load_whenRouterIsSetOnAClusterEnvironment_saysItIsForTheLocalTarget() {
    assertThat(error("name: shop\nenvironments:\n  dev:\n  prod:\n    target: kubernetes\n    router: { maxConnections: 5 }\n"))
        .isEqualTo("slipway.yaml:6:5: environments.prod.router: `router` is only used with `target: local`\n"
            + "    remove `router:`; a cluster environment's traffic goes through its ingress, not Slipway's router");
  }
}
