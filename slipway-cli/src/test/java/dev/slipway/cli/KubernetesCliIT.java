package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.kubernetes.sim.Behaviour;
import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 10's acceptance, as a user runs it: the CLI as its own process, with a kubeconfig that points
 * at a fabric8 mock API server (CRUD mode) whose Deployments a simulated kubelet runs. The shop's
 * {@code staging} is deployed at v2 (the environment's first deploy: the whole application), read
 * back with {@code status --json} and {@code history}; a v3 whose pods never become ready is rolled
 * back with traffic still on v2; errors name the contexts and the endpoint; {@code down --yes} removes
 * what Slipway created. Then every command line of the docs on a kubernetes environment
 * ({@link DocCommandLines.Kind#CLUSTER}) is run against a fresh cluster, as DocsCommandLinesIT runs
 * the local ones.
 *
 * <p>The shop is copied with its canary pauses shortened to 1 s, the api's startup deadline to 15 s and
 * its Prometheus a loopback server answering Prometheus' query API for a healthy api; nothing else is
 * changed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesCliIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final String CONTEXT = "kind-staging";
  private static final String NAMESPACE = "shop-staging";
  private static final String MANAGED = "app.kubernetes.io/managed-by";
  private static MockCluster cluster;
  private static SimKubelet kubelet;
  private static Path root;
  private static Path kubeconfig;
  private static com.sun.net.httpserver.HttpServer prometheus;

  @BeforeAll
  static void startCluster() throws Exception {
    prometheus = healthyPrometheus();
    cluster = new MockCluster();
    kubelet = new SimKubelet(cluster.client()).behave("shop-api:v3", Behaviour.NEVER_READY).start();
    root = shopCopy("slipway-kube-it");
    kubeconfig = cluster.writeKubeconfig(root, CONTEXT);
  }

  @AfterAll
  static void stopCluster() {
    if (kubelet != null) {
      kubelet.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (prometheus != null) {
      prometheus.stop(0);
    }
  }

  @Test
  @Order(1)
  void deploy_firstDeployOfStaging_appliesTheApplication_andExits0() throws Exception {
    Run r = run(root, kubeconfig, "deploy", "api", "--env", "staging", "-f", "examples/shop/slipway.yaml",
        "--image-tag", "v2", "--wait", "--kubeconfig", kubeconfig.toString());

    assertThat(r.code()).as(r.describe()).isZero();
    KubernetesClient k = cluster.client();
    assertThat(k.namespaces().withName(NAMESPACE).get()).as("the namespace").isNotNull();
    List<String> deployments = names(k.apps().deployments().inNamespace(NAMESPACE).withLabel(MANAGED, "slipway").list()
        .getItems());
    assertThat(deployments).as("Deployments of api, web and worker")
        .anyMatch(n -> n.startsWith("api")).anyMatch(n -> n.startsWith("web")).anyMatch(n -> n.startsWith("worker"));
    assertThat(k.apps().statefulSets().inNamespace(NAMESPACE).list().getItems()).as("db and cache").hasSize(2);
    assertThat(k.services().inNamespace(NAMESPACE).withName("api").get()).as("the api Service").isNotNull();
    assertThat(readyImages("api")).as("api's ready pods behind its Service").isNotEmpty()
        .allMatch(i -> i.endsWith("shop-api:v2"));
  }

  @Test
  @Order(2)
  void statusJson_showsApiAtV2() throws Exception {
    Run r = run(root, kubeconfig, "status", "--env", "staging", "-f", "examples/shop/slipway.yaml", "--json");

    assertThat(r.code()).as(r.describe()).isZero();
    JsonNode s = json(r);
    assertThat(s.get("context").asText()).isEqualTo(CONTEXT);
    assertThat(s.get("namespace").asText()).isEqualTo(NAMESPACE);
    assertThat(s.get("server").asText()).contains("127.0.0.1:" + cluster.url().getPort());
    JsonNode api = service(s, "api");
    assertThat(api.get("image").asText()).endsWith("shop-api:v2");
    assertThat(api.get("release").asText()).isEqualTo("r1");
    assertThat(api.get("ready").asInt()).isEqualTo(2);
    assertThat(api.get("desired").asInt()).isEqualTo(2);
  }

  @Test
  @Order(3)
  void history_listsTheRelease() {
    Run r = run(root, kubeconfig, "history", "api", "--env", "staging", "-f", "examples/shop/slipway.yaml");

    assertThat(r.code()).as(r.describe()).isZero();
    assertThat(r.output()).containsPattern("(?m)^r1 +ghcr.io/acme/shop-api:v2 ");
  }

  @Test
  @Order(4)
  void deploy_whosePodsNeverBecomeReady_exits1_withTrafficStillOnV2() throws Exception {
    Run r = run(root, kubeconfig, "deploy", "api", "--env", "staging", "-f", "examples/shop/slipway.yaml",
        "--image-tag", "v3", "--wait");

    assertThat(r.code()).as(r.describe()).isEqualTo(1);
    assertThat(r.output()).as(r.describe()).contains("✗ ");
    assertThat(readyImages("api")).as("what the api Service sends traffic to").isNotEmpty()
        .allMatch(i -> i.endsWith("shop-api:v2"));
    JsonNode api = service(json(run(root, kubeconfig, "status", "--env", "staging", "-f", "examples/shop/slipway.yaml",
        "--json")), "api");
    assertThat(api.get("release").asText()).isEqualTo("r1");
    assertThat(api.get("image").asText()).endsWith("shop-api:v2");
    assertThat(run(root, kubeconfig, "history", "api", "--env", "staging", "-f", "examples/shop/slipway.yaml").output())
        .containsPattern("(?m)^r2 +ghcr.io/acme/shop-api:v3 +\\S+ +(rolled-back|failed) ");
  }

  @Test
  @Order(5)
  void anUnknownContext_exits2_namingTheContextsThere() {
    Run r = run(root, kubeconfig, "status", "--env", "staging", "-f", "examples/shop/slipway.yaml", "--context", "kind-prod");

    assertThat(r.code()).as(r.describe()).isEqualTo(2);
    assertThat(r.output()).contains("kind-prod").contains(CONTEXT).doesNotContain("\tat ");
  }

  @Test
  @Order(6)
  void anUnreachableServer_isNamedInTheMessage() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nobody listens there
    }
    Path dir = Files.createTempDirectory(root, "unreachable");
    Path gone = MockCluster.writeKubeconfig(dir, "gone", Map.of("gone", URI.create("http://127.0.0.1:" + port)));

    Run r = run(root, gone, "status", "--env", "staging", "-f", "examples/shop/slipway.yaml");

    assertThat(r.code()).as(r.describe()).isNotZero();
    assertThat(r.output()).contains("127.0.0.1:" + port).contains("gone").doesNotContain("\tat ");
  }

  @Test
  @Order(7)
  void down_withoutATerminal_deletesNothing_thenWithYesEverythingSlipwayCreated() {
    Run refused = run(root, kubeconfig, "down", "--env", "staging", "-f", "examples/shop/slipway.yaml");
    assertThat(refused.code()).as(refused.describe()).isEqualTo(2);
    assertThat(refused.output()).contains("add --yes");
    assertThat(managed()).as("nothing deleted").isNotEmpty();

    Run down = run(root, kubeconfig, "down", "--env", "staging", "-f", "examples/shop/slipway.yaml", "--yes");

    assertThat(down.code()).as(down.describe()).isZero();
    assertThat(down.output()).contains("Deployment " + NAMESPACE + "/");
    assertThat(managed()).as("what Slipway created in " + NAMESPACE).isEmpty();
  }

  /** The docs' lines on a cluster, in document order, on a cluster of their own; as DocsCommandLinesIT accepts a line. */
  @TestFactory
  @Order(8)
  Stream<DynamicTest> everyDocumentedClusterLine_runs() throws Exception {
    List<DocCommandLines.Line> lines = DocCommandLines.read(REPO).stream()
        .filter(l -> l.kind() == DocCommandLines.Kind.CLUSTER).toList();
    assertThat(lines).as("cluster lines in the docs").hasSizeGreaterThan(10);
    MockCluster docs = new MockCluster();
    SimKubelet docsKubelet = new SimKubelet(docs.client()).start();
    Path dir = shopCopy("slipway-kube-docs");
    Path config = docs.writeKubeconfig(dir, CONTEXT);
    List<DynamicTest> tests = new ArrayList<>();
    for (DocCommandLines.Line l : lines) {
      tests.add(DynamicTest.dynamicTest("run " + l.where(), () -> {
        List<String> args = new ArrayList<>(l.args());
        int at = args.indexOf("--kubeconfig");
        if (at >= 0 && at + 1 < args.size()) {
          args.set(at + 1, config.toString()); // the reader's own kubeconfig
        }
        Run r = run(dir, config, args.stream().toArray(String[]::new), args.contains("--follow") ? 5 : 180);
        System.out.printf("exit %s: %s%n", r.timedOut() ? "-" : r.code(), l.where());
        assertThat(r.code()).as(l.where() + "\n" + r.describe()).isNotEqualTo(2).isNotEqualTo(3);
        assertThat(r.output()).as(l.where() + "\n" + r.describe()).doesNotContain("Unknown option")
            .doesNotContain("Unmatched argument").doesNotContain("Missing required").doesNotContain("error: unexpected")
            .doesNotContain("\tat ");
        if (r.timedOut() && !args.contains("--follow")) {
          throw new AssertionError("still running after 180 s\n" + r.describe());
        }
      }));
    }
    tests.add(DynamicTest.dynamicTest("stop the docs' cluster", () -> {
      docsKubelet.close();
      docs.close();
    }));
    return tests.stream();
  }

  /**
   * Prometheus' {@code /api/v1/query} on loopback, as it answers Micrometer's default queries for a
   * healthy service: every release ({@code r1}…{@code r9}) serves requests, no 5xx, all under 50 ms;
   * the counters grow by 500 at each query, so every analysis window has traffic. A canary analysed
   * against it passes; one whose pods never become ready never gets that far.
   */
  private static com.sun.net.httpserver.HttpServer healthyPrometheus() throws IOException {
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    java.util.concurrent.atomic.AtomicLong queries = new java.util.concurrent.atomic.AtomicLong();
    server.createContext("/api/v1/query", exchange -> {
      String form = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      String query = java.net.URLDecoder.decode(form, java.nio.charset.StandardCharsets.UTF_8);
      long count = 500 * queries.incrementAndGet();
      List<String> series = new ArrayList<>();
      for (int r = 1; r <= 9; r++) {
        String labels = "\"release\":\"r" + r + "\",\"pod\":\"api-r" + r + "-0\"";
        if (query.contains("_bucket")) {
          for (String le : List.of("0.05", "0.5", "+Inf")) {
            series.add("{\"metric\":{" + labels + ",\"le\":\"" + le + "\"},\"value\":[0,\"" + count + "\"]}");
          }
        } else {
          series.add("{\"metric\":{" + labels + ",\"status\":\"200\"},\"value\":[0,\"" + count + "\"]}");
        }
      }
      byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
          + String.join(",", series) + "]}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  /** The images of the api's pods that are ready and selected by its Service: where its traffic goes. */
  private static List<String> readyImages(String service) {
    KubernetesClient k = cluster.client();
    kubelet.awaitIdle();
    Map<String, String> selector = k.services().inNamespace(NAMESPACE).withName(service).get().getSpec().getSelector();
    List<String> images = new ArrayList<>();
    for (Pod p : k.pods().inNamespace(NAMESPACE).withLabels(selector).list().getItems()) {
      boolean ready = p.getStatus() != null && p.getStatus().getConditions().stream()
          .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
      if (ready && p.getMetadata().getDeletionTimestamp() == null) {
        images.add(p.getSpec().getContainers().get(0).getImage());
      }
    }
    return images;
  }

  /** Everything labelled as Slipway's in the namespace: workloads, Services, config, records, Leases. */
  private static List<String> managed() {
    KubernetesClient k = cluster.client();
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(k.apps().deployments().inNamespace(NAMESPACE).withLabel(MANAGED, "slipway").list().getItems());
    all.addAll(k.apps().statefulSets().inNamespace(NAMESPACE).withLabel(MANAGED, "slipway").list().getItems());
    all.addAll(k.services().inNamespace(NAMESPACE).withLabel(MANAGED, "slipway").list().getItems());
    all.addAll(k.configMaps().inNamespace(NAMESPACE).withLabel(MANAGED, "slipway").list().getItems());
    all.addAll(k.secrets().inNamespace(NAMESPACE).withLabel(MANAGED, "slipway").list().getItems());
    all.addAll(k.leases().inNamespace(NAMESPACE).withLabel(MANAGED, "slipway").list().getItems());
    return all.stream().map(o -> o.getKind() + " " + o.getMetadata().getName()).toList();
  }

  private static List<String> names(List<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getName()).toList();
  }

  /** The JSON document a command printed (after any progress lines). */
  private static JsonNode json(Run r) throws IOException {
    int brace = r.output().indexOf('{');
    assertThat(brace).as(r.describe()).isGreaterThanOrEqualTo(0);
    return CliTestSupport.JSON.readTree(r.output().substring(brace));
  }

  private static JsonNode service(JsonNode status, String name) {
    for (JsonNode s : status.get("services")) {
      if (s.get("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no service " + name + " in " + status);
  }

  /**
   * The shop laid out as the repository is (its model also at examples/shop), its pauses shortened to
   * 1 s and the api's startup deadline to 15 s (how long a release whose pods never become ready is
   * waited for), its Prometheus the
   * loopback one of {@link #healthyPrometheus}.
   */
  private static Path shopCopy(String prefix) throws IOException {
    Path dir = CliTestSupport.copyExample(prefix);
    Files.createDirectories(dir.resolve("examples"));
    Files.createSymbolicLink(dir.resolve("examples/shop"), dir);
    Path model = dir.resolve("slipway.yaml");
    // Network only to loopback: the environments' Prometheus becomes an address where nobody listens.
    Files.writeString(model, Files.readString(model).replaceAll("pause: \\d+s", "pause: 1s")
        .replace("startupTimeout: 60s", "startupTimeout: 15s")
        .replace("http://prometheus.monitoring.svc:9090", "http://127.0.0.1:" + prometheus.getAddress().getPort()));
    return dir;
  }

  private static Run run(Path dir, Path config, String... args) {
    return run(dir, config, args, 180);
  }

  /** Runs {@code slipway ARGS} as its own process in {@code dir}, with {@code KUBECONFIG} set to {@code config}. */
  private static Run run(Path dir, Path config, String[] args, int seconds) {
    try {
      Path log = Files.createTempFile(dir, "cmd", ".log");
      List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
          "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
          Main.class.getName()));
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.environment().put("KUBECONFIG", config.toString());
      pb.environment().put("SLIPWAY_HOME", dir.toString());
      pb.environment().remove("SLIPWAY_FILE");
      pb.environment().remove("SLIPWAY_STDIN_TTY");
      Process p = pb.start();
      boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
      if (!ended) {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      }
      String output = Files.readString(log);
      Files.delete(log);
      return new Run(List.of(args), ended ? p.exitValue() : -1, !ended, output);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private record Run(List<String> args, int code, boolean timedOut, String output) {
    String describe() {
      return "ran: slipway " + String.join(" ", args) + "\n  exit " + code + (timedOut ? " (stopped)" : "") + "\n"
          + output.indent(4);
    }
  }
}
