package dev.slipway.store;

import java.util.Objects;

/**
 * A deployment to start: moving {@code service} in {@code environment} from one release to another.
 *
 * @param fromRelease the release serving now, or null for a service's first deployment
 * @param toRelease the release to deploy; it must exist and belong to {@code service}
 * @param strategy the strategy's id ({@code rolling}, {@code blue-green}, {@code canary}, …)
 * @param stepStateJson the engine's initial step state, as JSON the store does not read; may be null
 */
public record NewDeployment(
    String environment,
    String service,
    String fromRelease,
    String toRelease,
    String strategy,
    String stepStateJson) {

  public NewDeployment {
    Names.require("environment", environment);
    Names.require("service", service);
    Objects.requireNonNull(toRelease, "toRelease");
    Objects.requireNonNull(strategy, "strategy");
  }
}
