package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.engine.runtime.SecretMasker;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoversIT {

  @TempDir
  Path base;
  @TempDir
  Path elsewhere;
  private Process bystander;

  @AfterEach
  void noProcessLeftBehind() throws Exception {
    if (bystander != null) {
      ProcessGroups.terminate(bystander.pid(), Signal.KILL, Duration.ZERO);
    }
    Procs.assertNothingLeft(base);
    assertThat(Procs.leftUnder(elsewhere)).isEmpty();
  }

  private LocalTarget newTarget() {
    return new LocalTarget("demo", base, base.resolve(".slipway"), new SecretMasker());
  }

  @Test
  void cleanUpLeftovers_afterTheControlPlaneWasKilledWith9_stopsItsInstancesAndDatabase() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process controlPlane = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx64m",
        "-cp", System.getProperty("java.class.path"), LeftoverFixture.class.getName(), base.toString(), "with-db")
        .directory(elsewhere.toFile())
        .redirectErrorStream(true)
        .start();
    long pgid;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(controlPlane.getInputStream(), StandardCharsets.UTF_8))) {
      String line = CompletableFuture.supplyAsync(() -> readStarted(out)).get(30, TimeUnit.SECONDS);
      assertThat(line).startsWith("started ");
      pgid = Long.parseLong(line.substring("started ".length()));
      assertThat(Procs.await(Duration.ofSeconds(2), () -> ProcessGroups.members(pgid).size() >= 2)).isTrue();

      controlPlane.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
      controlPlane.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(ProcessGroups.members(pgid)).as("instance survives its control plane").hasSizeGreaterThanOrEqualTo(2);
    List<String> survivors = Procs.under(base);
    assertThat(survivors).anyMatch(p -> p.endsWith(" postgres"));

    try (LocalTarget next = newTarget()) {
      List<String> lines = next.cleanUpLeftovers();

      assertThat(lines).hasSize(2).contains("stopped leftover api-1 (pgid " + pgid + ")")
          .anyMatch(l -> l.matches("stopped leftover db \\(pgid \\d+\\)"));
      assertThat(ProcessGroups.members(pgid)).isEmpty();
      assertThat(Procs.under(base)).isEmpty();
      assertThat(next.cleanUpLeftovers()).isEmpty();
    }
  }

  @Test
  void cleanUpLeftovers_neverStopsWhatTheSameTargetStarted() throws Exception {
    try (LocalTarget target = newTarget()) {
      var api = target.startInstance(new dev.slipway.engine.runtime.InstanceSpec("api", "api-1", "api-r1", "v1", "sleep 300", null,
          Map.of(), 0, Duration.ofSeconds(2)));

      assertThat(target.cleanUpLeftovers()).isEmpty();
      assertThat(Procs.alive(api.pid())).isTrue();
    }
  }

  private static String readStarted(BufferedReader out) {
    try {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("started ")) {
          return line;
        }
      }
      return "(control plane ended without starting anything)";
    } catch (java.io.IOException e) {
      return "(cannot read the control plane's output: " + e.getMessage() + ")";
    }
  }

  @Test
  void cleanUpLeftovers_whenTheLeaderExitedButItsChildrenRemain_stopsTheChildren() throws Exception {
    Path log = base.resolve("bg.log");
    Files.createDirectories(base.resolve(".slipway/run"));
    Incarnation inc = Spawner.spawn(List.of("sh", "-c", "sleep 300 & exit 0"), Map.of(), base, log, null, 1);
    ProcessRegistry earlier = new ProcessRegistry(base.resolve(".slipway/run/processes.json"));
    earlier.register(earlier.entryFor("worker-1", "instance", inc, "sleep 300 & exit 0", Signal.TERM));
    inc.process().waitFor(5, TimeUnit.SECONDS);
    assertThat(Procs.await(Duration.ofSeconds(2), () -> ProcessGroups.members(inc.pgid()).size() == 1)).isTrue();

    try (LocalTarget next = newTarget()) {
      assertThat(next.cleanUpLeftovers()).containsExactly("stopped leftover worker-1 (pgid " + inc.pgid() + ")");
    }
    assertThat(ProcessGroups.members(inc.pgid())).isEmpty();
  }

  @Test
  void cleanUpLeftovers_whenTheRecordedPidNowBelongsToAnotherProcess_leavesItAlone() throws Exception {
    bystander = new ProcessBuilder("setsid", "sleep", "300").directory(elsewhere.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    long pid = bystander.pid();
    assertThat(Procs.await(Duration.ofSeconds(2),
        () -> ProcStat.read(pid).map(s -> s.pgid() == pid).orElse(false))).isTrue();
    long realStart = ProcStat.read(pid).orElseThrow().startTicks();
    // A record of an older process that had the same pid: same pid and group, earlier start time.
    Files.createDirectories(base.resolve(".slipway/run"));
    new ProcessRegistry(base.resolve(".slipway/run/processes.json")).register(new ProcessRegistry.Entry(
        "api-1", "instance", pid, pid, realStart - 500, ProcStat.bootId(), "sleep 300", "TERM", null, "earlier",
        0, null));

    try (LocalTarget next = newTarget()) {
      assertThat(next.cleanUpLeftovers()).isEmpty();
    }

    assertThat(bystander.isAlive()).isTrue();
    assertThat(Files.readString(base.resolve(".slipway/run/processes.json"))).doesNotContain("api-1");
  }
}
