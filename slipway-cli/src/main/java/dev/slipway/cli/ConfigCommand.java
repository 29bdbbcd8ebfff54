package dev.slipway.cli;

import dev.slipway.model.ModelLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slipway config --env ENV}: the model as resolved for an environment, secrets masked. */
@Command(name = "config", description = "Print the model resolved for an environment (overlay and defaults applied, secrets masked).")
final class ConfigCommand implements Callable<Integer> {
  @Mixin
  ModelOptions.FileOption model;

  @Option(names = "--env", paramLabel = "ENV", defaultValue = ModelLoader.DEFAULT_ENVIRONMENT,
      description = "Environment (default: dev, implicit in a model without environments).")
  String env;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(EffectiveModel.yaml(model.load(env)));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
