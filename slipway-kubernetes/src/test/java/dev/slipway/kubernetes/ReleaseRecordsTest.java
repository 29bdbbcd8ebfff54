package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelLoader;
import dev.slipway.model.ServiceSpec;
import dev.slipway.store.DeploymentPhase;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ReleaseRecordsTest {
  static final String NS = "shop-staging";
  static final Instant T0 = Instant.parse("2026-12-07T10:15:30.123456Z");

  KubernetesClient client;

  private ReleaseRecords records() {
    return new ReleaseRecords(ClusterConnection.of(client, "mock", NS,
        new ConnectOptions(null, null, "alice@laptop", Duration.ofSeconds(15))));
  }

  static ClusterRelease release(String service, int revision, String state) {
    return new ClusterRelease(service, revision, "ghcr.io/acme/" + service + "@sha256:" + "ab".repeat(32),
        "sha256:0123", "canary", DeploymentPhase.SHIFTING, state, null, 1, Map.of("canary.errorRate", 0.052),
        T0, null, "alice@laptop");
  }

  @Test
  void aRecord_isASecretOfTypeSlipwayRelease_labelled_withTheReleaseAsJson() throws Exception {
    records().create(release("api", 3, "in-progress"));
    Secret s = client.secrets().inNamespace(NS).withName("slipway.release.api.r3").get();
    assertThat(s.getType()).isEqualTo("slipway.dev/release");
    assertThat(s.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "slipway")
        .containsEntry("slipway.dev/service", "api").containsEntry("slipway.dev/revision", "3")
        .containsEntry("slipway.dev/state", "in-progress");
    JsonNode json = ReleaseRecords.JSON.readTree(Base64.getDecoder().decode(s.getData().get("release")));
    assertThat(json.get("started").asText()).isEqualTo("2026-12-07T10:15:30.123456Z");
    assertThat(json.get("phase").asText()).isEqualTo("SHIFTING");
    assertThat(json.get("finished").isNull()).isTrue();
    assertThat(json.get("measurements").get("canary.errorRate").asDouble()).isEqualTo(0.052);
    assertThat(records().latest("api")).contains(release("api", 3, "in-progress"));
  }

  @Test
  void list_isNewestFirst_byRevisionAsANumber_andOnlyTheService() throws Exception {
    ReleaseRecords records = records();
    for (int revision : new int[] {2, 10, 9, 1}) {
      records.create(release("api", revision, "superseded"));
    }
    records.create(release("web", 11, "live"));
    assertThat(records.list("api")).extracting(ClusterRelease::revision).containsExactly(10, 9, 2, 1);
    assertThat(records.latest("api")).map(ClusterRelease::revision).contains(10);
    assertThat(records.latest("worker")).isEmpty();
  }

  @Test
  void creatingARevisionThatExists_namesTheOtherWriter() throws Exception {
    records().create(release("api", 4, "in-progress"));
    ClusterRelease mine = new ClusterRelease("api", 4, "img", "d", "rolling", DeploymentPhase.STARTING,
        "in-progress", null, -1, Map.of(), Instant.now(), null, "bob@ci");
    assertThatThrownBy(() -> records().create(mine)).isInstanceOf(KubernetesException.class)
        .hasMessageContaining("api r4 was recorded already by alice@laptop")
        .satisfies(e -> assertThat(((KubernetesException) e).fix()).contains("will be 5"));
  }

  @Test
  void update_withTheVersionRead_refusesWhenAnotherRunnerWroteInBetween() throws Exception {
    ReleaseRecords a = records();
    ReleaseRecords b = records();
    a.create(release("api", 5, "in-progress"));
    b.list("api");
    ClusterRelease live = new ClusterRelease("api", 5, "img", "d", "canary", DeploymentPhase.DONE, "live", "ok", 3,
        Map.of(), T0, T0.plusSeconds(90), "alice@laptop");
    b.update(live);
    assertThat(records().latest("api")).contains(live);
    assertThatThrownBy(() -> a.update(release("api", 5, "failed"))).isInstanceOf(KubernetesException.class)
        .hasMessageContaining("changed by another runner");
    assertThat(records().latest("api")).contains(live);
    assertThat(client.secrets().inNamespace(NS).withName("slipway.release.api.r5").get().getMetadata().getLabels())
        .containsEntry("slipway.dev/state", "live");
  }

  @Test
  void deleteAll_deletesRecordsOnly() throws Exception {
    records().create(release("api", 1, "live"));
    records().create(release("web", 1, "live"));
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("shop")
        .addToLabels("app.kubernetes.io/managed-by", "slipway").endMetadata().addToStringData("K", "v").build()).create();
    records().deleteAll();
    assertThat(client.secrets().inNamespace(NS).list().getItems()).extracting(s -> s.getMetadata().getName())
        .containsExactly("shop");
  }

  /** A record holds the digest of a service's configuration, so a secret in its env never reaches it. */
  @Test
  void aSecretValueInTheModel_neverLandsInARecord() throws Exception {
    String marker = "s3cr3t-MARKER-7f3a";
    AppSpec app = ModelLoader.parse("""
        name: shop
        services:
          api:
            image: ghcr.io/acme/api:1.0.0
            run: "java -jar api.jar"
            port: 8080
            env: { DATABASE_PASSWORD: "%s" }
        environments:
          staging: { target: kubernetes, namespace: shop-staging }
        """.formatted(marker), Path.of("slipway.yaml"), "staging");
    ServiceSpec api = app.services().get("api");
    assertThat(api.env().toString()).contains(marker); // the model holds it
    String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(api.env().toString().getBytes(StandardCharsets.UTF_8)));
    ReleaseRecords records = records();
    records.create(new ClusterRelease("api", 1, api.image(), digest, "rolling", DeploymentPhase.STARTING,
        "in-progress", null, -1, Map.of(), T0, null, "alice@laptop"));
    records.update(new ClusterRelease("api", 1, api.image(), digest, "rolling", DeploymentPhase.DONE, "live",
        null, 0, Map.of(), T0, T0.plusSeconds(5), "alice@laptop"));
    List<Secret> stored = client.secrets().inNamespace(NS).list().getItems();
    assertThat(stored).hasSize(1);
    String raw = new String(Base64.getDecoder().decode(stored.get(0).getData().get("release")), StandardCharsets.UTF_8);
    assertThat(raw).contains(digest).doesNotContain(marker);
    assertThat(stored.get(0).toString()).doesNotContain(marker);
  }
}
