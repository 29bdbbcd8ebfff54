package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slipway validate} accepts exactly what the commands that load the model accept: a model
 * without environments is the local {@code dev} for {@code config}, {@code up} and {@code down}; what
 * {@code up} refuses, {@code validate} reports; and what the hints suggest, applied, is accepted.
 */
class ValidateCommandTest {

  @Test
  void modelWithoutEnvironments_validatesAndIsDev_forConfigAndDown(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("slipway.yaml");
    Files.writeString(model, "name: solo\nservices:\n  app:\n    run: \"sleep 60\"\n");

    CliTestSupport.Result validate = CliTestSupport.cli("validate", "-f", model.toString());
    CliTestSupport.Result config = CliTestSupport.cli("config", "-f", model.toString());
    CliTestSupport.Result down = CliTestSupport.cli("down", "-f", model.toString());

    assertThat(validate.code()).as(validate.output()).isZero();
    assertThat(validate.out()).contains("is valid: 1 service, 0 resources, no environments (`slipway up` runs it "
        + "locally as dev)");
    assertThat(config.code()).as(config.output()).isZero();
    assertThat(config.out()).contains("environment: dev").contains("sleep 60");
    assertThat(down.code()).as(down.output()).isZero();
    assertThat(down.out()).contains("Nothing was running for " + model);
  }

  @Test
  void validateAndUp_agree_whenTheModelHasEnvironmentsButNoDev(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("slipway.yaml");
    Files.writeString(model, "name: solo\nservices:\n  app: { run: \"sleep 60\" }\n"
        + "environments:\n  production: { target: kubernetes }\n");

    CliTestSupport.Result validate = CliTestSupport.cli("validate", "-f", model.toString());
    CliTestSupport.Result up = CliTestSupport.cli("up", "-f", model.toString(), "--detach");

    String error = ":4:1: environments: unknown environment `dev`";
    String hint = "add `dev: { target: local }` under `environments:`";
    assertThat(validate.code()).as(validate.output()).isEqualTo(2);
    assertThat(validate.err()).contains(error).contains(hint);
    assertThat(up.code()).as(up.output()).isEqualTo(2);
    assertThat(up.err()).contains(error).contains(hint);
    assertThat(dir.resolve(".slipway")).doesNotExist();
  }

  @Test
  void validateAndUp_agree_whenDevTargetsKubernetes(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("slipway.yaml");
    Files.writeString(model, "name: solo\nservices:\n  app: { run: \"sleep 60\" }\n"
        + "environments:\n  dev: { target: kubernetes }\n");

    CliTestSupport.Result validate = CliTestSupport.cli("validate", "-f", model.toString());
    CliTestSupport.Result up = CliTestSupport.cli("up", "-f", model.toString(), "--detach");

    String error = ":5:18: environments.dev.target: environment `dev` targets kubernetes";
    assertThat(validate.code()).as(validate.output()).isEqualTo(2);
    assertThat(validate.err()).contains(error).contains("write `target: local`");
    assertThat(up.code()).as(up.output()).isEqualTo(2);
    assertThat(up.err()).contains(error);
  }

  @Test
  void validateFix_makesTheEditsTheHintsName_andReportsWhatIsLeft(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("slipway.yaml");
    Files.writeString(model, "name: solo\nservices:\n  app:\n    run: x\n    port: 8080\n    helth: { ready: /r }\n"
        + "    env:\n      SERVER_PORT: ${PORT}\n      HOME_DIR: ${HOME}\n");

    CliTestSupport.Result r = CliTestSupport.cli("validate", "-f", model.toString(), "--fix");

    assertThat(r.code()).as(r.output()).isEqualTo(2);
    assertThat(r.out()).contains("fixed ").contains("services.app.helth: unknown key `helth` (did you mean `health`?)")
        .contains("services.app.env.SERVER_PORT: `${PORT}` is not a reference");
    assertThat(Files.readString(model)).contains("    health: { ready: /r }\n", "      SERVER_PORT: ${self.port}\n",
        "      HOME_DIR: ${HOME}\n");
    assertThat(r.err()).contains("services.app.env.HOME_DIR: `${HOME}` is not a reference").contains("1 error in");
  }

  @Test
  void validateFix_replacesTheFileALinkPointsAt_keepingItsPermissions_andLeavesNoTempFile(@TempDir Path dir)
      throws IOException {
    Path real = Files.createDirectories(dir.resolve("models")).resolve("app.yaml");
    Files.writeString(real, "name: solo\nservices:\n  app:\n    run: x\n    helth: { ready: /r }\n");
    Files.setPosixFilePermissions(real, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
    Path link = Files.createSymbolicLink(dir.resolve("slipway.yaml"), real);

    CliTestSupport.Result r = CliTestSupport.cli("validate", "-f", link.toString(), "--fix");

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(real)).contains("    health: { ready: /r }");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(real)))
        .isEqualTo("rw-rw-r--");
    try (java.util.stream.Stream<Path> left = Files.list(real.getParent())) {
      assertThat(left).containsExactly(real);
    }
  }

  @Test
  void generate_withoutAClusterEnvironment_suggestsEnvironmentsThatValidateAccepts(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("slipway.yaml");
    Files.writeString(model, "name: solo\nservices:\n  app: { run: \"sleep 60\", image: ghcr.io/acme/solo, port: 8080 }\n");

    CliTestSupport.Result refused = CliTestSupport.cli("generate", "kubernetes", "-f", model.toString(), "-o",
        dir.resolve("out").toString());
    assertThat(refused.code()).as(refused.output()).isEqualTo(2);
    String suggestion = "environments: { dev: { target: local }, production: { target: kubernetes } }";
    assertThat(refused.err()).contains("add `" + suggestion + "`");

    Files.writeString(model, Files.readString(model) + suggestion + "\n");
    CliTestSupport.Result validate = CliTestSupport.cli("validate", "-f", model.toString());
    CliTestSupport.Result generate = CliTestSupport.cli("generate", "kubernetes", "-f", model.toString(), "-o",
        dir.resolve("out").toString());
    assertThat(validate.code()).as(validate.output()).isZero();
    assertThat(generate.code()).as(generate.output()).isZero();
  }
}
