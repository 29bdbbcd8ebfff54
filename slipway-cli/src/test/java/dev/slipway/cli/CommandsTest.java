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
  void config_ofAKubernetesEnvironment_showsWhereItsAnalysisReads() {
    CliTestSupport.Result r = CliTestSupport.cli("config", "-f", Path.of("..", "examples", "shop", "slipway.yaml").toString(),
        "--env", "staging");

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.out()).contains("  staging:\n    target: kubernetes\n    namespace: shop-staging\n    prometheus:\n"
        + "      url: http://prometheus.monitoring.svc:9090\n      metrics: micrometer\n");
  }

  @Test
  void config_ofAPromotedEnvironment_showsItsGatesWithDefaultsFilledIn() {
    CliTestSupport.Result r = CliTestSupport.cli("config", "-f", Path.of("..", "examples", "shop", "slipway.yaml").toString(),
        "--env", "production");

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.out()).contains("      metrics: micrometer\n    promotion:\n      from: staging\n      soak: 1h\n"
        + "      approvals: 1\n      approvers:\n      - release\n    protected: true\n");
  }

  @Test
  void up_whenEnvironmentTargetsKubernetes_refusesWithExit2() throws Exception {
    CliTestSupport.Result r = CliTestSupport.cli("up", "-f", fixture("secrets.yaml").toString(),
        "--env", "production", "--detach");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("environment `production` targets kubernetes");
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

  @Test
  void logs_dashF_isTheModelFile_likeEverywhere_andFollowingIsSpeltOut(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("slipway.yaml");
    Files.writeString(model, "name: x\nservices:\n  a:\n    run: \"true\"\n");

    CliTestSupport.Result r = CliTestSupport.cli("logs", "-f", model.toString(), "a", "--follow");
    CliTestSupport.Result habit = CliTestSupport.cli("logs", "a", "-f");

    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(r.err()).contains("nothing is running for " + model);
    assertThat(habit.code()).isEqualTo(2);
    assertThat(habit.err()).contains("to follow the log, use `--follow`");
  }

  @Test
  void deploy_setValues_areCheckedLikeEnvValues_beforeAnythingIsTouched(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("slipway.yaml");
    Files.writeString(model, "name: x\nservices:\n  api:\n    run: \"true\"\n    port: 8080\n"
        + "resources:\n  db: { type: postgres }\n");

    CliTestSupport.Result port = CliTestSupport.cli("deploy", "-f", model.toString(), "api", "--set", "SERVER_PORT=${PORT}");
    CliTestSupport.Result two = CliTestSupport.cli("deploy", "-f", model.toString(), "api",
        "--set", "DB=${resources.dbb.jdbcUrl}", "--set", "PASSWORD=s3cret-${HOME}");
    CliTestSupport.Result fine = CliTestSupport.cli("deploy", "-f", model.toString(), "api",
        "--set", "SERVER_PORT=${self.port}", "--set", "URL=${resources.db.jdbcUrl}", "--set", "RATE=0.05");

    assertThat(port.code()).as(port.output()).isEqualTo(2);
    assertThat(port.err()).contains("--set SERVER_PORT: `${PORT}` is not a reference").contains("${self.port}");
    assertThat(two.code()).as(two.output()).isEqualTo(2);
    assertThat(two.err()).contains("2 --set values are not valid").contains("--set DB: undefined resource `dbb`")
        .contains("did you mean `db`?").contains("--set PASSWORD:").doesNotContain("s3cret");
    assertThat(fine.code()).as(fine.output()).isEqualTo(1);
    assertThat(fine.err()).contains("nothing is running");
  }

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(Objects.requireNonNull(CommandsTest.class.getResource("/cli/" + name)).toURI());
  }
}
