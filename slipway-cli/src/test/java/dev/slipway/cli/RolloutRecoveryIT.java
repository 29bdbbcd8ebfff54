package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.DeployRequest;
import dev.slipway.api.DeploymentView;
import dev.slipway.api.HistoryView;
import dev.slipway.api.StatusView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The control plane is killed (halted like {@code kill -9}) at every step kind of every strategy;
 * the next {@code up} takes over and the rollout ends resumed or safely aborted, with traffic only
 * on live instances, history intact, and no failed request meanwhile.
 */
class RolloutRecoveryIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Set<String> TERMINAL = Set.of("succeeded", "rolled-back", "aborted", "failed");
  private static final AtomicInteger MARK = new AtomicInteger();
  private static Path work;
  @org.junit.jupiter.api.extension.RegisterExtension
  static final StackDiagnostics DIAGNOSTICS = new StackDiagnostics(() -> work);
  private static String model;

  @BeforeAll
  static void prepare() throws Exception {
    work = CliTestSupport.copyFixture("rollout", "slipway-rollout-it");
    CliTestSupport.compile(work.resolve("Hello.java"), work.resolve("classes"));
    model = work.resolve("slipway.yaml").toString();
  }

  @AfterAll
  static void stop() {
    CliTestSupport.cli("down", "-f", model, "--volumes");
  }

  static Stream<Arguments> steps() {
    String only = System.getProperty("chaos.only");
    return all().filter(a -> only == null || a.get()[1].equals(only));
  }

  private static Stream<Arguments> all() {
    return Stream.of(
        Arguments.of("rolling", "rolling", "Launch"), Arguments.of("rolling", "rolling", "AwaitReady"),
        Arguments.of("rolling", "rolling", "Weight"), Arguments.of("rolling", "rolling", "RetireStable"),
        Arguments.of("rolling", "rolling", "Promote"),
        Arguments.of("bluegreen", "blue-green", "Launch"), Arguments.of("bluegreen", "blue-green", "AwaitReady"),
        Arguments.of("bluegreen", "blue-green", "Smoke"), Arguments.of("bluegreen", "blue-green", "Weight"),
        Arguments.of("bluegreen", "blue-green", "Promote"), Arguments.of("bluegreen", "blue-green", "HoldPrevious"),
        Arguments.of("bluegreen", "blue-green", "RetireStable"),
        Arguments.of("canary", "canary", "Launch"), Arguments.of("canary", "canary", "AwaitReady"),
        Arguments.of("canary", "canary", "Weight"), Arguments.of("canary", "canary", "Pause"),
        Arguments.of("canary", "canary", "Analyze"), Arguments.of("canary", "canary", "Promote"),
        Arguments.of("canary", "canary", "RetireStable"));
  }

  @ParameterizedTest(name = "{1} killed at {2}")
  @MethodSource("steps")
  void controlPlaneKilledAtAStep_nextUpResumesOrAbortsIt_trafficOnlyOnLiveInstances(String service, String strategy,
      String step) throws Exception {
    Path log = Files.createTempFile("slipway-chaos-up", ".log");
    Process up = CliTestSupport.cliProcess(log, Map.of("SLIPWAY_CHAOS_HALT_AT", strategy + ":" + step),
        "up", "-f", model, "--detach");
    assertThat(up.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(up.exitValue()).as(Files.readString(log)).isZero();
    ControlPlaneClient client = ControlPlaneClient.find(work.resolve(".slipway")).orElseThrow();
    long controlPlane = client.info().pid();
    String front = service(client.status(), service).url();
    int before = client.get(ReleaseCommands.path(service, "history"), HistoryView.class).deployments().size();

    try (LoadGenerator load = new LoadGenerator(URI.create(front + "/"), 60, 4)) {
      load.start();
      long id = -1;
      try {
        id = client.post(ReleaseCommands.path(service, "deploy"),
            new DeployRequest(null, Map.of("MARK", Integer.toString(MARK.incrementAndGet())), null, false, false),
            DeploymentView.class).id();
      } catch (CliException e) {
        // The control plane may halt at the first step before it has answered the request.
      }

      awaitDeath(controlPlane, Duration.ofSeconds(90));
      Thread.sleep(500); // traffic keeps flowing through the router with no control plane
      CliTestSupport.Result again = CliTestSupport.cli("up", "-f", model, "--detach");
      assertThat(again.code()).as(again.output()).isZero();
      ControlPlaneClient recovered = ControlPlaneClient.find(work.resolve(".slipway")).orElseThrow();

      if (id < 0) {
        id = recovered.get(ReleaseCommands.path(service, "history"), HistoryView.class).deployments().getFirst().id();
      }
      DeploymentView end = awaitTerminal(recovered, service, id, Duration.ofSeconds(120));
      assertThat(end.state()).isIn(TERMINAL);
      load.close();
      assertThat(load.failedExcept("none")).as("failed requests while " + strategy + " was killed at " + step
          + " and recovered; served " + load.served.keySet() + "; " + load.failures).isZero();
      assertThat(load.requests.sum()).isPositive();

      StatusView.ServiceView now = service(recovered.status(), service);
      assertThat(now.healthy()).as(now.toString()).isTrue();
      for (StatusView.InstanceView i : now.instances()) {
        assertThat(ProcessHandle.of(i.pid()).map(ProcessHandle::isAlive).orElse(false)).as(i.id()).isTrue();
        assertThat(now.weights()).as("instances only of routed releases").containsKey(i.release());
      }
      for (String release : now.weights().keySet()) {
        assertThat(now.instances()).as("weight only for releases with live instances")
            .anyMatch(i -> i.release().equals(release));
      }
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(front + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(now.weights()).containsKey(r.headers().firstValue("X-Slipway-Version").orElseThrow());

      HistoryView h = recovered.get(ReleaseCommands.path(service, "history"), HistoryView.class);
      assertThat(h.deployments()).hasSize(before + 1);
      assertThat(h.deployments().getFirst().id()).isEqualTo(id);
      assertThat(h.releases()).extracting(HistoryView.ReleaseView::id).contains(end.to());
    } finally {
      CliTestSupport.Result down = CliTestSupport.cli("down", "-f", model);
      assertThat(down.code()).as(down.output()).isZero();
    }
  }

  private static void awaitDeath(long pid, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String state = procState(pid);
      if (state == null || state.equals("Z")) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the control plane did not halt at the chaos step within " + timeout);
  }

  private static String procState(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[0];
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static DeploymentView awaitTerminal(ControlPlaneClient client, String service, long id, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    DeploymentView last = null;
    while (System.nanoTime() < deadline) {
      for (DeploymentView d : client.get(ReleaseCommands.path(service, "history"), HistoryView.class).deployments()) {
        if (d.id() == id) {
          last = d;
        }
      }
      if (last != null && TERMINAL.contains(last.state())) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("deployment #" + id + " did not end within " + timeout + "; last seen " + last);
  }

  private static StatusView.ServiceView service(StatusView status, String name) {
    return status.services().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

}
