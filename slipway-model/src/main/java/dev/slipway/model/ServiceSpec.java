package dev.slipway.model;

import java.util.Map;

/**
 * One service of the application: how it is built, run, checked, wired and released.
 *
 * @param name      the service name (its key under {@code services:})
 * @param build     how to build it, or {@code null} when nothing needs building
 * @param run       the shell command that runs one instance; executed with {@code sh -c} in the
 *                  model file's directory, with {@code PORT} and the resolved {@code env}
 * @param image     the container image used by container targets, or {@code null}
 * @param port      the port the service listens on inside a container, or {@code null} when it
 *                  serves no traffic; locally every instance gets a free {@code PORT} instead
 * @param health    health endpoints and timing (never null; defaults when not written)
 * @param env       environment variables; values are templates that may hold references
 * @param replicas  number of instances (default 1)
 * @param compute   cpu and memory requests ({@code resources:} in the file), or {@code null}
 * @param dependsOn services and backing services this one waits for, with the condition
 * @param ingress   public host and path, or {@code null}
 * @param strategy  how new versions are released (default: rolling, maxSurge 1, maxUnavailable 0)
 * @param autoscaling CPU-based scaling between a minimum and a maximum on container targets, or {@code null}
 */
public record ServiceSpec(
    String name,
    BuildSpec build,
    String run,
    String image,
    Integer port,
    HealthSpec health,
    Map<String, Template> env,
    int replicas,
    ComputeSpec compute,
    Map<String, DependencyCondition> dependsOn,
    IngressSpec ingress,
    StrategySpec strategy,
    AutoscalingSpec autoscaling) {

  public ServiceSpec {
    env = Maps.frozen(env);
    dependsOn = Maps.frozen(dependsOn);
  }

  /** A service without autoscaling (the form before {@code autoscaling:} existed). */
  public ServiceSpec(String name, BuildSpec build, String run, String image, Integer port, HealthSpec health,
      Map<String, Template> env, int replicas, ComputeSpec compute, Map<String, DependencyCondition> dependsOn,
      IngressSpec ingress, StrategySpec strategy) {
    this(name, build, run, image, port, health, env, replicas, compute, dependsOn, ingress, strategy, null);
  }
}
