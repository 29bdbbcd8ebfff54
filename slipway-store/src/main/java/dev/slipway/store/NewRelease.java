package dev.slipway.store;

import java.util.Objects;

/**
 * A release to record: one immutable version of a service's artifact, config and strategy in one
 * environment. The store numbers it ({@link Release#number()}) and names it ({@link Release#id()}).
 *
 * @param artifactDigest the artifact's content digest, or null when the artifact has none (a local
 *     command, say)
 * @param configJson the resolved service config, as JSON the store does not read
 * @param strategyJson the release strategy, as JSON the store does not read
 */
public record NewRelease(
    String environment,
    String service,
    String version,
    String artifactDigest,
    String configJson,
    String strategyJson,
    String createdBy) {

  public NewRelease {
    Names.require("environment", environment);
    Names.require("service", service);
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(configJson, "configJson");
    Objects.requireNonNull(strategyJson, "strategyJson");
    Objects.requireNonNull(createdBy, "createdBy");
  }
}
