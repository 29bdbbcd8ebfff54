package dev.slipway.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slipway logs SERVICE [-f]}: a service's output, secrets masked. */
@Command(name = "logs", description = "Print a service's log (secrets masked); -f to follow it.")
final class LogsCommand implements Callable<Integer> {
  /** {@code --file} only: {@code -f} means follow here, as in {@code tail -f}. */
  @Mixin
  ModelOptions.LongFileOption model;

  @Parameters(paramLabel = "SERVICE", description = "The service.")
  String service;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted.")
  boolean follow;

  @Option(names = {"-n", "--tail"}, defaultValue = "100", description = "Lines of history to print first (default: 100).")
  int tail;

  @Option(names = "--release", paramLabel = "RELEASE",
      description = "The instances of this release (e.g. a candidate, or a retired or rolled-back release; see `slipway history`) instead of those running now.")
  String release;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ControlPlaneClient client = ControlPlaneClient.find(model.stateDir()).orElseThrow(() -> new CliException(1,
        "nothing is running for " + model.file(),
        "start it with `slipway up`; logs of the last run are in " + model.stateDir().resolve("logs")));
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
