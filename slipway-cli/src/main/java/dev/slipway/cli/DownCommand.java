package dev.slipway.cli;

import dev.slipway.api.EventKind;
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
@Command(name = "down", description = "Stop everything (services, then backing services); --volumes also deletes their data.")
final class DownCommand implements Callable<Integer> {
  @Mixin
  ModelOptions.FileOption model;

  @Option(names = "--volumes", description = "Also delete backing-service data under .slipway/data.")
  boolean volumes;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return stop(model, volumes, spec.commandLine().getOut());
  }

  static int stop(ModelOptions model, boolean volumes, PrintWriter out) {
    Optional<ControlPlaneClient> client = ControlPlaneClient.find(model.stateDir());
    if (client.isPresent()) {
      long pid = client.get().info().pid();
      ProgressPrinter progress = new ProgressPrinter(out);
      long after = client.get().lastEventSeq();
      client.get().down(volumes);
      client.get().events(after, progress::event, e -> e.kind().equals(EventKind.SHUTDOWN));
      // Not our child, so onExit() would poll slowly: look every 20 ms, for at most 90 s.
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
      while (client.get().info().isAlive() && System.nanoTime() < deadline) {
        UpCommand.sleep(20);
      }
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
}
