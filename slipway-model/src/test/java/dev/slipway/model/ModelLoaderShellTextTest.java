package dev.slipway.model;

import static dev.slipway.model.Models.FILE;
import static dev.slipway.model.Models.app;
import static dev.slipway.model.Models.error;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ${self.port}}, and {@code ${…}} that is not a reference: left to the shell in {@code run} and
 * {@code build.command}, an error wherever no shell would expand it.
 */
class ModelLoaderShellTextTest {

  @Test
  void load_whenSelfPortInEnvAndRun_isAReferenceToTheInstancesPort() {
    AppSpec app = Models.parse(app("  api:\n    run: java -Dserver.port=${self.port} -jar a.jar\n    port: 8080\n"
        + "    env:\n      SERVER_PORT: ${self.port}\n      URL: \"http://localhost:${self.port}/\"\n"));

    ServiceSpec api = app.service("api");
    assertThat(api.env().get("SERVER_PORT").references())
        .containsExactly(new Reference(Reference.Kind.SELF, null, "port"));
    assertThat(api.env().get("URL").render(r -> "8080")).isEqualTo("http://localhost:8080/");
    assertThat(Template.parse(api.run()).references()).extracting(Reference::toString).containsExactly("${self.port}");
  }

  @Test
  void load_whenPortVariableInEnv_isAnError_suggestingSelfPort_atTheDollar() {
    ModelError e = only(app("  api:\n    run: x\n    port: 8080\n    env:\n      SERVER_PORT: ${PORT}\n"));

    assertThat(e.format()).isEqualTo("slipway.yaml:7:20: services.api.env.SERVER_PORT: `${PORT}` is not a reference, "
        + "and no shell expands env values, so it would stay this text\n"
        + "    did you mean `${self.port}`, the port this instance listens on?");
    assertThat(e.fix().kind()).isEqualTo(ModelFix.Kind.SELF_PORT);
  }

  @Test
  void load_whenPortVariableInEnvOfAServiceWithoutPort_saysToGiveItOne_withoutAFix() {
    ModelError e = only(app("  api:\n    run: x\n    env: { SERVER_PORT: \"${SERVER_PORT}\" }\n"));

    assertThat(e.hint()).isEqualTo("give the service a `port:` and write `${self.port}`, the port this instance listens on");
    assertThat(e.fix()).isNull();
  }

  @Test
  void load_whenOtherShellVariableInEnv_isAnError_naming_whatCanBeWritten() {
    assertThat(error(app("  api:\n    run: x\n    env:\n      TMP: ${HOME:-/tmp}/x\n"))).isEqualTo(
        "slipway.yaml:6:12: services.api.env.TMP: `${HOME:-/tmp}` is not a reference, and no shell expands env values, "
            + "so it would stay this text\n    write a reference (`${resources.NAME.ATTR}`, `${services.NAME.url}`, "
            + "`${secrets.NAME}`, `${self.port}`), or `$${` for a literal `${`");
  }

  @Test
  void load_whenVariableOfADeclaredSecretInEnv_suggestsTheSecret() {
    String yaml = "name: shop\nsecrets: { stripe: env:STRIPE_KEY }\nservices:\n  api:\n    run: x\n"
        + "    env: { KEY: \"${STRIPE_KEY}\" }\n";
    ModelError e = only(yaml);

    assertThat(e.hint()).isEqualTo("did you mean `${secrets.stripe}`?");
    assertThat(e.fix().applyTo(yaml)).endsWith("    env: { KEY: \"${secrets.stripe}\" }\n");
  }

  @Test
  void load_whenShellSyntaxInRunOrBuild_leavesItForTheShell_andEscapedDollarBraceStaysLiteralInEnv() {
    AppSpec app = Models.parse(app("  api:\n    run: 'java -Dp=${PORT} -Dq=$PORT -Dh=${HOME:-/tmp} -jar a.jar'\n"
        + "    build: { command: 'make HOME=${HOME}' }\n    env:\n      LITERAL: $${PORT}\n"));

    assertThat(app.service("api").run()).isEqualTo("java -Dp=${PORT} -Dq=$PORT -Dh=${HOME:-/tmp} -jar a.jar");
    assertThat(app.service("api").build().command()).isEqualTo("make HOME=${HOME}");
    assertThat(app.service("api").env().get("LITERAL").render(r -> "?")).isEqualTo("${PORT}");
  }

  @Test
  void load_whenShellVariableInAResourceUrl_isAnError() {
    assertThat(error("name: shop\nresources:\n  db: { type: postgres, provider: external, url: \"${DB_URL}\" }\n"))
        .startsWith("slipway.yaml:3:51: resources.db.url: `${DB_URL}` is not a reference, and no shell expands "
            + "a resource's `url`");
  }

  @Test
  void load_whenSelfPortWithoutPort_asksForAPort_withAFix() {
    ModelError e = only(app("  api:\n    run: x\n    env:\n      P: ${self.port}\n"));

    assertThat(e.format()).isEqualTo("slipway.yaml:6:10: services.api.env.P: service `api` has no port, so "
        + "`${self.port}` has no value\n    give it a `port:`, e.g. `port: 8080`");
    assertThat(e.fix().kind()).isEqualTo(ModelFix.Kind.SELF_NEEDS_PORT);
  }

  @Test
  void load_whenSelfPortInAResourceUrlOrABuild_isAnError() {
    assertThat(error("name: shop\nresources:\n  db: { type: postgres, provider: external, url: \"pg://h:${self.port}\" }\n"))
        .isEqualTo("slipway.yaml:3:58: resources.db.url: `${self.port}` is the port of the service a value belongs "
            + "to; a resource has none\n    write the resource's port itself");
    assertThat(error(app("  api:\n    run: x\n    port: 1\n    build: { command: 'make P=${self.port}' }\n")))
        .startsWith("slipway.yaml:6:31: services.api.build.command: `build.command` cannot use `${self.port}`");
  }

  @Test
  void load_whenSelfAttributeUnknown_saysWhatSelfOffers() {
    assertThat(error(app("  api:\n    run: x\n    port: 1\n    env: { N: \"${self.name}\" }\n"))).isEqualTo(
        "slipway.yaml:6:16: services.api.env.N: unknown attribute `name` in `${self.name}`\n    self offers port");
  }

  @Test
  void load_whenDollarBraceInTextWithoutReferences_isAnError_atItsColumn() {
    List<String> errors = Models.errors(app("  api:\n    run: x\n    image: ghcr.io/acme/api:${TAG}\n    port: 1\n"
        + "    health: { ready: \"/health/${X}\" }\n"));

    assertThat(errors).containsExactly(
        "slipway.yaml:5:29: services.api.image: `${TAG}` is never expanded here: only `run`, `build.command`, "
            + "`env` values and a resource's `url` hold references\n"
            + "    write the tag itself, or leave it out and pass `--image-tag TAG` to `slipway generate`",
        "slipway.yaml:7:31: services.api.health.ready: `${X}` is never expanded here: only `run`, `build.command`, "
            + "`env` values and a resource's `url` hold references\n    write the value itself; `$${` is a literal `${`");
  }

  @Test
  void load_whenDollarBraceInAnOverlay_isReportedForThatEnvironment() {
    String yaml = app("  api: { run: x, image: a }\n") + "environments:\n  dev: {}\n"
        + "  prod: { target: kubernetes, services: { api: { image: \"a:${TAG}\" } } }\n";

    assertThat(ModelLoader.validateAll(yaml, FILE)).extracting(ModelError::format).containsExactly(
        "slipway.yaml:6:60: services.api.image: `${TAG}` is never expanded here: only `run`, `build.command`, "
            + "`env` values and a resource's `url` hold references (with environment `prod`)\n"
            + "    write the tag itself, or leave it out and pass `--image-tag TAG` to `slipway generate`");
  }

  @Test
  void shellExpansions_findTheNonReferences_nestedAndUnclosed() {
    String raw = "${PORT} ${resources.db.url} $${X} ${A:-${B}}x ${C";

    assertThat(Template.shellExpansions(raw)).extracting(s -> raw.substring(s[0], s[1]))
        .containsExactly("${PORT}", "${A:-${B}}", "${C");
  }

  private static ModelError only(String yaml) {
    List<ModelError> errors = ModelLoader.validateAll(yaml, FILE);
    assertThat(errors).extracting(ModelError::format).hasSize(1);
    return errors.getFirst();
  }
}
