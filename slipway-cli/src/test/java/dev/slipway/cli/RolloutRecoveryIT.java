package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.DeployRequest;
import dev.slipway.api.DeploymentView;
import dev.slipway.api.HistoryView;
import dev.slipway.api.RolloutRequest;
import dev.slipway.api.StatusView;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The crash harness with real processes under steady load, for a sample of crash points of each kind
 * of rollout (the in-memory harness in slipway-engine covers every point): the control plane is halted
 * like {@code kill -9} — mid-drain, mid-analysis, mid-promotion, mid-rollback — and the next {@code up}
 * takes over the running router and instances. Each case must end in the exact state its verdict
 * implies, with no failed request meanwhile (a failing canary's own 500s aside) and the instances of the
 * release that stays taken over, not restarted. One stack serves every case: between cases the control
 * plane is killed and the next one adopts everything, as after any crash.
 */
class RolloutRecoveryIT {
  private static final Set<String> TERMINAL = Set.of("succeeded", "rolled-back", "aborted", "failed");
  private static final AtomicInteger MARK = new AtomicInteger();
  private static final List<String> OUTCOMES = new ArrayList<>();
  private static Path work;
  @org.junit.jupiter.api.extension.RegisterExtension
  static final StackDiagnostics DIAGNOSTICS = new StackDiagnostics(() -> work);
  private static String model;

  @BeforeAll
  static void prepare() throws Exception {
    work = CliTestSupport.helloFixture("recovery", "slipway-recovery-it");
    model = work.resolve("slipway.yaml").toString();
    CliTestSupport.upDetached(work);
  }

  @AfterAll
  static void stop() {
    CliTestSupport.cli("down", "-f", model, "--volumes");
    OUTCOMES.forEach(System.out::println);
    System.out.println("real-process crash points: " + OUTCOMES.size() + ", each as bound for, 0 failed requests");
  }

  static Stream<Arguments> cases() {
    String only = System.getProperty("chaos.only");
    return Stream.of(
        Arguments.of("rolling", "rolling", "point:draining", "succeeded"),
        Arguments.of("rolling", "rolling", "point:promoting", "succeeded"),
        Arguments.of("bluegreen", "blue-green", "point:promoted", "succeeded"),
        Arguments.of("canary", "canary passing", "step:canary:Analyze", "succeeded"),
        Arguments.of("canary", "canary passing", "point:promoting", "succeeded"),
        Arguments.of("canary", "canary failing analysis", "point:rolling-back", "rolled-back"),
        Arguments.of("manual", "canary aborted by a person", "point:rolling-back", "aborted"),
        Arguments.of("rolling", "rollback to the previous release", "step:immediate:Promote", "succeeded"))
        .filter(a -> only == null || a.get()[1].toString().contains(only));
  }

  @ParameterizedTest(name = "{1} halted at {2} ends {3}")
  @MethodSource("cases")
  void controlPlaneHalted_nextUpTakesOver_andTheRolloutEndsAsItsVerdictImplies(String service, String kind,
      String chaos, String expected) throws Exception {
    Path stateDir = work.resolve(".slipway");
    ControlPlaneClient before = ControlPlaneClient.find(stateDir).orElseThrow();
    ProcessHandle.of(before.info().pid()).ifPresent(ProcessHandle::destroyForcibly); // kill -9
    awaitDeath(before.info().pid(), Duration.ofSeconds(30));
    Path log = Files.createTempFile("slipway-chaos-up", ".log");
    Process up = CliTestSupport.cliProcess(log, Map.of("SLIPWAY_CHAOS", chaos), "up", "-f", model, "--detach");
    assertThat(up.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(up.exitValue()).as(Files.readString(log)).isZero();
    ControlPlaneClient client = ControlPlaneClient.find(stateDir).orElseThrow();
    long controlPlane = client.info().pid();
    StatusView.ServiceView was = service(client.status(), service);
    Map<String, Long> stablePids = was.instances().stream()
        .collect(Collectors.toMap(StatusView.InstanceView::id, StatusView.InstanceView::pid));

    try (LoadGenerator load = new LoadGenerator(URI.create(was.url() + "/"), 60, 4)) {
      load.start();
      long id = act(client, service, kind);

      awaitDeath(controlPlane, Duration.ofSeconds(90));
      Thread.sleep(500); // the router and the instances serve on with no control plane
      CliTestSupport.Result again = CliTestSupport.cli("up", "-f", model, "--detach");
      assertThat(again.code()).as(again.output()).isZero();
      assertThat(again.out()).contains("taking over what the previous control plane left running");
      ControlPlaneClient recovered = ControlPlaneClient.find(stateDir).orElseThrow();

      DeploymentView end = awaitTerminal(recovered, service, id, Duration.ofSeconds(120));
      load.close();
      String winner = expected.equals("succeeded") ? end.to() : end.from();
      String candidate = end.to();
      assertThat(end.state()).as(kind + " halted at " + chaos + ": " + end.reason()).isEqualTo(expected);
      assertThat(end.phase()).isEqualTo("done");
      long failed = kind.contains("failing") ? load.failedExcept(candidate) : load.failedExcept("none");
      assertThat(failed).as("failed requests while " + kind + " was halted at " + chaos + " and taken over; served "
          + load.served.keySet() + "; " + load.failures).isZero();
      assertThat(load.requests.sum()).isPositive();

      HistoryView h = recovered.get(ReleaseCommands.path(service, "history"), HistoryView.class);
      assertThat(h.current()).isEqualTo(winner);
      StatusView.ServiceView now = awaitSettled(recovered, service, winner);
      for (StatusView.InstanceView i : now.instances()) {
        assertThat(ProcessHandle.of(i.pid()).map(ProcessHandle::isAlive).orElse(false)).as(i.id()).isTrue();
        if (stablePids.containsKey(i.id())) {
          assertThat(i.pid()).as(i.id() + " was taken over, not started again").isEqualTo(stablePids.get(i.id()));
        }
      }
      if (!expected.equals("succeeded")) {
        assertThat(now.instances()).extracting(StatusView.InstanceView::id)
            .as("the stable instances, each taken over").containsExactlyInAnyOrderElementsOf(stablePids.keySet());
      }
      OUTCOMES.add(String.format("real-process crash: %-34s halted at %-22s -> %s, %d requests, 0 failed",
          kind, chaos, end.state(), load.requests.sum()));
    }
  }

  /** Starts the rollout of the case; returns its deployment id. */
  private static long act(ControlPlaneClient client, String service, String kind) throws Exception {
    if (kind.startsWith("rollback")) {
      if (client.get(ReleaseCommands.path(service, "history"), HistoryView.class).releases().size() < 2) {
        // Run alone (-Dchaos.only=rollback): first a release to go back from.
        awaitTerminal(client, service, client.post(ReleaseCommands.path(service, "deploy"), new DeployRequest(null,
            Map.of("MARK", Integer.toString(MARK.incrementAndGet())), null, false, false), DeploymentView.class).id(),
            Duration.ofSeconds(120));
      }
      HistoryView h = client.get(ReleaseCommands.path(service, "history"), HistoryView.class);
      String previous = h.releases().stream().map(HistoryView.ReleaseView::id).filter(r -> !r.equals(h.current()))
          .findFirst().orElseThrow();
      return client.post(ReleaseCommands.path(service, "rollback"), new RolloutRequest(false, previous),
          DeploymentView.class).id();
    }
    Map<String, String> set = new java.util.LinkedHashMap<>();
    set.put("MARK", Integer.toString(MARK.incrementAndGet()));
    if (kind.contains("failing")) {
      set.put("FAULT_ERROR_RATE", "1");
    }
    long id = client.post(ReleaseCommands.path(service, "deploy"), new DeployRequest(null, set, null, false, false),
        DeploymentView.class).id();
    if (kind.contains("aborted")) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!current(client, service, id).state().equals("paused")) {
        assertThat(System.nanoTime()).as("the canary pauses for a person").isLessThan(deadline);
        Thread.sleep(100);
      }
      DeploymentView aborted = client.post(ReleaseCommands.path(service, "abort"), null, DeploymentView.class);
      assertThat(aborted.phase()).as("stored before the abort is answered").isEqualTo("rolling-back");
    }
    return id;
  }

  private static DeploymentView current(ControlPlaneClient client, String service, long id) {
    return client.get(ReleaseCommands.path(service, "history"), HistoryView.class).deployments().stream()
        .filter(d -> d.id() == id).findFirst().orElseThrow();
  }

  /** The service once only {@code winner} runs and takes all traffic. */
  private static StatusView.ServiceView awaitSettled(ControlPlaneClient client, String service, String winner)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    StatusView.ServiceView s;
    do {
      s = service(client.status(), service);
      if (s.healthy() && s.weights().equals(Map.of(winner, 100))
          && s.instances().stream().allMatch(i -> i.release().equals(winner))) {
        return s;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("only " + winner + " should serve " + service + ": " + s);
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
    throw new AssertionError("the control plane did not halt at its chaos point within " + timeout);
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
      last = current(client, service, id);
      if (TERMINAL.contains(last.state())) {
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
