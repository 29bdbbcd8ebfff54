package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.DeploymentView;
import dev.slipway.api.HistoryView;
import dev.slipway.api.StatusView;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The router, the engine and real HTTP backends under load, while a canary's weights change every
 * 250 ms and instances fail and pass their readiness checks: the router's generations only grow,
 * it applies every step in order (never the weights of before), what status and the rollout report
 * is what the router applies, and a canary that fails readiness while taking traffic is rolled back
 * for that reason and never served from again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutingUnderLoadIT {
  private static final Pattern APPLIED = Pattern.compile("config generation (\\d+) applied");
  private static Path work;
  @org.junit.jupiter.api.extension.RegisterExtension
  static final StackDiagnostics DIAGNOSTICS = new StackDiagnostics(() -> work);
  private static String model;
  private static ControlPlaneClient client;

  @BeforeAll
  static void up() throws Exception {
    work = CliTestSupport.copyFixture("routing", "slipway-routing-it");
    CliTestSupport.compile(work.resolve("Flappy.java"), work.resolve("classes"));
    Files.createDirectories(work.resolve("unready"));
    model = work.resolve("slipway.yaml").toString();
    client = CliTestSupport.upDetached(work);
  }

  @AfterAll
  static void down() {
    CliTestSupport.cli("down", "-f", model, "--volumes");
  }

  @Test
  @Order(1)
  void weightChangesWhileStableInstancesFlap_reachTheRouterInOrder_andStatusReportsWhatItApplies() throws Exception {
    List<Integer> stablePorts = ports("api-r1");
    List<String> mismatches = new java.util.concurrent.CopyOnWriteArrayList<>();
    int[] compared = {0};
    CliTestSupport.Result deploy;
    List<RouterWatch.Seen> seen;
    List<Long> generations;
    List<VersionedLoad.Request> requests;
    try (RouterWatch watch = new RouterWatch(work.resolve(".slipway"), "api").start();
        VersionedLoad load = new VersionedLoad(URI.create(url() + "/"), 6).start();
        Background flapper = new Background(() -> flap(stablePorts));
        Background sampler = new Background(() -> compareStatusWithRouter(watch, mismatches, compared))) {
      deploy = CliTestSupport.cli("deploy", "-f", model, "api", "--version", "v2", "--wait", "--timeout", "2m");
      flapper.close();
      Thread.sleep(1_000); // readiness settles; the sampler compares the final state too
      sampler.close();
      load.close();
      watch.close();
      seen = watch.seen();
      generations = watch.generationsRead();
      requests = load.requests();
    }

    System.out.printf("weights under flapping readiness: %d router configurations, %d status comparisons, %d requests,"
        + " canary share %s%n", seen.size(), compared[0], requests.size(), seen.stream()
        .map(c -> c.split().getOrDefault("api-r2", -1)).filter(p -> p >= 0).distinct().toList());
    assertThat(deploy.code()).as(deploy.output()).isZero();
    assertThat(generations).as("generations read from the router").isSorted();
    assertThat(routerLogGenerations()).as("generations in the router's log").isSorted().doesNotHaveDuplicates();
    assertThat(seen.size()).as("configurations the router went through").isGreaterThan(15);
    List<Integer> canary = seen.stream().filter(c -> c.split().containsKey("api-r2"))
        .map(c -> c.split().get("api-r2")).toList();
    assertThat(canary).as("the canary's share, configuration by configuration (never the weights of before)")
        .isSorted().contains(5, 30, 60, 100);
    assertThat(mismatches).as("status against the router").isEmpty();
    assertThat(compared[0]).as("comparisons made").isGreaterThan(10);
    assertThat(requests.stream().filter(VersionedLoad.Request::failed).toList()).as("failed requests").isEmpty();
    assertThat(service().weights()).isEqualTo(new RouterWatch(work.resolve(".slipway"), "api").read().split())
        .isEqualTo(Map.of("api-r2", 100));
  }

  @Test
  @Order(2)
  void aCanaryFailingReadinessWhileTakingTraffic_isRolledBackForIt_andNeverServedFromAgain() throws Exception {
    CliTestSupport.Result deploy;
    List<RouterWatch.Seen> seen;
    List<VersionedLoad.Request> requests;
    long readyAgain;
    try (RouterWatch watch = new RouterWatch(work.resolve(".slipway"), "api").start();
        VersionedLoad load = new VersionedLoad(URI.create(url() + "/"), 6).start()) {
      CompletableFuture<CliTestSupport.Result> running = CompletableFuture.supplyAsync(() -> CliTestSupport.cli(
          "deploy", "-f", model, "api", "--version", "v3", "--wait", "--timeout", "2m"));
      awaitCanaryTraffic(watch, "api-r3");
      List<Integer> candidatePorts = ports("api-r3");
      for (int port : candidatePorts) {
        Files.createFile(work.resolve("unready/" + port));
      }
      Thread.sleep(3_000); // long enough to leave rotation, far shorter than the 10 s an unready candidate gets
      for (int port : candidatePorts) {
        Files.delete(work.resolve("unready/" + port));
      }
      readyAgain = System.nanoTime();
      deploy = running.get(2, TimeUnit.MINUTES);
      Thread.sleep(2_000);
      load.close();
      watch.close();
      seen = watch.seen();
      requests = load.requests();
    }

    System.out.printf("failing canary: %d router configurations, %d requests (%d by api-r3), reason: %s%n", seen.size(),
        requests.size(), requests.stream().filter(r -> r.version().equals("api-r3")).count(),
        deploy.out().lines().filter(l -> l.contains("rolled back to")).findFirst().orElse("?"));
    assertThat(deploy.code()).as(deploy.output()).isEqualTo(1);
    assertThat(deploy.out()).contains("deploy: api rolled-back after");
    DeploymentView d = client.get(ReleaseCommands.path("api", "history"), HistoryView.class).deployments().getFirst();
    assertThat(d.state()).isEqualTo("rolled-back");
    assertThat(d.reason()).matches("candidate api-r3-\\d failed its readiness check while taking \\d+% of the traffic .*");
    long after = readyAgain + Duration.ofSeconds(1).toNanos(); // its probes pass again from here on
    assertThat(seen.stream().filter(c -> c.atNanos() > after && c.active().contains("api-r3")).toList())
        .as("configurations routing to the rolled-back canary after it passed its checks again").isEmpty();
    assertThat(requests.stream().filter(r -> r.sentNanos() > after && r.version().equals("api-r3")).count())
        .as("requests answered by the rolled-back canary after it passed its checks again").isZero();
    assertThat(seen.stream().map(RouterWatch.Seen::generation).toList()).isSorted();
    assertThat(requests.stream().filter(VersionedLoad.Request::failed).toList()).as("failed requests").isEmpty();
    StatusView.ServiceView s = service();
    assertThat(s.weights()).isEqualTo(Map.of("api-r2", 100));
    assertThat(s.version()).isEqualTo("v2");
  }

  /** Alternately takes one stable instance out of readiness for 0.8 s (never both), until interrupted. */
  private static void flap(List<Integer> ports) throws Exception {
    for (int i = 0; ; i++) {
      Path file = work.resolve("unready/" + ports.get(i % ports.size()));
      Files.createFile(file);
      try {
        Thread.sleep(800);
      } finally {
        Files.delete(file);
      }
      Thread.sleep(400);
    }
  }

  /**
   * Reads the router, status, then the router again; where the router's split has not changed for a
   * moment, status (the service's weights and its rollout's) must show exactly it.
   */
  private static void compareStatusWithRouter(RouterWatch watch, List<String> mismatches, int[] compared)
      throws Exception {
    while (true) {
      RouterWatch.Seen before = watch.read();
      StatusView.ServiceView s = service();
      RouterWatch.Seen after = watch.read();
      if (before.split().equals(after.split()) && settledSince(watch, after) > Duration.ofMillis(300).toNanos()) {
        compared[0]++;
        if (!s.weights().equals(after.split())) {
          mismatches.add("status weights " + s.weights() + ", router " + after.split());
        }
        if (s.rollout() != null && !s.rollout().weights().equals(after.split())) {
          mismatches.add("rollout weights " + s.rollout().weights() + ", router " + after.split());
        }
      }
      Thread.sleep(40);
    }
  }

  /** How long the router has applied {@code now}'s split, as far as the watch saw. */
  private static long settledSince(RouterWatch watch, RouterWatch.Seen now) {
    List<RouterWatch.Seen> all = watch.seen();
    long since = now.atNanos();
    for (int i = all.size() - 1; i >= 0 && all.get(i).split().equals(now.split()); i--) {
      since = all.get(i).atNanos();
    }
    return all.isEmpty() || !all.getLast().split().equals(now.split()) ? 0 : now.atNanos() - since;
  }

  private static void awaitCanaryTraffic(RouterWatch watch, String release) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (watch.read().split().getOrDefault(release, 0) > 0) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(release + " never took traffic");
  }

  private static List<Long> routerLogGenerations() throws Exception {
    List<Long> out = new ArrayList<>();
    Matcher m = APPLIED.matcher(Files.readString(work.resolve(".slipway/logs/router.log")));
    while (m.find()) {
      out.add(Long.parseLong(m.group(1)));
    }
    return out;
  }

  private static List<Integer> ports(String release) {
    return service().instances().stream().filter(i -> i.release().equals(release))
        .map(StatusView.InstanceView::port).toList();
  }

  private static String url() {
    return service().url();
  }

  private static StatusView.ServiceView service() {
    return client.status().services().stream().filter(s -> s.name().equals("api")).findFirst().orElseThrow();
  }

  /** A loop in a virtual thread until closed; its failure, if any, fails the test at close. */
  private static final class Background implements AutoCloseable {
    private interface Loop {
      void run() throws Exception;
    }

    private final Thread thread;
    private volatile Exception failure;
    private volatile boolean closing;

    Background(Loop loop) {
      thread = Thread.ofVirtual().start(() -> {
        try {
          loop.run();
        } catch (InterruptedException e) {
          // closed
        } catch (Exception e) {
          if (!closing) {
            failure = e; // what an interrupt breaks while closing is no failure
          }
        }
      });
    }

    @Override
    public void close() throws Exception {
      closing = true;
      thread.interrupt();
      thread.join(10_000);
      if (failure != null) {
        throw failure;
      }
    }
  }
}
