package dev.slipway.model;

import static dev.slipway.model.Models.app;
import static dev.slipway.model.Models.error;
import static dev.slipway.model.Models.errors;
import static dev.slipway.model.Models.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Errors in {@code name:} and {@code services:}, each with its exact message. */
class ModelLoaderServiceTest {

  @Test
  void load_whenKeyMisspelt_suggestsClosestKey() {
    assertThat(error(app("  api:\n    run: x\n    helth: { ready: /ready }\n")))
        .isEqualTo("slipway.yaml:5:5: services.api.helth: unknown key `helth`\n    did you mean `health`?");
  }

  @Test
  void load_whenKeyUnknownAndNothingClose_listsTheValidKeys() {
    assertThat(error("name: shop\nversion: 3\n")).isEqualTo("slipway.yaml:2:1: version: unknown key `version`\n"
        + "    valid keys here: name, secrets, services, resources, environments");
  }

  @Test
  void load_whenRequiredKeyMisspelt_reportsOnlyTheTypo() {
    assertThat(error(app("  api:\n    rnu: x\n")))
        .isEqualTo("slipway.yaml:4:5: services.api.rnu: unknown key `rnu`\n    did you mean `run`?");
  }

  @Test
  void load_whenNameMissing_saysWhereToAddIt() {
    assertThat(error("services: {}\n")).isEqualTo("slipway.yaml:1:1: missing required key `name`\n"
        + "    add `name: my-app` at the top; it names the app everywhere it is deployed");
  }

  @Test
  void load_whenNameIsNotADnsLabel_suggestsOne() {
    assertThat(error("name: My_Shop\n")).isEqualTo("slipway.yaml:1:7: name: invalid app name `My_Shop`\n"
        + "    use lowercase letters, digits and `-`, at most 63 characters, e.g. `my-shop`");
  }

  @Test
  void load_whenRunMissing_pointsAtTheService() {
    assertThat(error(app("  api:\n    port: 8080\n"))).isEqualTo("slipway.yaml:3:3: services.api: missing required key "
        + "`run`\n    add `run:` with the command that starts one instance, e.g. `run: \"java -jar api.jar\"`");
  }

  @Test
  void load_whenRunEmpty_pointsAtTheKey() {
    assertThat(error(app("  api:\n    run:\n"))).isEqualTo("slipway.yaml:4:5: services.api.run: `run` has no value\n"
        + "    add `run:` with the command that starts one instance, e.g. `run: \"java -jar api.jar\"`");
  }

  @Test
  void load_whenServiceIsNotAMap_saysWhatWasFound() {
    assertThat(error(app("  api: java -jar api.jar\n"))).isEqualTo("slipway.yaml:3:8: services.api: expected a map, "
        + "found `java -jar api.jar`\n    write the service's keys (`run:`, `port:`, …) on indented lines below `api:`");
  }

  @Test
  void load_whenStringExpectedButListFound_saysSo() {
    assertThat(error(app("  api:\n    run: [a, b]\n"))).isEqualTo("slipway.yaml:4:10: services.api.run: expected a "
        + "string, found a list\n    write a single value; quote it if it starts with `{` or `[`");
  }

  @Test
  void load_whenBuildHasNoCommand_saysToAddOne() {
    assertThat(error(app("  api:\n    run: x\n    build: { inputs: [src] }\n"))).isEqualTo("slipway.yaml:5:5: "
        + "services.api.build: missing required key `command`\n    add `command:` with the shell command that builds it");
  }

  @Test
  void load_whenBuildInputsIsAString_saysToWriteAList() {
    assertThat(error(app("  api:\n    run: x\n    build: { command: make, inputs: src }\n"))).isEqualTo(
        "slipway.yaml:5:37: services.api.build.inputs: expected a list, found `src`\n"
            + "    write `[a, b]` or one `- item` per line");
  }

  @Test
  void load_whenPortOutOfRange_givesTheRange() {
    assertThat(error(app("  api:\n    run: x\n    port: 70000\n"))).isEqualTo("slipway.yaml:5:11: services.api.port: "
        + "expected an integer from 1 to 65535, found `70000`\n    use a port from 1 to 65535, e.g. `8080`");
  }

  @Test
  void load_whenPortQuoted_saysToRemoveTheQuotes() {
    assertThat(error(app("  api:\n    run: x\n    port: \"8080\"\n"))).isEqualTo("slipway.yaml:5:11: services.api.port: "
        + "expected an integer, found the quoted string `\"8080\"`\n    remove the quotes");
  }

  @Test
  void load_whenReplicasNegative_givesTheMinimum() {
    assertThat(error(app("  api:\n    run: x\n    replicas: -1\n"))).isEqualTo("slipway.yaml:5:15: services.api.replicas: "
        + "expected an integer of at least 0, found `-1`\n    write the number of instances, e.g. `2`");
  }

  @Test
  void load_whenReplicasHuge_reportsRangeInsteadOfOverflowing() {
    assertThat(error(app("  api:\n    run: x\n    replicas: 99999999999999999999999\n"))).isEqualTo(
        "slipway.yaml:5:15: services.api.replicas: expected an integer of at least 0, found `99999999999999999999999`\n"
            + "    write the number of instances, e.g. `2`");
  }

  @Test
  void load_whenHealthPathLacksSlash_suggestsTheFixedPath() {
    assertThat(error(app("  api:\n    run: x\n    health: { ready: health/ready }\n"))).isEqualTo(
        "slipway.yaml:5:22: services.api.health.ready: expected a path starting with `/`, found `health/ready`\n"
            + "    write `/health/ready`");
  }

  @Test
  void load_whenHealthIntervalIsABareNumber_saysToAddAUnit() {
    assertThat(error(app("  api:\n    run: x\n    health: { interval: 5 }\n"))).isEqualTo(
        "slipway.yaml:5:25: services.api.health.interval: duration `5` has no unit\n    add a unit, e.g. `5s`");
  }

  @Test
  void load_whenHealthTimeoutIsZero_asksForAPositiveDuration() {
    assertThat(error(app("  api:\n    run: x\n    health: { startupTimeout: 0s }\n"))).isEqualTo(
        "slipway.yaml:5:31: services.api.health.startupTimeout: expected a duration longer than 0, found `0s`\n"
            + "    write e.g. `1s`");
  }

  @Test
  void load_whenEnvNameInvalid_explainsTheRule() {
    assertThat(error(app("  api:\n    run: x\n    env: { 1PORT: x }\n"))).isEqualTo("slipway.yaml:5:12: "
        + "services.api.env.1PORT: invalid environment variable name `1PORT`\n"
        + "    use letters, digits and `_`, not starting with a digit");
  }

  @Test
  void load_whenEnvValueMissing_showsHowToWriteAnEmptyOne() {
    assertThat(error(app("  api:\n    run: x\n    env:\n      DEBUG:\n"))).isEqualTo("slipway.yaml:6:7: "
        + "services.api.env.DEBUG: `DEBUG` has no value\n    write `DEBUG: \"\"` for an empty value");
  }

  @Test
  void load_whenEnvValueIsAMap_saysValuesAreText() {
    assertThat(error(app("  api:\n    run: x\n    env:\n      JSON: { a: 1 }\n"))).isEqualTo("slipway.yaml:6:13: "
        + "services.api.env.JSON: expected a string, found a map\n"
        + "    environment values are text; quote it if it starts with `{` or `[`");
  }

  @Test
  void load_whenCpuAndMemoryWritten_convertsToMillicoresAndBytes() {
    AppSpec app = parse(app("  api:\n    run: x\n    resources: { cpu: 0.5, memory: 1.5Gi }\n"));

    assertThat(app.service("api").compute()).isEqualTo(new ComputeSpec(new Quantity("0.5", 500),
        new Quantity("1.5Gi", 1_610_612_736L)));
  }

  @Test
  void load_whenMemoryUsesMilli_suggestsMebibytes() {
    assertThat(error(app("  api:\n    run: x\n    resources: { memory: 512m }\n"))).isEqualTo("slipway.yaml:5:26: "
        + "services.api.resources.memory: expected a memory size, found `512m`\n"
        + "    `m` means thousandths of a byte; write `512Mi` (mebibytes) or `512M` (megabytes)");
  }

  @Test
  void load_whenCpuIsZero_asksForMore() {
    assertThat(error(app("  api:\n    run: x\n    resources: { cpu: 0m }\n"))).isEqualTo("slipway.yaml:5:23: "
        + "services.api.resources.cpu: cpu must be more than 0, found `0m`\n    write e.g. `100m` or `1`");
  }

  @Test
  void load_whenAutoscalingWritten_bindsMinMaxAndCpu() {
    AppSpec app = parse(app("  api:\n    run: x\n    autoscaling: { min: 2, max: 10, cpu: 80% }\n"
        + "  web:\n    run: x\n    replicas: 3\n    autoscaling: { max: 5 }\n"));

    assertThat(app.service("api").autoscaling()).isEqualTo(new AutoscalingSpec(2, 10, 0.8));
    assertThat(app.service("web").autoscaling()).as("min defaults to replicas, cpu to 70%")
        .isEqualTo(new AutoscalingSpec(3, 5, 0.7));
  }

  @Test
  void load_whenAutoscalingMaxBelowMin_pointsAtMax() {
    assertThat(error(app("  api:\n    run: x\n    autoscaling: { min: 4, max: 2 }\n"))).isEqualTo("slipway.yaml:5:33: "
        + "services.api.autoscaling.max: `max` (2) is below `min` (4)\n    raise `max` to at least 4 or lower `min`");
  }

  @Test
  void load_whenAutoscalingLacksMaxOrHasBadCpu_reportsEach() {
    assertThat(errors(app("  api:\n    run: x\n    autoscaling: { min: 2, cpu: 5 }\n"))).containsExactly(
        "slipway.yaml:5:5: services.api.autoscaling: missing required key `max`\n    add `max:` with the most instances, e.g. `max: 10`",
        "slipway.yaml:5:33: services.api.autoscaling.cpu: rate `5` is ambiguous\n    write 5% or 0.05");
  }

  @Test
  void load_whenIngressWritten_defaultsThePathToRoot() {
    AppSpec app = parse(app("  api:\n    run: x\n    port: 8080\n    ingress: { host: shop.example.com }\n"));

    assertThat(app.service("api").ingress()).isEqualTo(new IngressSpec("shop.example.com", "/"));
  }

  @Test
  void load_whenIngressHostHasScheme_saysToWriteAHostName() {
    assertThat(error(app("  api:\n    run: x\n    port: 80\n    ingress: { host: \"https://shop.example.com\" }\n")))
        .isEqualTo("slipway.yaml:6:22: services.api.ingress.host: invalid host name `https://shop.example.com`\n"
            + "    write a lowercase DNS name without scheme or port, e.g. `shop.example.com`");
  }

  @Test
  void load_whenIngressWithoutPort_asksForAPort() {
    assertThat(error(app("  api:\n    run: x\n    ingress: { host: shop.example.com }\n"))).isEqualTo(
        "slipway.yaml:5:5: services.api.ingress: `ingress` needs the service's `port:`\n"
            + "    add `port:` with the port the service listens on, e.g. `port: 8080`");
  }

  @Test
  void load_whenServiceNameInvalid_suggestsALowercaseOne() {
    assertThat(error(app("  Api_Server: { run: x }\n"))).isEqualTo("slipway.yaml:3:3: services.Api_Server: invalid "
        + "service name `Api_Server`\n    use lowercase letters, digits and `-`, at most 63 characters, e.g. `api-server`");
  }

  @Test
  void load_whenSeveralServicesBroken_reportsEveryErrorInFileOrder() {
    assertThat(errors(app("  api:\n    run: x\n    port: 0\n  web:\n    replicas: two\n"))).containsExactly(
        "slipway.yaml:5:11: services.api.port: expected an integer from 1 to 65535, found `0`\n"
            + "    use a port from 1 to 65535, e.g. `8080`",
        "slipway.yaml:6:3: services.web: missing required key `run`\n"
            + "    add `run:` with the command that starts one instance, e.g. `run: \"java -jar web.jar\"`",
        "slipway.yaml:7:15: services.web.replicas: expected an integer, found `two`\n"
            + "    write the number of instances, e.g. `2`");
  }

  @Test
  void load_whenDependsOnIsAList_meansHealthy() {
    AppSpec app = parse(app("  api: { run: x, dependsOn: [db] }\nresources:\n  db: { type: postgres }\n"));

    assertThat(app.service("api").dependsOn()).containsExactly(Map.entry("db", DependencyCondition.HEALTHY));
  }

  @Test
  void load_whenDependsOnConditionUnknown_listsTheConditions() {
    assertThat(error(app("  api: { run: x, dependsOn: { db: ready } }\nresources:\n  db: { type: postgres }\n")))
        .isEqualTo("slipway.yaml:3:35: services.api.dependsOn.db: unknown value `ready`\n    use one of started, healthy");
  }

  @Test
  void load_whenBuildNamesADockerfile_keepsItsPath() {
    AppSpec app = parse(app("  api: { run: x, build: { command: make, dockerfile: ./docker/api.Dockerfile } }\n"));

    assertThat(app.service("api").build().dockerfile()).isEqualTo("docker/api.Dockerfile");
  }

  @Test
  void load_whenDockerfileIsOutsideTheModelsDirectory_saysItMustBeInside() {
    assertThat(error(app("  api: { run: x, build: { command: make, dockerfile: ../Dockerfile } }\n")))
        .isEqualTo("slipway.yaml:3:54: services.api.build.dockerfile: expected a path inside the model's directory, "
            + "found `../Dockerfile`\n    write it relative to the model file, e.g. `api/Dockerfile`");
  }
}
