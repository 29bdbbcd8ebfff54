package dev.slipway.model;

import static dev.slipway.model.Models.error;
import static dev.slipway.model.Models.errors;
import static dev.slipway.model.Models.parse;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An environment's cluster add-ons: {@code secretStore:} and {@code gateway:}. */
class ModelLoaderClusterTest {

  private static String env(String body) {
    return "name: shop\nenvironments:\n  prod:\n    target: kubernetes\n" + body;
  }

  @Test
  void load_whenSecretStoreAndGatewaySet_bindsThem() {
    AppSpec app = parse(env("    secretStore: { name: vault, kind: SecretStore }\n"
        + "    gateway: { name: public, namespace: gateways }\n"));

    EnvironmentSpec prod = app.environments().get("prod");
    assertThat(prod.secretStore()).isEqualTo(new SecretStoreSpec("vault", SecretStoreSpec.Kind.SECRET_STORE));
    assertThat(prod.gateway()).isEqualTo(new GatewaySpec("public", "gateways"));
  }

  @Test
  void load_whenKindAndNamespaceLeftOut_usesClusterSecretStoreAndTheEnvironmentsNamespace() {
    EnvironmentSpec prod = parse(env("    secretStore: { name: vault }\n    gateway: { name: public }\n"))
        .environments().get("prod");

    assertThat(prod.secretStore().kind()).isEqualTo(SecretStoreSpec.Kind.CLUSTER_SECRET_STORE);
    assertThat(prod.secretStore().kind().key()).isEqualTo("ClusterSecretStore");
    assertThat(prod.gateway().namespace()).isNull();
  }

  @Test
  void load_whenNeitherSet_leavesBothNull() {
    EnvironmentSpec prod = parse(env("")).environments().get("prod");

    assertThat(prod).isEqualTo(new EnvironmentSpec("prod", EnvironmentSpec.TargetKind.KUBERNETES, null));
    assertThat(prod.secretStore()).isNull();
    assertThat(prod.gateway()).isNull();
  }

  @Test
  void load_whenSecretStoreKeyMisspelt_suggestsTheKey() {
    assertThat(error(env("    secretStore: { nmae: vault }\n"))).isEqualTo("slipway.yaml:5:20: "
        + "environments.prod.secretStore.nmae: unknown key `nmae`\n    did you mean `name`?");
  }

  @Test
  void load_whenEnvironmentKeyCloseToSecretStore_suggestsIt() {
    assertThat(error(env("    secretstore: { name: vault }\n"))).isEqualTo("slipway.yaml:5:5: "
        + "environments.prod.secretstore: unknown key `secretstore`\n    did you mean `secretStore`?");
  }

  @Test
  void load_whenSecretStoreIsText_showsTheMapToWrite() {
    assertThat(error(env("    secretStore: vault\n"))).isEqualTo("slipway.yaml:5:18: "
        + "environments.prod.secretStore: expected a map, found `vault`\n"
        + "    write e.g. `secretStore: { name: vault, kind: ClusterSecretStore }`");
  }

  @Test
  void load_whenSecretStoreHasNoName_asksForIt() {
    assertThat(error(env("    secretStore: { kind: SecretStore }\n"))).isEqualTo("slipway.yaml:5:5: "
        + "environments.prod.secretStore: missing required key `name`\n"
        + "    add `name: vault`, the name of the (Cluster)SecretStore");
  }

  @Test
  void load_whenSecretStoreKindMisspelt_suggestsTheKind() {
    assertThat(error(env("    secretStore: { name: vault, kind: ClusterSecretstore }\n"))).isEqualTo(
        "slipway.yaml:5:39: environments.prod.secretStore.kind: unknown value `ClusterSecretstore`\n"
            + "    did you mean `ClusterSecretStore`?");
  }

  @Test
  void load_whenSecretStoreNameInvalid_suggestsALowercaseOne() {
    assertThat(error(env("    secretStore: { name: My_Vault }\n"))).isEqualTo("slipway.yaml:5:26: "
        + "environments.prod.secretStore.name: invalid secret store name `My_Vault`\n"
        + "    use lowercase letters, digits and `-`, at most 63 characters, e.g. `my-vault`");
  }

  @Test
  void load_whenGatewayIsAList_showsTheMapToWrite() {
    assertThat(error(env("    gateway: [public]\n"))).isEqualTo("slipway.yaml:5:14: "
        + "environments.prod.gateway: expected a map, found a list\n"
        + "    write e.g. `gateway: { name: public, namespace: gateways }`");
  }

  @Test
  void load_whenGatewayKeyMisspelt_suggestsTheKey() {
    assertThat(error(env("    gateway: { name: public, namspace: gateways }\n"))).isEqualTo("slipway.yaml:5:30: "
        + "environments.prod.gateway.namspace: unknown key `namspace`\n    did you mean `namespace`?");
  }

  @Test
  void load_whenGatewayHasNoName_asksForIt() {
    assertThat(error(env("    gateway: { namespace: gateways }\n"))).isEqualTo("slipway.yaml:5:5: "
        + "environments.prod.gateway: missing required key `name`\n    add `name: public`, the name of the Gateway");
  }

  @Test
  void load_whenGatewayNamesInvalid_reportsEach() {
    assertThat(errors(env("    gateway: { name: Public.GW, namespace: \"gate ways\" }\n"))).containsExactly(
        "slipway.yaml:5:22: environments.prod.gateway.name: invalid gateway name `Public.GW`\n"
            + "    use lowercase letters, digits and `-`, at most 63 characters, e.g. `public-gw`",
        "slipway.yaml:5:44: environments.prod.gateway.namespace: invalid namespace `gate ways`\n"
            + "    use lowercase letters, digits and `-`, at most 63 characters, e.g. `gate-ways`");
  }

  @Test
  void load_whenGatewayNameIsAMap_saysAStringIsExpected() {
    assertThat(error(env("    gateway: { name: { x: 1 } }\n"))).isEqualTo("slipway.yaml:5:22: "
        + "environments.prod.gateway.name: expected a string, found a map\n"
        + "    write a single value; quote it if it starts with `{` or `[`");
  }

  @Test
  void load_whenSetOnALocalEnvironment_saysTheyNeedKubernetes_butDevMustStayLocal() {
    assertThat(errors("name: shop\nenvironments:\n  lab:\n    secretStore: { name: vault }\n"
        + "  dev:\n    gateway: { name: public }\n")).containsExactly(
        "slipway.yaml:4:5: environments.lab.secretStore: `secretStore` is only used with `target: kubernetes`\n"
            + "    remove `secretStore:`, or add `target: kubernetes`",
        "slipway.yaml:6:5: environments.dev.gateway: `gateway` is only used with `target: kubernetes`\n"
            + "    remove `gateway:`; `dev` runs locally, with `slipway up`");
  }
}
