package dev.slipway.server.team;

import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.ModelException;
import dev.slipway.model.ModelLoader;
import dev.slipway.server.ApiError;
import java.nio.file.Path;
import java.util.List;

/**
 * The application model as the server sees it: read afresh from the {@code -f} file on every call, so the
 * team's checkout (kept current by CI) decides. An invalid file is the server's 409 {@code model-invalid}
 * naming the file's errors, not a 500.
 */
public final class TeamModel {
  private final Path file;

  public TeamModel(Path file) {
    this.file = file.toAbsolutePath().normalize();
  }

  public Path file() {
    return file;
  }

  public Path dir() {
    return file.getParent();
  }

  /** The base model (no overlay). */
  public AppSpec base() {
    return load(null);
  }

  /** The model with {@code environment}'s overlay applied; 404 when no such environment is declared. */
  public AppSpec forEnvironment(String environment) {
    AppSpec base = base();
    if (!base.environments().containsKey(environment)) {
      throw ApiError.notFound("unknown-environment", "no environment named `" + environment + "` in " + file
          + "; environments: " + String.join(", ", base.environments().keySet()));
    }
    return load(environment);
  }

  /** The declared environment; 404 when there is none of that name. */
  public EnvironmentSpec environment(String environment) {
    return forEnvironment(environment).environments().get(environment);
  }

  private AppSpec load(String environment) {
    try {
      return ModelLoader.load(file, environment);
    } catch (ModelException e) {
      throw new ApiError(409, "model-invalid", "The server's model file is invalid",
          List.of(e.getMessage(), "fix " + file + " (the server reads it on every action)"));
    }
  }
}
