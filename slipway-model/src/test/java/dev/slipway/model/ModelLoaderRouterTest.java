package dev.slipway.model;

import static dev.slipway.model.Models.error;
import static dev.slipway.model.Models.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An environment's {@code router:} limits. */
class ModelLoaderRouterTest {

  private static String env(String body) {
    return "name: shop\nenvironments:\n  dev:\n" + body;
  }

  @Test
  void load_whenRouterLimitsSet_bindsThem_andLeavesTheRestToTheRouter() {
    EnvironmentSpec dev = parse(env("    router: { maxConnections: 2000, requestHeadTimeout: 5s, tunnelIdleTimeout: 10m }\n"))
        .environments().get("dev");

    assertThat(dev.router()).isEqualTo(new RouterSpec(2000, Duration.ofSeconds(5), null, null, Duration.ofMinutes(10), null));
    assertThat(parse(env("    target: local\n")).environments().get("dev").router()).isNull();
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
