package dev.slipway.model;

import static dev.slipway.model.Models.FILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which environment commands may load: {@code dev} is implicit (and local) in a model without
 * environments; {@code slipway up} needs a local one; {@code validate} reports what {@code up} would.
 */
class ModelLoaderEnvironmentTest {
  private static final String NO_ENVIRONMENTS = "name: shop\nservices:\n  api: { run: x }\n";

  @Test
  void load_whenNoEnvironments_devIsTheBaseModelRunLocally() {
    AppSpec app = ModelLoader.parse(NO_ENVIRONMENTS, FILE, "dev", true);

    assertThat(app.environment()).isEqualTo("dev");
    assertThat(app.environments()).isEmpty();
    assertThat(app.selectedEnvironment()).contains(new EnvironmentSpec("dev", EnvironmentSpec.TargetKind.LOCAL, null));
    assertThat(app.service("api").run()).isEqualTo("x");
  }

  @Test
  void validateAll_whenNoEnvironments_isValid_asUpLoadsIt() {
    assertThat(ModelLoader.validateAll(NO_ENVIRONMENTS, FILE)).isEmpty();
  }

  @Test
  void load_whenNoEnvironments_andAnotherName_suggestsDeclaringItWithDev_localForUp() {
    ModelError e = single(() -> ModelLoader.parse(NO_ENVIRONMENTS, FILE, "staging", true));

    assertThat(e.format()).isEqualTo("slipway.yaml:1:1: environments: unknown environment `staging`\n"
        + "    this model declares no environments; add e.g. `environments: { dev: { target: local }, "
        + "staging: { target: local } }`");
    assertThat(e.fix().kind()).isEqualTo(ModelFix.Kind.ENVIRONMENT_ADD);
  }

  @Test
  void load_whenEnvironmentsButNoDev_saysToDeclareDev_andValidateSaysSoToo() {
    String yaml = NO_ENVIRONMENTS + "environments:\n  production: { target: kubernetes }\n";
    String expected = "slipway.yaml:4:1: environments: unknown environment `dev`\n"
        + "    commands use `dev` unless --env names another; add `dev: { target: local }` under `environments:`, "
        + "or pass --env with one of `production`";

    assertThat(single(() -> ModelLoader.parse(yaml, FILE, "dev", true)).format()).isEqualTo(expected);
    assertThat(ModelLoader.validateAll(yaml, FILE)).extracting(ModelError::format).containsExactly(expected);
    assertThat(ModelLoader.parse(yaml, FILE, "production").environment()).isEqualTo("production");
  }

  @Test
  void loadLocal_whenDevTargetsKubernetes_pointsAtTheTarget_andValidateReportsItOnce() {
    String yaml = NO_ENVIRONMENTS + "environments:\n  dev: { target: kubernetes }\n";
    String expected = "slipway.yaml:5:18: environments.dev.target: environment `dev` targets kubernetes; "
        + "`slipway up` runs environments whose target is local\n"
        + "    `dev` is what `slipway up` runs without --env; write `target: local`, and give the cluster "
        + "environment another name (e.g. `staging`)";

    assertThat(single(() -> ModelLoader.parse(yaml, FILE, "dev", true)).format()).isEqualTo(expected);
    assertThat(ModelLoader.validateAll(yaml, FILE)).extracting(ModelError::format).containsExactly(expected);
    assertThat(ModelLoader.parse(yaml, FILE, "dev").environment()).isEqualTo("dev");
  }

  @Test
  void loadLocal_whenAnotherEnvironmentTargetsKubernetes_saysToRunALocalOne_withoutAFix() {
    String yaml = NO_ENVIRONMENTS + "environments:\n  dev: {}\n  production: { target: kubernetes }\n";

    ModelError e = single(() -> ModelLoader.parse(yaml, FILE, "production", true));

    assertThat(e.format()).isEqualTo("slipway.yaml:6:25: environments.production.target: environment `production` "
        + "targets kubernetes; `slipway up` runs environments whose target is local\n"
        + "    run a local environment, e.g. --env dev");
    assertThat(e.fix()).isNull();
    assertThat(ModelLoader.validateAll(yaml, FILE)).isEmpty();
  }

  @Test
  void loadLocal_fromAFile_appliesTheSameRules(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Path file = dir.resolve("slipway.yaml");
    java.nio.file.Files.writeString(file, NO_ENVIRONMENTS);

    assertThat(ModelLoader.loadLocal(file, ModelLoader.DEFAULT_ENVIRONMENT).environment()).isEqualTo("dev");
    assertThat(ModelLoader.load(file, "dev").selectedEnvironment().orElseThrow().target())
        .isEqualTo(EnvironmentSpec.TargetKind.LOCAL);
  }

  private static ModelError single(Runnable load) {
    ModelException e = catchThrowableOfType(ModelException.class, load::run);
    assertThat(e).isNotNull();
    List<ModelError> errors = e.errors();
    assertThat(errors).extracting(ModelError::format).hasSize(1);
    return errors.getFirst();
  }
}
