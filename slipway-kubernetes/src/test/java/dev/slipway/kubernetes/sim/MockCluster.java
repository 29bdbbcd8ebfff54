package dev.slipway.kubernetes.sim;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * A Kubernetes API server for tests: fabric8's {@link KubernetesMockServer} in CRUD mode on
 * 127.0.0.1 over plain HTTP, plus what the CRUD mode does not serve: pods' logs (set per pod with
 * {@link #podLog}) and the Gateway API's {@code HTTPRoute} with a status subresource. Objects
 * live in memory; no controller runs unless a {@link SimKubelet} is started on {@link #client()}.
 *
 * <p>{@link #writeKubeconfig} writes a kubeconfig file a separate process (the CLI run with
 * {@code --kubeconfig FILE}) can use.
 */
public final class MockCluster implements AutoCloseable {

  /** The Gateway API route kind SimKubelet accepts; registered so its status is a subresource. */
  public static final CustomResourceDefinitionContext HTTP_ROUTE =
      new CustomResourceDefinitionContext.Builder()
          .withGroup("gateway.networking.k8s.io")
          .withVersion("v1")
          .withKind("HTTPRoute")
          .withPlural("httproutes")
          .withScope("Namespaced")
          .withName("httproutes.gateway.networking.k8s.io")
          .withStatusSubresource(true)
          .build();

  /** The mock server logs every request at INFO; held here so the level set sticks (JUL keeps weak references). */
  private static final java.util.logging.Logger SERVER_LOG = quiet("io.fabric8.mockwebserver.MockWebServer");

  private final KubernetesMockServer server;
  private final LogDispatcher dispatcher;
  private final KubernetesClient client;

  /** Starts the server on a free port of 127.0.0.1, plain HTTP. */
  public MockCluster() {
    Map<ServerRequest, Queue<ServerResponse>> expectations = new ConcurrentHashMap<>();
    dispatcher = new LogDispatcher(new KubernetesMixedDispatcher(expectations));
    server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            expectations,
            dispatcher,
            false);
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    server.expectCustomResource(HTTP_ROUTE);
    // Config.empty(): the developer's own ~/.kube/config and KUBECONFIG must not leak into tests.
    client =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(url().toString()).withNamespace("test").build())
            .build();
  }

  /** A client of this cluster, namespace {@code test} by default; closed by {@link #close()}. */
  public KubernetesClient client() {
    return client;
  }

  /** The underlying mock server, for {@code expect()} expectations that win over CRUD. */
  public KubernetesMockServer server() {
    return server;
  }

  /** The API server's URL, {@code http://127.0.0.1:PORT}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getPort());
  }

  /** A fresh client built from a kubeconfig the way a separate process would build it. */
  public static KubernetesClient clientFrom(Path kubeconfig, String context) {
    try {
      Config config = Config.fromKubeconfig(context, Files.readString(kubeconfig), null);
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code DIR/CONTEXT.kubeconfig}: one cluster (this server), one user (a token the mock
   * ignores) and one context, which is the current one.
   */
  public Path writeKubeconfig(Path dir, String contextName) {
    return writeKubeconfig(dir, contextName, Map.of(contextName, url()));
  }

  /**
   * Writes {@code DIR/CURRENT.kubeconfig} with one cluster and context per entry of {@code
   * servers} (context name → API server URL; another cluster, or an address nobody listens on to
   * test an unreachable cluster); {@code current} is the current context.
   */
  public static Path writeKubeconfig(Path dir, String current, Map<String, URI> servers) {
    if (!servers.containsKey(current)) {
      throw new IllegalArgumentException("current context " + current + " is not among " + servers.keySet());
    }
    StringBuilder clusters = new StringBuilder();
    StringBuilder contexts = new StringBuilder();
    for (Map.Entry<String, URI> e : new LinkedHashMap<>(servers).entrySet()) {
      String name = e.getKey();
      clusters.append("- name: ").append(name).append("-cluster\n")
          .append("  cluster:\n")
          .append("    server: ").append(e.getValue()).append('\n');
      if ("https".equals(e.getValue().getScheme())) {
        clusters.append("    insecure-skip-tls-verify: true\n");
      }
      contexts.append("- name: ").append(name).append('\n')
          .append("  context:\n")
          .append("    cluster: ").append(name).append("-cluster\n")
          .append("    user: sim-user\n");
    }
    String yaml =
        "apiVersion: v1\n"
            + "kind: Config\n"
            + "preferences: {}\n"
            + "clusters:\n" + clusters
            + "users:\n"
            + "- name: sim-user\n"
            + "  user:\n"
            + "    token: sim-token\n"
            + "contexts:\n" + contexts
            + "current-context: " + current + '\n';
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(current + ".kubeconfig");
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sets the log text of one pod (all containers). {@code GET .../pods/NAME/log} answers it,
   * honouring {@code tailLines}; with {@code follow=true} the stream carries the same lines and
   * then ends, as for a container that has exited (the mock server cannot hold a response open).
   */
  public MockCluster podLog(String namespace, String pod, String text) {
    dispatcher.logs.put(namespace + '/' + pod, text);
    return this;
  }

  /** Appends lines to one pod's log. */
  public MockCluster appendPodLog(String namespace, String pod, List<String> lines) {
    dispatcher.logs.merge(
        namespace + '/' + pod, String.join("\n", lines) + '\n', (a, b) -> a + b);
    return this;
  }

  /**
   * The log of a pod that has none set: {@code (namespace, pod) -> text}; by default one line,
   * {@code started}. Return null to answer 404 as for a pod that does not exist.
   */
  public MockCluster defaultPodLog(BiFunction<String, String, String> logOf) {
    dispatcher.defaultLog = logOf;
    return this;
  }

  /** How many log requests the server answered (followed or not). */
  public int logRequests() {
    return dispatcher.logRequests.get();
  }

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(name);
    log.setLevel(java.util.logging.Level.WARNING);
    return log;
  }

  @Override
  public void close() {
    client.close();
    server.shutdown();
  }
}
