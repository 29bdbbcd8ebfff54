package dev.slipway.cli;

import dev.slipway.api.ApiPaths;
import dev.slipway.api.ControlPlaneInfo;
import dev.slipway.api.EventKind;
import dev.slipway.model.Durations;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slipway down}: stop everything in reverse order. Also cleans up after a control plane that
 * was killed, so nothing is left behind.
 */
@Command(name = "down", description = "Stop everything (services, then backing services); --volumes also deletes their data."
    + " On a kubernetes environment: delete what Slipway created there, after listing it (asks unless --yes).")
final class DownCommand implements Callable<Integer> {
  @Mixin
  ModelOptions.FileOption model;

  @Option(names = "--volumes", description = "Also delete backing-service data under .slipway/data.")
  boolean volumes;

  @Mixin
  EnvOptions envs;

  @Option(names = "--yes", description = "Kubernetes environments: delete without asking (needed without a terminal, as in CI).")
  boolean yes;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Optional<ClusterTarget> cluster = envs.cluster(model);
    if (cluster.isPresent()) {
      if (volumes) {
        throw new CliException(2, "--volumes is for local stacks (data under .slipway/data)",
            "on a cluster down deletes what Slipway created there and lists it first; leave --volumes out");
      }
      return ClusterCommands.down(cluster.get(), yes, spec.commandLine().getOut());
    }
    ControlPlaneClient.find(model.stateDir()).ifPresent(envs::checkLocal);
    return stop(model, volumes, spec.commandLine().getOut());
  }

  /** How long {@code down} waits for the control plane to stop everything before killing it. */
  static final java.time.Duration STOP_TIMEOUT = java.time.Duration.ofSeconds(120);

  static int stop(ModelOptions model, boolean volumes, PrintWriter out) {
    Optional<ControlPlaneClient> client = ControlPlaneClient.find(model.stateDir());
    if (client.isPresent()) {
      ProgressPrinter progress = new ProgressPrinter(out);
      long after = client.get().lastEventSeq();
      client.get().down(volumes);
      // Follow the shutdown, for at most STOP_TIMEOUT: a control plane that does not stop by then is
      // killed, and the clean-up below stops whatever it leaves behind.
      java.util.concurrent.CompletableFuture<Void> followed = new java.util.concurrent.CompletableFuture<>();
      Thread.ofVirtual().name("down-events").start(() -> {
        client.get().events(after, progress::event, e -> e.kind().equals(EventKind.SHUTDOWN));
        followed.complete(null);
      });
      long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
      try {
        followed.get(STOP_TIMEOUT.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        // Checked below: it is still alive.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // Not our child, so onExit() would poll slowly: look every 20 ms.
      while (client.get().info().isAlive() && System.nanoTime() < deadline) {
        UpCommand.sleep(20);
      }
      if (client.get().info().isAlive()) {
        kill(client.get().info(), "did not stop within " + Durations.human(STOP_TIMEOUT), out);
      }
    } else {
      unresponsive(model).ifPresent(info -> kill(info, "does not answer", out));
    }
    // Whatever a killed control plane left behind (and, with --volumes, the data) goes too.
    List<String> args = new ArrayList<>(List.of("--file", model.file().toString(), "--cleanup"));
    if (volumes) {
      args.add("--volumes");
    }
    ControlPlaneLauncher.Result result = ControlPlaneLauncher.runToEnd(args);
    if (!result.output().isBlank()) {
      out.print(result.output());
    }
    if (result.exitCode() != 0) {
      throw new CliException(1, "cleaning up failed", null, result.output().lines().toList());
    }
    if (client.isEmpty() && result.output().isBlank()) {
      out.println("Nothing was running for " + model.file() + ".");
    } else {
      out.println(Style.ok("✓") + " stopped" + (volumes ? "; data deleted" : ""));
    }
    out.flush();
    return 0;
  }

  /** A control plane whose process lives (same pid, same start time) but that does not answer its API. */
  private static Optional<ControlPlaneInfo> unresponsive(ModelOptions model) {
    java.nio.file.Path file = model.stateDir().resolve(ApiPaths.INFO_FILE);
    try {
      ControlPlaneInfo info = ControlPlaneClient.JSON.readValue(file.toFile(), ControlPlaneInfo.class);
      return info.isAlive() ? Optional.of(info) : Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  /** Stops a control plane that will not stop by itself: SIGTERM, then SIGKILL after 5 s (also if it is frozen). */
  private static void kill(ControlPlaneInfo info, String why, PrintWriter out) {
    out.println(Style.warn("!") + " the control plane (pid " + info.pid() + ") " + why + "; killing it (its log: "
        + ".slipway/" + ApiPaths.CONTROL_PLANE_LOG + "); the services it ran are stopped next");
    out.flush();
    ProcessHandle.of(info.pid()).ifPresent(p -> {
      p.destroy();
      long grace = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
      while (p.isAlive() && System.nanoTime() < grace) {
        UpCommand.sleep(20);
      }
      p.destroyForcibly();
      long gone = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
      while (info.isAlive() && System.nanoTime() < gone) {
        UpCommand.sleep(20);
      }
    });
  }
}
