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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A control plane dies mid-rollout; the next one fails to take over. The failed take-over must
 * stop nothing: the router and every instance keep serving, weights and all, and the next
 * {@code up} takes over and finishes the rollout.
 */
class FailedTakeOverIT {
  static final String MODEL = """
      name: takeover
      services:
        api:
          run: "java -cp classes Hello"
          port: 8080
          health: { ready: /health/ready, live: /health/live, startupTimeout: 30s, interval: 1s }
          strategy:
            canary:
              steps:
                - setWeight: 30
                - pause: {}
      environments:
        dev: { target: local }
      """;
  private static Path work;
  @RegisterExtension
  static final StackDiagnostics DIAGNOSTICS = new StackDiagnostics(() -> work);
  private static String model;

  @BeforeAll
  static void prepare() throws Exception {
    work = CliTestSupport.helloFixture("rollout", "slipway-takeover-it");
    Files.writeString(work.resolve("slipway.yaml"), MODEL);
    model = work.resolve("slipway.yaml").toString();
  }

  @AfterAll
  static void stop() {
    CliTestSupport.cli("down", "-f", model, "--volumes");
  }

  @Test
  void takeOverThatFails_stopsNothing_andTheNextUpTakesOverAndFinishesTheRollout() throws Exception {
    Path log = Files.createTempFile("slipway-takeover-up", ".log");
    Process up = CliTestSupport.cliProcess(log, Map.of("SLIPWAY_CHAOS_HALT_AT", "canary:Pause"),
        "up", "-f", model, "--detach");
    assertThat(up.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(up.exitValue()).as(Files.readString(log)).isZero();
    ControlPlaneClient first = ControlPlaneClient.find(work.resolve(".slipway")).orElseThrow();
    StatusView.ServiceView before = api(first.status());
    long stablePid = before.instances().getFirst().pid();

    try (LoadGenerator load = new LoadGenerator(URI.create(before.url() + "/"), 60, 4)) {
      load.start();
      long id = first.post(ReleaseCommands.path("api", "deploy"), new DeployRequest(null, Map.of("MARK", "1"), null,
          false, false), DeploymentView.class).id();
      awaitDeath(first.info().pid(), Duration.ofSeconds(90)); // halted at the pause, 30% on api-r2

      Path failedLog = Files.createTempFile("slipway-takeover-failed", ".log");
      Process failed = CliTestSupport.cliProcess(failedLog, Map.of("SLIPWAY_CHAOS_FAIL_RECOVERY", "1"),
          "up", "-f", model, "--detach");
      assertThat(failed.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String said = Files.readString(failedLog);
      assertThat(failed.exitValue()).as(said).isEqualTo(1);
      assertThat(said).contains("taking over takeover failed: chaos: resuming the rollouts failed",
          "this control plane stops acting and stops nothing: the router, instances and backing services keep serving"
              + " as they were",
          "`slipway up` takes over again; `slipway down` stops everything",
          "control plane exiting; takeover keeps running without it");
      assertThat(ControlPlaneClient.find(work.resolve(".slipway"))).as("the failed control plane exited").isEmpty();
      CliTestSupport.Result status = CliTestSupport.cli("status", "-f", model);
      assertThat(status.out()).as(status.output()).containsPattern("No control plane: the last one \\(pid \\d+\\)"
          + " stopped acting at \\S+ and left takeover running, unmanaged: taking over takeover failed: chaos: resuming"
          + " the rollouts failed").contains("`slipway up` takes it over again; `slipway down` stops it.");

      long candidateBefore = load.served("api-r2");
      long stableBefore = load.served("api-r1");
      Thread.sleep(2000);
      assertThat(load.served("api-r2")).as("the candidate keeps its share through the router").isGreaterThan(candidateBefore);
      assertThat(load.served("api-r1")).as("so does the stable release").isGreaterThan(stableBefore);
      assertThat(ProcessHandle.of(stablePid).map(ProcessHandle::isAlive)).contains(true);

      CliTestSupport.Result again = CliTestSupport.cli("up", "-f", model, "--detach");
      assertThat(again.code()).as(again.output()).isZero();
      assertThat(again.out()).contains("taking over what the previous control plane left running: 2 instances");
      ControlPlaneClient recovered = ControlPlaneClient.find(work.resolve(".slipway")).orElseThrow();
      assertThat(work.resolve(".slipway/run/detached.json")).as("the new control plane manages it").doesNotExist();
      StatusView.ServiceView now = api(recovered.status());
      assertThat(now.instances()).extracting(StatusView.InstanceView::pid).as("the same processes, never restarted")
          .contains(stablePid);
      recovered.post(ReleaseCommands.path("api", "promote"), new RolloutRequest(false, null), DeploymentView.class);
      DeploymentView end = awaitEnd(recovered, id);
      assertThat(end.state()).isEqualTo("succeeded");

      load.close();
      assertThat(load.failedExcept("none")).as("failed requests; " + load.failures).isZero();
      assertThat(load.served("api-r2")).isPositive();
    } finally {
      CliTestSupport.Result down = CliTestSupport.cli("down", "-f", model);
      assertThat(down.code()).as(down.output()).isZero();
    }
  }

  /** Waits until {@code pid} is gone (or a zombie: the CLI that started it has not reaped it). */
  static void awaitDeath(long pid, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
          return;
        }
      } catch (java.io.IOException gone) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("process " + pid + " did not end within " + timeout);
  }

  static StatusView.ServiceView api(StatusView status) {
    return status.services().stream().filter(s -> s.name().equals("api")).findFirst().orElseThrow();
  }

  static DeploymentView awaitEnd(ControlPlaneClient client, long id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    DeploymentView last = null;
    while (System.nanoTime() < deadline) {
      for (DeploymentView d : client.get(ReleaseCommands.path("api", "history"), HistoryView.class).deployments()) {
        if (d.id() == id) {
          last = d;
        }
      }
      if (last != null && !last.state().equals("running") && !last.state().equals("paused")
          && !last.state().equals("pending")) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("deployment #" + id + " did not end; last seen " + last);
  }
}
