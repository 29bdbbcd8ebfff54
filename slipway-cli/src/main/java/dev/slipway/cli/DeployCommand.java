package dev.slipway.cli;

import dev.slipway.api.DeployRequest;
import dev.slipway.api.DeploymentView;
import dev.slipway.model.StrategyKind;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code slipway deploy SERVICE}: build, record a release, roll it out with the service's strategy.
 * With {@code --wait}: live progress and a one-line verdict; exit 0 when it went live, 1 when it was
 * rolled back or failed.
 */
@Command(name = "deploy", description = "Ship a new release of a service: rolling, blue-green or canary, with automatic rollback.")
final class DeployCommand implements Callable<Integer> {
  @Mixin
  ModelOptions.FileOption model;

  @Parameters(paramLabel = "SERVICE", description = "The service.")
  String service;

  @Option(names = "--version", paramLabel = "V", description = "Label of the new release (default: a short digest of its artifact).")
  String version;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Environment variable of the new release (repeatable).")
  List<String> set = List.of();

  @Option(names = "--strategy", paramLabel = "S", description = "rolling, blue-green or canary (default: the model's).")
  String strategy;

  @Option(names = "--env", paramLabel = "ENV", description = "Environment; must be the one running (default: it).")
  String env;

  @Mixin
  WaitOptions waiting;

  @Option(names = "--queue", description = "Wait for a rollout in progress to finish instead of being refused.")
  boolean queue;

  @Option(names = "--force", description = "Make a new release even if nothing changed.")
  boolean force;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** {@code --set} values are env values: the model's rules apply ({@code ${PORT}} is no reference…). */
  private void checkOverrides(String environment, Map<String, String> vars) {
    List<dev.slipway.model.ModelError> errors = dev.slipway.model.ModelLoader.checkOverrides(model.file(), environment,
        service, vars);
    if (errors.isEmpty()) {
      return;
    }
    String prefix = "services." + service + ".env.";
    List<String> lines = new java.util.ArrayList<>();
    for (dev.slipway.model.ModelError e : errors) {
      String name = e.path().substring(prefix.length());
      // the value itself is not echoed: it may be a password
      lines.add("--set " + name + ": " + e.message()
          + (e.hint() == null || e.hint().isEmpty() ? "" : " — " + e.hint()));
    }
    throw new CliException(2, errors.size() == 1 ? lines.get(0) : errors.size() + " --set values are not valid",
        "values of --set follow the rules of `env` in the model (docs/model.md#references)",
        errors.size() == 1 ? List.of() : lines);
  }

  @Override
  public Integer call() {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String kv : set) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new CliException(2, "--set wants KEY=VALUE, got `" + kv + "`", "e.g. --set FAULT_ERROR_RATE=0.05");
      }
      vars.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    if (strategy != null && StrategyKind.byName(strategy).isEmpty()) {
      throw new CliException(2, "unknown strategy `" + strategy + "`", "use " + StrategyKind.ids());
    }
    checkOverrides(env != null ? env : dev.slipway.model.ModelLoader.DEFAULT_ENVIRONMENT, vars);
    ControlPlaneClient client = ReleaseCommands.client(model);
    if (env != null && !env.equals(client.info().environment())) {
      throw new CliException(2, "the running stack is environment `" + client.info().environment() + "`, not `" + env + "`",
          "deploy to the environment that runs, or start `" + env + "` with `slipway up --env " + env + "`");
    }
    PrintWriter out = spec.commandLine().getOut();
    long after = client.lastEventSeq();
    out.println("deploying " + service + (vars.isEmpty() ? "" : " with " + vars.keySet()) + " ...");
    out.flush();
    DeploymentView d = client.post(ReleaseCommands.path(service, "deploy"),
        new DeployRequest(version, vars, strategy, queue, force), DeploymentView.class);
    out.println("started " + ReleaseCommands.summary(d));
    for (int i = 0; i < d.steps().size(); i++) {
      out.println(Style.dim(String.format("  %2d. %s", i + 1, d.steps().get(i))));
    }
    out.flush();
    return waiting.follow(client, service, d.id(), after, out);
  }
}
