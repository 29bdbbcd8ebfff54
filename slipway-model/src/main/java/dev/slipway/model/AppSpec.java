package dev.slipway.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A whole application as described by one {@code slipway.yaml}, validated, with the selected
 * environment's overlay applied.
 *
 * @param name         the application name ({@code name:})
 * @param file         the model file it was loaded from (absolute)
 * @param environment  the environment whose overlay was applied, or {@code null} for the base model
 * @param services     services by name, in file order
 * @param resources    backing services by name, in file order
 * @param environments declared environments by name, in file order
 * @param secrets      declared secrets by name
 * @param locations    where each model path was written, for errors raised after loading
 */
public record AppSpec(
    String name,
    Path file,
    String environment,
    Map<String, ServiceSpec> services,
    Map<String, BackingServiceSpec> resources,
    Map<String, EnvironmentSpec> environments,
    Map<String, SecretSpec> secrets,
    ModelLocations locations) {

  public AppSpec {
    services = Maps.frozen(services);
    resources = Maps.frozen(resources);
    environments = Maps.frozen(environments);
    secrets = Maps.frozen(secrets);
  }

  /** The directory commands run in and relative paths resolve against: the model file's directory. */
  public Path baseDir() {
    return file.toAbsolutePath().getParent();
  }

  /** The directory holding Slipway's local state for this model: {@code .slipway/} beside the file. */
  public Path stateDir() {
    return baseDir().resolve(".slipway");
  }

  public Optional<EnvironmentSpec> selectedEnvironment() {
    return environment == null ? Optional.empty() : Optional.ofNullable(environments.get(environment));
  }

  public ServiceSpec service(String serviceName) {
    ServiceSpec s = services.get(serviceName);
    if (s == null) {
      throw new IllegalArgumentException("no service named " + serviceName + " in " + file);
    }
    return s;
  }
}
