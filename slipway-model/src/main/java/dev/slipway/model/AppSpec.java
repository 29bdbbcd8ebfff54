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
 * @param environment  the environment whose overlay was applied ({@code dev} also when implicit), or
 *                     {@code null} for the base model
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

  /**
   * The environment the model was loaded for; the implicit local {@code dev} of a model without
   * environments; empty for the base model.
   */
  public Optional<EnvironmentSpec> selectedEnvironment() {
    if (environment == null) {
      return Optional.empty();
    }
    EnvironmentSpec declared = environments.get(environment);
    return declared != null || !environment.equals(ModelLoader.DEFAULT_ENVIRONMENT) ? Optional.ofNullable(declared)
        : Optional.of(new EnvironmentSpec(environment, EnvironmentSpec.TargetKind.LOCAL, null));
  }

  public ServiceSpec service(String serviceName) {
    ServiceSpec s = services.get(serviceName);
    if (s == null) {
      throw new IllegalArgumentException("no service named " + serviceName + " in " + file);
    }
    return s;
  }
}
