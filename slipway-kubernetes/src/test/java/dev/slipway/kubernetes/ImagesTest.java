package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.model.HealthSpec;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.StrategySpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImagesTest {
  private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

  @Test
  void imageOption_winsWhole_overTheModelAndTheTag() throws Exception {
    assertThat(Images.resolve(service("ghcr.io/acme/api:1.0"), "v2", "other.io/x/api@" + DIGEST, false))
        .isEqualTo("other.io/x/api@" + DIGEST);
  }

  @Test
  void imageTag_replacesTheTag_keepingRegistryPortAndPath() throws Exception {
    assertThat(Images.resolve(service("registry.example:5000/acme/team/api:1.0"), "v2", null, false))
        .isEqualTo("registry.example:5000/acme/team/api:v2");
    assertThat(Images.resolve(service("registry.example:5000/acme/api"), "v2", null, false))
        .isEqualTo("registry.example:5000/acme/api:v2");
    assertThat(Images.resolve(service("api"), "v2", null, false)).isEqualTo("api:v2");
  }

  @Test
  void imageTag_leavesADigestPinnedImageAsItIs() throws Exception {
    assertThat(Images.resolve(service("ghcr.io/acme/api@" + DIGEST), "v2", null, false))
        .isEqualTo("ghcr.io/acme/api@" + DIGEST);
  }

  @Test
  void withoutOptions_theModelsImage() throws Exception {
    assertThat(Images.resolve(service("ghcr.io/acme/api:1.0"), null, null, false)).isEqualTo("ghcr.io/acme/api:1.0");
  }

  @Test
  void requireDigests_refusesAMutableTag_namingTheRuleAndHowToPassADigest() throws Exception {
    assertThatThrownBy(() -> Images.resolve(service("ghcr.io/acme/shop-api:1.0"), "v2", null, true))
        .isInstanceOfSatisfying(KubernetesException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(2);
          assertThat(e.getMessage()).contains("ghcr.io/acme/shop-api:v2").contains("requireDigests: true");
          assertThat(e.fix()).contains("--image ghcr.io/acme/shop-api@sha256:");
        });
    assertThat(Images.resolve(service("ghcr.io/acme/api:1.0"), null, "ghcr.io/acme/api@" + DIGEST, true))
        .isEqualTo("ghcr.io/acme/api@" + DIGEST);
    // A digest must be a whole sha256, not a prefix.
    assertThatThrownBy(() -> Images.resolve(service("x"), null, "ghcr.io/acme/api@sha256:0123", true))
        .isInstanceOf(KubernetesException.class);
  }

  @Test
  void aServiceWithoutImage_isRefusedClearly() {
    assertThatThrownBy(() -> Images.resolve(service(null), "v2", null, false))
        .isInstanceOfSatisfying(KubernetesException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(2);
          assertThat(e.getMessage()).contains("`api` has no `image:`");
          assertThat(e.fix()).contains("image:");
        });
  }

  @Test
  void aMalformedTag_isRefused() {
    assertThatThrownBy(() -> Images.resolve(service("ghcr.io/acme/api"), "v2/../x", null, false))
        .isInstanceOfSatisfying(KubernetesException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
  }

  private static ServiceSpec service(String image) {
    return new ServiceSpec("api", null, "true", image, 8080, HealthSpec.defaults(), Map.of(), 1, null, Map.of(), null,
        new StrategySpec.Rolling(1, 0));
  }
}
