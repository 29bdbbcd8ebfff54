package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DockerCliTest {
  @Test
  void containerName_ofTheModelsOwnStateDir_isUnchanged_andAnotherStateDirGetsItsOwn() {
    Path base = Path.of("/work/shop");
    assertThat(DockerCli.containerName("shop", base, base.resolve(".slipway"), "db")).isEqualTo("slipway-shop-db");
    String one = DockerCli.containerName("shop", base, Path.of("/state/previews/pr-1/state"), "db");
    String two = DockerCli.containerName("shop", base, Path.of("/state/previews/pr-2/state"), "db");
    assertThat(one).startsWith("slipway-shop-").endsWith("-db").isNotEqualTo("slipway-shop-db").isNotEqualTo(two);
    assertThat(DockerCli.containerName("shop", base, Path.of("/state/previews/pr-1/state"), "db")).isEqualTo(one);
  }
}
