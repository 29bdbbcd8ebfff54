package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.ResourceUsage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampler on real process trees that hold a known amount of memory or burn a known amount of CPU. */
class UsageSamplerIT {
  private static final long MIB = 1 << 20;
  // Fills its memory (bytes are written, so every page is resident), says so, then waits.
  private static final String HOLD = "python3 -c 'import sys,time; b = b\"x\" * (%d * 1024 * 1024); print(\"ready\", flush=True); time.sleep(600)'";
  private static final String BURN = "python3 -c 'print(\"ready\", flush=True)\nwhile True: pass'";
  private final List<Process> groups = new ArrayList<>();

  @TempDir
  Path state;

  @AfterEach
  void stopTrees() {
    for (Process p : groups) {
      ProcessGroups.terminate(p.pid(), Signal.KILL, Duration.ofSeconds(3));
      p.destroyForcibly();
    }
  }

  @Test
  void sampler_sumsTheWholeTreesMemory_measuresCpu_andPersistsAcrossSessions() throws Exception {
    // Two processes below one shell: 200 MiB + 100 MiB, all of it one instance.
    Process mem = tree("%s & %s & wait".formatted(HOLD.formatted(200), HOLD.formatted(100)), 2);
    Process burn = tree(BURN, 1);
    Instant longAgo = Instant.now().minus(Duration.ofMinutes(5)); // past the warm-up: every interval counts
    List<UsageSampler.Subject> subjects = List.of(
        new UsageSampler.Subject("mem-r1-1", "mem", "mem-r1", mem.pid(), longAgo),
        new UsageSampler.Subject("burn-r1-1", "burn", "burn-r1", burn.pid(), longAgo));
    UsageSampler sampler = new UsageSampler(state, () -> subjects);

    for (int i = 0; i < 4; i++) {
      sampler.tick();
      Thread.sleep(UsageSampler.INTERVAL.toMillis());
    }
    sampler.tick();

    ResourceUsage.Service m = sampler.usage().services().get("mem");
    assertThat(m.samples()).isEqualTo(5);
    assertThat(m.peakRssBytes()).as("peak RSS").isBetween(300 * MIB, 300 * MIB + 60 * MIB);
    assertThat(m.peakHwmBytes()).isGreaterThanOrEqualTo(m.peakRssBytes());
    assertThat(m.cpuPercentileMillis(95)).as("an idle tree").isBetween(10, 30);
    assertThat(m.sampledSeconds()).isBetween(7L, 10L);
    assertThat(m.releases()).containsExactly("mem-r1");
    ResourceUsage.Service b = sampler.usage().services().get("burn");
    // One busy thread is one core; the machine is shared, so accept a good deal less.
    assertThat(b.cpuMaxMillis()).as("busy loop").isBetween(250, 1150);
    assertThat(b.cpuPercentileMillis(50)).isBetween(250, 1200);
    assertThat(b.peakRssBytes()).isLessThan(60 * MIB);

    sampler.flush();
    assertThat(ResourceUsage.read(state)).isEqualTo(sampler.usage());
    // The next session (a new control plane) adds to what this one measured.
    UsageSampler next = new UsageSampler(state, () -> subjects.subList(0, 1));
    next.tick();
    assertThat(next.usage().services().get("mem").samples()).isEqualTo(6);
    assertThat(next.usage().services().get("burn")).isEqualTo(b);
  }

  @Test
  void cpuDuringWarmUp_countsForTheMaximumOnly() throws Exception {
    Process burn = tree(BURN, 1);
    List<UsageSampler.Subject> subjects = List.of(new UsageSampler.Subject("burn-r1-1", "burn", "burn-r1", burn.pid(),
        Instant.now()));
    UsageSampler sampler = new UsageSampler(state, () -> subjects);

    sampler.tick();
    Thread.sleep(UsageSampler.INTERVAL.toMillis());
    sampler.tick();

    ResourceUsage.Service b = sampler.usage().services().get("burn");
    assertThat(b.cpuMaxMillis()).isGreaterThan(200);
    assertThat(b.cpuSamples()).isZero();
    assertThat(b.cpuPercentileMillis(95)).isEqualTo(-1);
  }

  /** Starts {@code script} as the leader of a new process group; returns once {@code ready} lines were printed. */
  private Process tree(String script, int ready) throws Exception {
    Process p = new ProcessBuilder("setsid", "sh", "-c", script).redirectErrorStream(true).start();
    groups.add(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
    for (int i = 0; i < ready; i++) {
      String line = out.readLine();
      assertThat(line).as("output of " + script).isEqualTo("ready");
    }
    return p;
  }
}
