package dev.slipway.model;

import static dev.slipway.model.Models.error;
import static dev.slipway.model.Models.errors;
import static dev.slipway.model.Models.parse;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code resources:}, {@code secrets:} and {@code environments:}. */
class ModelLoaderResourceTest {

  private static String resources(String body) {
    return "name: shop\nresources:\n" + body;
  }

  @Test
  void load_whenExternalResource_bindsItsUrlTemplate() {
    AppSpec app = parse("name: shop\nsecrets: { dburl: env:DB_URL }\nresources:\n"
        + "  db: { type: postgres, provider: external, url: \"${secrets.dburl}\", database: orders }\n");

    BackingServiceSpec db = app.resources().get("db");
    assertThat(db.provider()).isEqualTo(BackingServiceSpec.Provider.EXTERNAL);
    assertThat(db.url().references()).containsExactly(new Reference(Reference.Kind.SECRETS, "dburl", null));
    assertThat(db.database()).isEqualTo("orders");
    assertThat(db.username()).isEqualTo("shop");
  }

  @Test
  void load_whenVersionWrittenAsNumber_keepsItAsText() {
    assertThat(parse(resources("  db: { type: postgres, version: 16 }\n")).resources().get("db").version()).isEqualTo("16");
  }

  @Test
  void load_whenTypeMissing_listsTheTypes() {
    assertThat(error(resources("  db: { version: \"15\" }\n"))).isEqualTo("slipway.yaml:3:3: resources.db: missing "
        + "required key `type`\n    add `type:`, one of postgres, redis, prometheus");
  }

  @Test
  void load_whenTypeMisspelt_suggestsTheType() {
    assertThat(error(resources("  db: { type: postgress }\n"))).isEqualTo("slipway.yaml:3:15: resources.db.type: "
        + "unknown value `postgress`\n    did you mean `postgres`?");
  }

  @Test
  void load_whenExternalWithoutUrl_asksForIt() {
    assertThat(error(resources("  db: { type: postgres, provider: external }\n"))).isEqualTo("slipway.yaml:3:3: "
        + "resources.db: missing required key `url`\n"
        + "    an external resource needs its connection URL, e.g. `url: \"${secrets.dbUrl}\"`");
  }

  @Test
  void load_whenUrlGivenWithoutExternal_explainsWhenUrlApplies() {
    assertThat(error(resources("  db: { type: postgres, url: \"postgres://x\" }\n"))).isEqualTo("slipway.yaml:3:25: "
        + "resources.db.url: `url` is only used with `provider: external`\n"
        + "    remove `url:`, or add `provider: external`");
  }

  @Test
  void load_whenPrometheusEmbedded_offersTheOtherProviders() {
    assertThat(error(resources("  metrics: { type: prometheus, provider: embedded }\n"))).isEqualTo("slipway.yaml:3:42: "
        + "resources.metrics.provider: prometheus has no embedded provider\n"
        + "    use `provider: local`, `docker` or `external`");
  }

  @Test
  void load_whenDatabaseGivenForRedis_saysItIsForPostgres() {
    assertThat(error(resources("  cache: { type: redis, database: x }\n"))).isEqualTo("slipway.yaml:3:25: "
        + "resources.cache.database: `database` applies only to postgres\n    remove `database:`");
  }

  @Test
  void load_whenServiceAndResourceShareAName_asksToRenameOne() {
    assertThat(error("name: shop\nservices: { db: { run: x } }\nresources: { db: { type: redis } }\n")).isEqualTo(
        "slipway.yaml:3:14: resources.db: `db` is both a service and a resource\n"
            + "    rename one of them; references and `dependsOn` need unique names");
  }

  @Test
  void load_whenSecretSourceHasNoPrefix_suggestsEnv() {
    assertThat(error("name: shop\nsecrets: { stripe: STRIPE_KEY }\n")).isEqualTo("slipway.yaml:2:20: secrets.stripe: "
        + "expected `env:VARIABLE` or `file:PATH`, found `STRIPE_KEY`\n"
        + "    write `env:STRIPE_KEY` to read the environment variable `STRIPE_KEY`");
  }

  @Test
  void load_whenSecretFileHasNoPath_showsAnExample() {
    assertThat(error("name: shop\nsecrets: { cert: \"file:\" }\n")).isEqualTo("slipway.yaml:2:18: secrets.cert: `file:` "
        + "has no path\n    write e.g. `file:secrets/db-password`");
  }

  @Test
  void load_whenEnvironmentTargetUnknown_listsTheTargets() {
    assertThat(error("name: shop\nenvironments: { prod: { target: k8s } }\n")).isEqualTo("slipway.yaml:2:33: "
        + "environments.prod.target: unknown value `k8s`\n    use one of local, kubernetes");
  }

  @Test
  void load_whenEnvironmentKeyUnknown_suggestsTheKey() {
    assertThat(error("name: shop\nenvironments: { prod: { namespase: shop } }\n")).isEqualTo("slipway.yaml:2:25: "
        + "environments.prod.namespase: unknown key `namespase`\n    did you mean `namespace`?");
  }

  @Test
  void load_whenNamespaceInvalid_suggestsALowercaseOne() {
    assertThat(errors("name: shop\nenvironments: { prod: { target: kubernetes, namespace: Shop.Prod } }\n"))
        .containsExactly("slipway.yaml:2:56: environments.prod.namespace: invalid namespace `Shop.Prod`\n"
            + "    use lowercase letters, digits and `-`, at most 63 characters, e.g. `shop-prod`");
  }
}
