package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that need no running stack: exit codes, messages, masking. */
class CommandsTest {

  @Test
  void validate_whenTypoUndefinedReferenceAndCycle_printsThreeLocatedErrorsWithFixes_andExits2() throws Exception {
    Path model = fixture("three-errors.yaml");

    CliTestSupport.Result r = CliTestSupport.cli("validate", "-f", model.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    String f = Path.of("").toAbsolutePath().relativize(model).toString();
    assertThat(r.err()).contains(f + ":6:5: services.api.helth: unknown key `helth`")
        .contains("did you mean `health`?")
        .contains(f + ":8:21: services.api.env.DATABASE_URL: undefined resource `dbb`")
        .contains("did you mean `db`?")
        .contains("dependency cycle: ")
        .contains("3 errors in " + f)
        .doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(r.err().lines().filter(l -> l.startsWith(f + ":")).count()).isEqualTo(3);
  }

  @Test
  void deploy_whenTimeoutHasNoUnit_saysHowToWriteIt_beforeTouchingAnything(@TempDir Path dir) {
    CliTestSupport.Result r = CliTestSupport.cli("deploy", "-f", dir.resolve("slipway.yaml").toString(), "api",
        "--timeout", "30");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--timeout").contains("duration `30` has no unit").contains("`30s`")
        .doesNotContain("\tat ");
  }

  @Test
  void validate_whenValid_reportsWhatItFound() throws Exception {
    CliTestSupport.Result r = CliTestSupport.cli("validate", "-f", Path.of("..", "examples", "shop", "slipway.yaml").toString());

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.out()).contains("is valid: 3 services, 2 resources, 3 environments");
  }

  @Test
  void validate_whenFileMissing_saysSoWithoutStackTrace(@TempDir Path dir) {
    CliTestSupport.Result r = CliTestSupport.cli("validate", "-f", dir.resolve("nope.yaml").toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("nope.yaml:1:1").doesNotContain("\tat ");
  }

  @Test
  void config_printsTheEnvironmentsModel_withLiteralSecretsMasked() throws Exception {
    CliTestSupport.Result r = CliTestSupport.cli("config", "-f", fixture("secrets.yaml").toString(),
        "--env", "production");

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.out()).contains("replicas: 3").contains("ADMIN_PASSWORD: '****'")
        .contains("STRIPE_KEY: ${secrets.stripe}").contains("LOG_LEVEL: debug")
        .doesNotContain("hunter2");
  }

  @Test
  void up_whenEnvironmentTargetsKubernetes_refusesWithExit2() throws Exception {
    CliTestSupport.Result r = CliTestSupport.cli("up", "-f", fixture("secrets.yaml").toString(),
        "--env", "production", "--detach");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("environment `production` targets kubernetes");
  }

  @Test
  void modelWithoutEnvironments_validatesAndIsDev_forConfigAndDown(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("slipway.yaml");
    Files.writeString(model, "name: solo\nservices:\n  app:\n    run: \"sleep 60\"\n");

    CliTestSupport.Result validate = CliTestSupport.cli("validate", "-f", model.toString());
    CliTestSupport.Result config = CliTestSupport.cli("config", "-f", model.toString());
    CliTestSupport.Result down = CliTestSupport.cli("down", "-f", model.toString());

    assertThat(validate.code()).as(validate.output()).isZero();
    assertThat(validate.out()).contains("is valid: 1 services, 0 resources, no environments (`slipway up` runs it "
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
  void unknownOption_isAUsageError_exit2_withSuggestion() {
    CliTestSupport.Result r = CliTestSupport.cli("status", "--jsn");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option: '--jsn'").contains("--json");
  }

  @Test
  void logs_whenNothingRuns_saysHowToStart(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("slipway.yaml");
    Files.writeString(model, "name: x\nservices:\n  a:\n    run: \"true\"\n");

    CliTestSupport.Result r = CliTestSupport.cli("-f", model.toString(), "logs", "a");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("nothing is running for " + model).contains("slipway up");
  }

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(Objects.requireNonNull(CommandsTest.class.getResource("/cli/" + name)).toURI());
  }
}
