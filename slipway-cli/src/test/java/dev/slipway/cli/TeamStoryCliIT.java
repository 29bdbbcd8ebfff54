package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.team.TeamPaths;
import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's story as the team runs it, every step a {@code slipway} command in a process of its own: the
 * admin runs {@code slipway server}, adds alice (deployer), bob (approver) and carol (viewer); alice deploys
 * api to staging by digest and follows the run; she asks for the promotion to production, which waits for
 * the soak (4 s here) and an approval; her own approval and carol's are refused, saying why; bob approves;
 * alice follows the promotion to its end, production runs staging's digest, and {@code slipway audit} shows
 * each step. The server's model is slipway-server's {@code team-story/slipway.yaml}; the cluster a mock API
 * server with a simulated kubelet, staging and production two namespaces of it.
 */
class TeamStoryCliIT {
  @org.junit.jupiter.api.extension.RegisterExtension
  static final TestPostgres POSTGRES = new TestPostgres();
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final String DIGEST = "registry.example/story-api@sha256:" + "5e".repeat(32);
  private static MockCluster cluster;
  private static SimKubelet kubelet;
  private static Path dir;
  private static Path model;
  private static Process server;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    cluster = new MockCluster();
    kubelet = new SimKubelet(cluster.client()).start();
    dir = Files.createTempDirectory("slipway-team-story-cli");
    model = dir.resolve("slipway.yaml");
    Files.writeString(model, Files.readString(REPO.resolve("slipway-server/src/test/resources/team-story/slipway.yaml"))
        .replace("SOAK", "4s"));
    Path kubeconfig = cluster.writeKubeconfig(dir, "story");
    Path data = dir.resolve("data");
    // The store's password from the environment, never the command line (the URL carries none).
    String store = POSTGRES.newStore("team_story_cli").replaceAll("&password=[^&]*", "");
    server = CliTestSupport.cliProcess(dir.resolve("server.log"), Map.of("SLIPWAY_PROMOTION_TICK", "200ms",
        "SLIPWAY_STORE_PASSWORD", TestPostgres.PASSWORD), "server", "-f", model.toString(), "--data", data.toString(),
        "--store", store, "--listen", "127.0.0.1:0", "--kubeconfig", kubeconfig.toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (url == null && System.nanoTime() < deadline) {
      assertThat(server.isAlive()).as("slipway server:\n" + Files.readString(dir.resolve("server.log"))).isTrue();
      Path file = data.resolve("server.json");
      if (Files.exists(file) && healthy(CliTestSupport.JSON.readTree(file.toFile()).get("url").asText())) {
        url = CliTestSupport.JSON.readTree(file.toFile()).get("url").asText();
      }
      Thread.sleep(200);
    }
    assertThat(url).as("the server's URL, in server.json:\n" + Files.readString(dir.resolve("server.log"))).isNotNull();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.destroy(); // SIGTERM: `slipway server` stops its server and waits for it
      if (!server.waitFor(60, TimeUnit.SECONDS)) {
        server.descendants().forEach(ProcessHandle::destroyForcibly);
        server.destroyForcibly();
      }
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (dir != null) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  void aliceDeploysAndPromotes_bobApproves_productionRunsStagingsDigest_andTheAuditTellsIt() throws Exception {
    String admin = Files.readString(dir.resolve("data/admin-token")).strip();
    String alice = addUser(admin, "alice", "deployer");
    String bob = addUser(admin, "bob", "approver");
    String carol = addUser(admin, "carol", "viewer");

    Run deploy = run(alice, "deploy", "api", "--env", "staging", "-f", model.toString(), "--image", DIGEST, "--wait");
    assertThat(deploy.code()).as(deploy.describe()).isZero();

    Run promote = run(alice, "promote", "--to", "production", "--yes", "-f", model.toString());
    assertThat(promote.code()).as(promote.describe()).isZero();
    assertThat(promote.output()).contains(DIGEST).contains("soak").contains("needs 1 approval from approver")
        .contains("waiting");
    Matcher m = Pattern.compile("requested promotion (\\d+)").matcher(promote.output());
    assertThat(m.find()).as(promote.describe()).isTrue();
    String id = m.group(1);

    Run own = run(alice, "approve", id);
    assertThat(own.code()).as(own.describe()).isNotZero();
    assertThat(own.output()).contains("alice requested promotion " + id + " and may not approve it");
    Run viewer = run(carol, "approve", id);
    assertThat(viewer.code()).as(viewer.describe()).isNotZero();
    assertThat(viewer.output()).contains("carol (viewer) may not approve promotions into production")
        .contains("[approver]");

    Run approve = run(bob, "approve", id, "--comment", "go");
    assertThat(approve.code()).as(approve.describe()).isZero();
    Run follow = run(alice, "promotions", id, "--wait");
    assertThat(follow.code()).as(follow.describe()).isZero();
    assertThat(follow.output()).contains("promotion " + id + " succeeded");

    assertThat(readyImages("story-production")).hasSize(2).containsOnly(DIGEST);
    assertThat(readyImages("story-staging")).containsOnly(DIGEST);

    Run audit = run(admin, "audit", "--env", "production");
    assertThat(audit.code()).as(audit.describe()).isZero();
    List<String> lines = audit.output().lines().toList();
    assertThat(lines).as(audit.describe())
        .anyMatch(l -> l.contains("promotion.request") && l.contains("alice"))
        .anyMatch(l -> l.contains("approve") && l.contains("bob"))
        .anyMatch(l -> l.contains("promote") && l.contains("alice"));
    Run all = run(admin, "audit");
    assertThat(all.output()).as(all.describe()).contains("deploy").contains("staging");
  }

  private static String addUser(String adminToken, String name, String role) {
    Run r = run(adminToken, "user", "add", name, "--role", role);
    assertThat(r.code()).as(r.describe()).isZero();
    Matcher m = Pattern.compile("token: (slw_[A-Za-z0-9_-]+)").matcher(r.output());
    assertThat(m.find()).as(r.describe()).isTrue();
    return m.group(1);
  }

  private static boolean healthy(String base) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + TeamPaths.HEALTH))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static List<String> readyImages(String namespace) {
    KubernetesClient k = cluster.client();
    kubelet.awaitIdle();
    var service = k.services().inNamespace(namespace).withName("api").get();
    assertThat(service).as("the api Service in " + namespace).isNotNull();
    List<String> images = new ArrayList<>();
    for (Pod p : k.pods().inNamespace(namespace).withLabels(service.getSpec().getSelector()).list().getItems()) {
      boolean ready = p.getStatus() != null && p.getStatus().getConditions().stream()
          .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
      if (ready && p.getMetadata().getDeletionTimestamp() == null) {
        images.add(p.getSpec().getContainers().get(0).getImage());
      }
    }
    return images;
  }

  /** {@code slipway ARGS} as the user whose token this is, in its own process. */
  private static Run run(String token, String... args) {
    try {
      Path log = Files.createTempFile(dir, "cmd", ".log");
      Map<String, String> env = new HashMap<>();
      env.put(TeamPaths.SERVER_VARIABLE, url);
      env.put(TeamPaths.TOKEN_VARIABLE, token);
      env.put("SLIPWAY_HOME", dir.toString());
      env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
      List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
          "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
          Main.class.getName()));
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.environment().putAll(env);
      Process p = pb.start();
      boolean ended = p.waitFor(120, TimeUnit.SECONDS);
      if (!ended) {
        p.destroyForcibly().waitFor();
      }
      Run r = new Run(List.of(args), ended ? p.exitValue() : -1, Files.readString(log));
      System.out.println(r.describe()); // the session as a user saw it, in the test's report
      return r;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private record Run(List<String> args, int code, String output) {
    String describe() {
      return "ran: slipway " + String.join(" ", args) + "\n  exit " + code + "\n" + output.indent(4);
    }
  }
}
