package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.model.AppSpec;
import dev.slipway.model.ClusterSettings;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.EnvironmentSpec.TargetKind;
import dev.slipway.model.ModelLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class ClusterConnectionTest {
  static final AppSpec APP = ModelLoader.parse("""
      name: shop
      services:
        api: { image: "ghcr.io/acme/api:1", run: "java -jar api.jar", port: 8080 }
      """, Path.of("slipway.yaml"), null);
  static final EnvironmentSpec STAGING = new EnvironmentSpec("staging", TargetKind.KUBERNETES, "shop-staging");

  KubernetesClient client;
  @TempDir Path dir;

  static ConnectOptions options(Path kubeconfig, String context) {
    return new ConnectOptions(kubeconfig, context, "alice@laptop", Duration.ofSeconds(15));
  }

  /** A kubeconfig with contexts {@code a} (current) and {@code b}, each on its own server. */
  private Path kubeconfig(String file, String serverA, String serverB) throws Exception {
    Path p = dir.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, """
        apiVersion: v1
        kind: Config
        clusters:
          - name: ca
            cluster: { server: "%s", insecure-skip-tls-verify: true }
          - name: cb
            cluster: { server: "%s" }
        users:
          - name: u
            user: { token: not-a-real-token }
        contexts:
          - name: a
            context: { cluster: ca, user: u }
          - name: b
            context: { cluster: cb, user: u }
        current-context: a
        """.formatted(serverA, serverB));
    return p;
  }

  private static String server(ClusterConnection c) {
    return c.server().replaceAll("/$", "");
  }

  @Test
  void theKubeconfig_comesFromTheFlag_thenKUBECONFIG_thenHome_inKubectlsOrder() throws Exception {
    Path flag = kubeconfig("flag/config", "http://127.0.0.1:1001", "http://127.0.0.1:2001");
    Path env = kubeconfig("env/config", "http://127.0.0.1:1002", "http://127.0.0.1:2002");
    Path home = dir.resolve("home");
    kubeconfig("home/.kube/config", "http://127.0.0.1:1003", "http://127.0.0.1:2003");
    Map<String, String> withEnv = Map.of("KUBECONFIG", env.toString());
    try (ClusterConnection c = ClusterConnection.open(options(flag, null), APP, STAGING, withEnv, home)) {
      assertThat(server(c)).isEqualTo("http://127.0.0.1:1001");
      assertThat(c.context()).isEqualTo("a");
    }
    try (ClusterConnection c = ClusterConnection.open(options(null, null), APP, STAGING, withEnv, home)) {
      assertThat(server(c)).isEqualTo("http://127.0.0.1:1002");
    }
    try (ClusterConnection c = ClusterConnection.open(options(null, null), APP, STAGING, Map.of(), home)) {
      assertThat(server(c)).isEqualTo("http://127.0.0.1:1003");
    }
  }

  @Test
  void theContext_isTheFlag_elseTheEnvironments_elseTheCurrentOne() throws Exception {
    Path config = kubeconfig("config", "http://127.0.0.1:1001", "http://127.0.0.1:2001");
    EnvironmentSpec onB = new EnvironmentSpec("staging", TargetKind.KUBERNETES, "shop-staging", null, null, null,
        new ClusterSettings("b", null, null, false));
    try (ClusterConnection c = ClusterConnection.open(options(config, null), APP, onB, Map.of(), dir)) {
      assertThat(c.context()).isEqualTo("b");
      assertThat(server(c)).isEqualTo("http://127.0.0.1:2001");
    }
    try (ClusterConnection c = ClusterConnection.open(options(config, "a"), APP, onB, Map.of(), dir)) {
      assertThat(c.context()).isEqualTo("a");
      assertThat(server(c)).isEqualTo("http://127.0.0.1:1001");
    }
  }

  @Test
  void theNamespace_isTheEnvironments_elseTheAppsName() throws Exception {
    Path config = kubeconfig("config", "http://127.0.0.1:1001", "http://127.0.0.1:2001");
    try (ClusterConnection c = ClusterConnection.open(options(config, null), APP, STAGING, Map.of(), dir)) {
      assertThat(c.namespace()).isEqualTo("shop-staging");
      assertThat(c.client().getConfiguration().getNamespace()).isEqualTo("shop-staging");
    }
    EnvironmentSpec noNamespace = new EnvironmentSpec("staging", TargetKind.KUBERNETES, null);
    try (ClusterConnection c = ClusterConnection.open(options(config, null), APP, noNamespace, Map.of(), dir)) {
      assertThat(c.namespace()).isEqualTo("shop");
    }
  }

  @Test
  void severalFilesInKUBECONFIG_areMerged_asKubectlDoes() throws Exception {
    Path users = dir.resolve("users");
    Files.writeString(users, """
        apiVersion: v1
        kind: Config
        users: [ { name: u, user: { token: t } } ]
        contexts: [ { name: split, context: { cluster: far, user: u } } ]
        current-context: split
        """);
    Path clusters = dir.resolve("clusters");
    Files.writeString(clusters, """
        apiVersion: v1
        kind: Config
        clusters: [ { name: far, cluster: { server: "http://127.0.0.1:3001" } } ]
        """);
    Map<String, String> env = Map.of("KUBECONFIG", users + File.pathSeparator + clusters);
    try (ClusterConnection c = ClusterConnection.open(options(null, null), APP, STAGING, env, dir)) {
      assertThat(c.context()).isEqualTo("split");
      assertThat(server(c)).isEqualTo("http://127.0.0.1:3001");
    }
  }

  @Test
  void anUnknownContext_isBadInput_listingTheKubeconfigsContexts() throws Exception {
    Path config = kubeconfig("config", "http://127.0.0.1:1001", "http://127.0.0.1:2001");
    assertThatThrownBy(() -> ClusterConnection.open(options(config, "prod"), APP, STAGING, Map.of(), dir))
        .isInstanceOf(KubernetesException.class)
        .hasMessage("context prod is not in " + config)
        .satisfies(e -> {
          KubernetesException k = (KubernetesException) e;
          assertThat(k.exitCode()).isEqualTo(KubernetesException.BAD_INPUT);
          assertThat(k.fix()).contains("use one of its contexts: a, b").contains("--context");
        });
  }

  @Test
  void noKubeconfigAnywhere_namesThePlacesLookedAt() {
    Path home = dir.resolve("nobody");
    assertThatThrownBy(() -> ClusterConnection.open(options(null, null), APP, STAGING, Map.of(), home))
        .isInstanceOf(KubernetesException.class)
        .hasMessageContaining("no kubeconfig found; looked at --kubeconfig (not given), KUBECONFIG (not set), "
            + home.resolve(".kube/config") + " (no such file), the in-cluster service account")
        .satisfies(e -> assertThat(((KubernetesException) e).exitCode()).isEqualTo(KubernetesException.BAD_INPUT));
    assertThatThrownBy(() -> ClusterConnection.open(options(dir.resolve("missing"), null), APP, STAGING, Map.of(), home))
        .hasMessageContaining("--kubeconfig " + dir.resolve("missing") + ": no such file");
  }

  @Test
  void check_reachesTheServerOnce_andAnUnreachableOneIsNamedWithItsContext() throws Exception {
    String mock = client.getConfiguration().getMasterUrl();
    Path config = kubeconfig("config", mock, "http://127.0.0.1:1");
    try (ClusterConnection c = ClusterConnection.open(options(config, "a"), APP, STAGING, Map.of(), dir)) {
      c.check();
    }
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Path down = kubeconfig("down", "http://127.0.0.1:" + closed, mock);
    try (ClusterConnection c = ClusterConnection.open(options(down, "a"), APP, STAGING, Map.of(), dir)) {
      Instant start = Instant.now();
      assertThatThrownBy(c::check).isInstanceOf(KubernetesException.class)
          .hasMessageContaining("cannot reach the cluster at http://127.0.0.1:" + closed)
          .hasMessageContaining("(context a)")
          .satisfies(e -> assertThat(((KubernetesException) e).fix()).contains("kubectl cluster-info --context a"));
      assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
    }
  }
}
