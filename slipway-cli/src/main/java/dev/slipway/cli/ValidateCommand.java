package dev.slipway.cli;

import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelError;
import dev.slipway.model.ModelException;
import dev.slipway.model.ModelLoader;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slipway validate}: check a model and every environment's overlay; all errors at once. */
@Command(name = "validate", description = "Check the model file; report every error with file:line:col and a fix.")
final class ValidateCommand implements Callable<Integer> {
  @Mixin
  ModelOptions.FileOption model;

  @Option(names = "--env", paramLabel = "ENV", description = "Check only this environment (default: the base model and every environment).")
  String env;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    AppSpec app;
    if (env != null) {
      app = model.load(env);
    } else {
      List<ModelError> errors = ModelLoader.validateAll(model.file());
      if (!errors.isEmpty()) {
        throw new ModelOptions.ModelErrors(new ModelException(errors));
      }
      app = model.load(null);
    }
    spec.commandLine().getOut().printf("%s %s is valid: %d services, %d resources, %d environments%s%n",
        Style.ok("ok"), model.file(), app.services().size(), app.resources().size(), app.environments().size(),
        env == null ? "" : " (checked with environment " + env + ")");
    return 0;
  }
}
