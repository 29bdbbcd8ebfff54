package dev.slipway.model;

import static dev.slipway.model.Models.app;
import static dev.slipway.model.Models.error;
import static dev.slipway.model.Models.errors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code ${…}} references: located at the {@code $}, checked against what the model defines. */
class ModelLoaderReferenceTest {

  private static final String RESOURCES = "resources:\n  db: { type: postgres }\n  cache: { type: redis }\n";

  @Test
  void load_whenResourceUndefined_suggestsTheClosestAtTheDollarColumn() {
    assertThat(error(app("  api:\n    run: x\n    env:\n      DB: ${resources.dbb.jdbcUrl}\n") + RESOURCES))
        .isEqualTo("slipway.yaml:6:11: services.api.env.DB: undefined resource `dbb` in `${resources.dbb.jdbcUrl}`\n"
            + "    did you mean `db`?");
  }

  @Test
  void load_whenReferenceInsideQuotedText_pointsPastTheQuote() {
    assertThat(error(app("  api:\n    run: \"java -Ddb=${resources.dbb.jdbcUrl} -jar a.jar\"\n") + RESOURCES))
        .isEqualTo("slipway.yaml:4:21: services.api.run: undefined resource `dbb` in `${resources.dbb.jdbcUrl}`\n"
            + "    did you mean `db`?");
  }

  @Test
  void load_whenReferenceInBuildCommand_refusesIt_becauseABuildRunsOutsideTheStack() {
    assertThat(error(app("  api:\n    run: x\n    build: { command: 'make DB=${resources.db.url}' }\n") + RESOURCES))
        .isEqualTo("slipway.yaml:5:32: services.api.build.command: `build.command` cannot use `${resources.db.url}`: "
            + "a build runs outside the stack (before it starts locally, and in CI)\n"
            + "    remove the reference; a service's `env` and `run` can hold references");
  }

  @Test
  void load_whenShellExpansionInBuildCommand_keepsItForTheShell_andTurnsTheEscapeIntoDollarBrace() {
    AppSpec app = Models.parse(app("  api:\n    run: x\n    build: { command: 'mvn -Dh=${HOME:-/tmp} -Dx=$${Y} package' }\n"));

    assertThat(app.service("api").build().command()).isEqualTo("mvn -Dh=${HOME:-/tmp} -Dx=${Y} package");
  }

  @Test
  void load_whenServiceReferencedHasNoPort_asksForAPort() {
    assertThat(error(app("  web:\n    run: x\n    env: { API: \"${services.worker.url}\" }\n  worker:\n    run: y\n")))
        .isEqualTo("slipway.yaml:5:18: services.web.env.API: service `worker` has no port, so "
            + "`${services.worker.url}` has no value\n    give it a `port:`, e.g. `port: 8080`");
  }

  @Test
  void load_whenServiceUndefined_suggestsTheClosest() {
    assertThat(error(app("  web:\n    run: x\n    env: { API: \"${services.apl.url}\" }\n  api: { run: y, port: 1 }\n")))
        .isEqualTo("slipway.yaml:5:18: services.web.env.API: undefined service `apl` in `${services.apl.url}`\n"
            + "    did you mean `api`?");
  }

  @Test
  void load_whenSecretUndeclared_showsHowToDeclareIt() {
    assertThat(error(app("  api:\n    run: x\n    env: { KEY: \"${secrets.stripeKey}\" }\n"))).isEqualTo(
        "slipway.yaml:5:18: services.api.env.KEY: undefined secret `stripeKey` in `${secrets.stripeKey}`\n"
            + "    declare it under `secrets:`, e.g. `stripeKey: env:STRIPE_KEY`");
  }

  @Test
  void load_whenResourceUrlUsesUndeclaredSecret_reportsIt() {
    assertThat(error("name: shop\nsecrets: { dbUrl: env:DB_URL }\nresources:\n"
        + "  db: { type: postgres, provider: external, url: \"${secrets.dburl}\" }\n")).isEqualTo(
        "slipway.yaml:4:51: resources.db.url: undefined secret `dburl` in `${secrets.dburl}`\n    did you mean `dbUrl`?");
  }

  @Test
  void load_whenAttributeNotOfferedByType_listsWhatItOffers() {
    assertThat(error(app("  api:\n    run: x\n    env: { R: \"${resources.cache.jdbcUrl}\" }\n") + RESOURCES))
        .isEqualTo("slipway.yaml:5:16: services.api.env.R: `jdbcUrl` is not available for redis resource `cache` in "
            + "`${resources.cache.jdbcUrl}`\n    redis offers url, host, port, username, password");
  }

  @Test
  void load_whenNamespaceMisspelt_pointsAtTheReferenceInsideThePlainScalar() {
    assertThat(error(app("  api:\n    run: x\n    env:\n      DB: jdbc ${resource.db.url}\n") + RESOURCES))
        .isEqualTo("slipway.yaml:6:16: services.api.env.DB: unknown reference namespace `resource` in "
            + "`${resource.db.url}`\n    did you mean `resources`?");
  }

  @Test
  void load_whenAttributeMisspelt_suggestsTheAttribute() {
    assertThat(error(app("  api:\n    run: x\n    env: { DB: '${resources.db.jdbcURL}' }\n") + RESOURCES))
        .isEqualTo("slipway.yaml:5:17: services.api.env.DB: unknown attribute `jdbcURL` in `${resources.db.jdbcURL}`\n"
            + "    did you mean `jdbcUrl`? resources offer url, jdbcUrl, host, port, username, password, database");
  }

  @Test
  void load_whenReferenceNotClosed_saysToCloseIt() {
    assertThat(error(app("  api:\n    run: echo ${resources.db.url\n") + RESOURCES)).isEqualTo("slipway.yaml:4:15: "
        + "services.api.run: reference `${resources.db.url` is not closed\n    add the closing `}`");
  }

  @Test
  void load_whenReferenceSpansLinesOrHasEscapes_pointsAtTheValueStart() {
    assertThat(error(app("  api:\n    run: \"\\techo ${resources.dbb.url}\"\n") + RESOURCES)).startsWith(
        "slipway.yaml:4:10: services.api.run: undefined resource `dbb`");
  }

  @Test
  void load_whenShellVariablesUsed_leavesThemAlone() {
    AppSpec app = Models.parse(app("  api:\n    run: 'java -Dport=$PORT -Dh=${HOME:-/tmp} -Dx=$${literal} -jar a.jar'\n"));

    assertThat(app.service("api").run()).isEqualTo("java -Dport=$PORT -Dh=${HOME:-/tmp} -Dx=$${literal} -jar a.jar");
  }

  @Test
  void load_whenSeveralReferencesBroken_reportsEachAtItsOwnColumn() {
    assertThat(errors(app("  api:\n    run: x ${resources.a.url} ${resources.b.url}\n") + RESOURCES)).containsExactly(
        "slipway.yaml:4:12: services.api.run: undefined resource `a` in `${resources.a.url}`\n"
            + "    define it under `resources:`; defined: `db`, `cache`",
        "slipway.yaml:4:31: services.api.run: undefined resource `b` in `${resources.b.url}`\n"
            + "    did you mean `db`?");
  }
}
