package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.kubernetes.sim.Behaviour;
import dev.slipway.kubernetes.sim.MockCluster;
import dev.slipway.kubernetes.sim.SimKubelet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code e2e/kubernetes.sh}, the acceptance scenarios for a real cluster, is itself run here — against
 * the mock API server and the simulated kubelet, with the CLI of this build — so that the script a user
 * points at k3s or kind is known to work: its syntax, its skip without a cluster, and each of its
 * checks passing on a cluster that behaves.
 */
class KubernetesE2eScriptIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path SCRIPT = REPO.resolve("e2e/kubernetes.sh");

  @Test
  void script_parses() throws Exception {
    Result r = bash(Map.of(), 30, "-n", SCRIPT.toString());

    assertThat(r.code()).as(r.output()).isZero();
  }

  @Test
  void withoutACluster_itSkips_andExits0() throws Exception {
    Result r = bash(Map.of(), 30, SCRIPT.toString());

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(r.output()).startsWith("skipped: no cluster configured");
  }

  @Test
  void againstACluster_everyScenarioPasses(@TempDir Path dir) throws Exception {
    try (MockCluster cluster = new MockCluster();
        // the script's "tag that does not exist": on a real cluster its pulls fail, its pods never ready
        SimKubelet kubelet = new SimKubelet(cluster.client()).behave("no-such-tag", Behaviour.NEVER_READY).start()) {
      Path kubeconfig = cluster.writeKubeconfig(dir, "kind-e2e");
      Path cli = dir.resolve("slipway-under-test");
      Files.writeString(cli, "#!/bin/sh\nexec '" + ProcessHandle.current().info().command().orElse("java")
          + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '" + System.getProperty("java.class.path")
          + "' " + Main.class.getName() + " \"$@\"\n");
      Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwx------"));

      Result r = bash(Map.of("SLIPWAY_E2E_CLI", cli.toString()), 600, SCRIPT.toString(), "--kubeconfig",
          kubeconfig.toString(), "--no-kubectl");

      assertThat(r.code()).as(r.output()).isZero();
      assertThat(r.output()).as(r.output()).doesNotContain("FAIL").contains("ok   - deploy api at a tag that does not exist:"
          + " rolled back", "ok   - api still serves 1.26-alpine", "ok   - the message names the endpoint",
          "ok   - no service has a release any more", "every scenario passed");
    }
  }

  private static Result bash(Map<String, String> env, int seconds, String... args) throws Exception {
    Path log = Files.createTempFile("e2e-script", ".log");
    List<String> cmd = new java.util.ArrayList<>(List.of("bash"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("SLIPWAY_E2E_") || k.equals("KUBECONFIG"));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("e2e/kubernetes.sh still running after " + seconds + " s:\n" + Files.readString(log));
    }
    String out = Files.readString(log);
    Files.delete(log);
    return new Result(p.exitValue(), out);
  }

  private record Result(int code, String output) {}
}
