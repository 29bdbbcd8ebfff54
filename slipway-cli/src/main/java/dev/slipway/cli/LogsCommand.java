package dev.slipway.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code slipway logs SERVICE [--follow]}: a service's output, secrets masked. {@code -f} is the model
 * file here as on every command; following is spelt {@code --follow} so the two cannot clash.
 */
@Command(name = "logs", description = "Print a service's log (secrets masked; on a cluster its pods' logs, prefixed by pod); --follow to keep printing new lines.")
final class LogsCommand implements Callable<Integer> {
  @Mixin
  ModelOptions.FileOption model;

  @Parameters(paramLabel = "SERVICE", description = "The service.")
  String service;

  @Option(names = "--follow", description = "Keep printing new lines until interrupted (`-f` is the model file, as everywhere).")
  boolean follow;

  @Option(names = {"-n", "--tail"}, defaultValue = "100", description = "Lines of history to print first (default: 100).")
  int tail;

  @Option(names = "--release", paramLabel = "RELEASE",
      description = "The instances of this release (e.g. a candidate, or a retired or rolled-back release; see `slipway history`) instead of those running now.")
  String release;

  @Mixin
  EnvOptions envs;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    java.util.Optional<ClusterTarget> cluster = envs.cluster(model);
    if (cluster.isPresent()) {
      if (release != null) {
        throw new CliException(2, "--release is for local stacks; `" + envs.env + "` is a kubernetes environment",
            "on a cluster logs shows the pods running now, each line prefixed by its pod");
      }
      return ClusterCommands.logs(cluster.get(), service, follow, tail, out);
    }
    ControlPlaneClient client = ControlPlaneClient.find(model.stateDir()).orElseThrow(() -> new CliException(1,
        "nothing is running for " + model.file(),
        "start it with `slipway up`; logs of the last run are in " + model.stateDir().resolve("logs")));
    envs.checkLocal(client);
    client.logs(service, release, tail, follow, line -> {
      out.println(line);
      if (follow) {
        out.flush();
      }
    });
    out.flush();
    return 0;
  }
}
