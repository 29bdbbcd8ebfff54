package dev.slipway.cli;

import dev.slipway.model.AppSpec;
import dev.slipway.model.ModelException;
import dev.slipway.model.ModelLoader;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code -f FILE}, shared by every command that works on a model, with that one meaning everywhere.
 * Given after the command ({@code slipway up -f x.yaml}) or before it ({@code slipway -f x.yaml up});
 * else {@code $SLIPWAY_FILE}; else {@code ./slipway.yaml}.
 */
abstract class ModelOptions {
  /** The file given to this command, or null. */
  abstract Path given();

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec mixee;

  Path file() {
    Path chosen = given();
    // The root's -f, however deep the command (`slipway -f F preview up NAME`).
    for (CommandLine.Model.CommandSpec p = mixee == null ? null : mixee.parent(); chosen == null && p != null;
        p = p.parent()) {
      if (p.userObject() instanceof Main main) {
        chosen = main.file;
      }
    }
    if (chosen == null) {
      String env = System.getenv("SLIPWAY_FILE");
      chosen = Path.of(env == null || env.isBlank() ? "slipway.yaml" : env);
    }
    return chosen.toAbsolutePath().normalize();
  }

  Path stateDir() {
    return file().getParent().resolve(".slipway");
  }

  /** Loads and validates the model for {@code environment}; model errors become exit code 2. */
  AppSpec load(String environment) {
    try {
      return ModelLoader.load(file(), environment);
    } catch (ModelException e) {
      throw new ModelErrors(e);
    }
  }

  /** {@link #load} for running it here: the environment must target {@code local} ({@code up}). */
  AppSpec loadLocal(String environment) {
    try {
      return ModelLoader.loadLocal(file(), environment);
    } catch (ModelException e) {
      throw new ModelErrors(e);
    }
  }

  /** {@code -f FILE} / {@code --file FILE}. */
  static final class FileOption extends ModelOptions {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
        description = "The model file (default: $SLIPWAY_FILE or ./slipway.yaml). State lives in .slipway/ beside it.")
    Path file;

    @Override
    Path given() {
      return file;
    }
  }

  /** Carries model errors to the exception handler, which prints them all and exits 2. */
  static final class ModelErrors extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient ModelException errors;

    ModelErrors(ModelException errors) {
      super(errors.getMessage(), errors);
      this.errors = errors;
    }
  }
}
