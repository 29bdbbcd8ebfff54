package dev.slipway.cli;

import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelError;
import dev.slipway.model.ModelException;
import dev.slipway.model.ModelFix;
import dev.slipway.model.ModelLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slipway validate}: check a model, every environment's overlay, and what {@code slipway up}
 * needs of its default environment; all errors at once. Valid here means every command loads it.
 */
@Command(name = "validate", description = "Check the model file as every command loads it; report every error with file:line:col and a fix.")
final class ValidateCommand implements Callable<Integer> {
  @Mixin
  ModelOptions.FileOption model;

  @Option(names = "--env", paramLabel = "ENV",
      description = "Check only this environment (default: the base model, every environment, and dev as `slipway up` runs it).")
  String env;

  @Option(names = "--fix", description = "Make the edits the errors' hints name (did you mean …, add …) in the file, then check it again.")
  boolean fix;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    AppSpec app;
    if (env != null) {
      // `dev` is what `up` runs; checked as `up` loads it
      app = env.equals(ModelLoader.DEFAULT_ENVIRONMENT) ? model.loadLocal(env) : model.load(env);
    } else {
      List<ModelError> errors = ModelLoader.validateAll(model.file());
      if (fix && errors.stream().anyMatch(e -> e.fix() != null)) {
        errors = fix(model.file(), errors);
      }
      if (!errors.isEmpty()) {
        throw new ModelOptions.ModelErrors(new ModelException(errors));
      }
      app = model.load(null);
    }
    int envs = app.environments().size();
    spec.commandLine().getOut().printf("%s %s is valid: %s, %s, %s%s%n",
        Style.ok("ok"), model.file(), count(app.services().size(), "service"), count(app.resources().size(), "resource"),
        envs == 0 ? "no environments (`slipway up` runs it locally as dev)" : envs + (envs == 1 ? " environment" : " environments"),
        env == null ? "" : " (checked with environment " + env + ")");
    return 0;
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** Applies every fix to the file, says what changed, and returns the errors left. */
  private List<ModelError> fix(Path file, List<ModelError> errors) {
    PrintWriter out = spec.commandLine().getOut();
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      List<ModelFix> fixes = errors.stream().map(ModelError::fix).filter(Objects::nonNull).toList();
      // the user's file is replaced whole or not at all: a crash mid-write must not leave half a model
      // (the file a link points at, with its permissions)
      Path real = file.toRealPath();
      Path temp = Files.createTempFile(real.getParent(), ".slipway-fix-", ".yaml");
      try {
        Files.writeString(temp, ModelFix.applyAll(text, fixes), StandardCharsets.UTF_8);
        try {
          Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(real));
        } catch (UnsupportedOperationException notPosix) {
          // the default permissions then
        }
        Files.move(temp, real, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new CliException(1, "cannot fix " + file + ": " + e.getMessage(), "check the file and its permissions");
    }
    for (ModelError e : errors) {
      if (e.fix() != null) {
        out.println(Style.ok("fixed") + " " + ErrorHandler.shown(file) + ":" + e.location().line() + ":"
            + e.location().column() + ": " + (e.path().isEmpty() ? "" : e.path() + ": ") + e.message() + " (" + e.hint() + ")");
      }
    }
    out.flush();
    return ModelLoader.validateAll(file);
  }
}
