package dev.slipway.engine;

import dev.slipway.model.AppSpec;
import dev.slipway.model.SecretSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the values of the model's {@code secrets:} from their sources. Values live only in memory
 * and are registered with the masker by the caller.
 */
public final class SecretValues {
  private SecretValues() {}

  /**
   * Reads every declared secret.
   *
   * @param environment the variables to read {@code env:} secrets from (normally {@code System.getenv()})
   * @throws EngineException naming the first secret that cannot be read and how to provide it
   */
  public static Map<String, String> read(AppSpec app, Map<String, String> environment) throws EngineException {
    Map<String, String> values = new HashMap<>();
    for (SecretSpec secret : app.secrets().values()) {
      values.put(secret.name(), read(app, secret, environment));
    }
    return values;
  }

  private static String read(AppSpec app, SecretSpec secret, Map<String, String> environment)
      throws EngineException {
    String where = "secrets." + secret.name();
    return switch (secret.source()) {
      case SecretSpec.FromEnv env -> {
        String v = environment.get(env.variable());
        if (v == null || v.isEmpty()) {
          throw new EngineException(where, "secret `" + secret.name() + "` comes from environment variable "
              + env.variable() + ", which is not set",
              "export " + env.variable() + "=... before running slipway, or change `" + where + "`", List.of());
        }
        yield v;
      }
      case SecretSpec.FromFile file -> {
        Path path = app.baseDir().resolve(file.path()).normalize();
        try {
          String v = Files.readString(path);
          yield v.endsWith("\r\n") ? v.substring(0, v.length() - 2)
              : v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
        } catch (IOException e) {
          throw new EngineException(where, "secret `" + secret.name() + "` comes from file " + path
              + ", which cannot be read (" + e.getClass().getSimpleName() + ")",
              "create the file (mode 0600) or change `" + where + "`", List.of());
        }
      }
    };
  }
}
