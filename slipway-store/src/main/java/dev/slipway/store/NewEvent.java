package dev.slipway.store;

import java.util.Objects;

/**
 * An event to append to the log.
 *
 * @param service null for an event about the whole environment
 * @param deploymentId null for an event outside any deployment; else it must exist
 * @param kind a stable, machine-readable id ({@code deployment.started}, {@code step.finished}, …)
 * @param message one line for people
 * @param detailsJson more, as JSON the store does not read; may be null
 */
public record NewEvent(
    String environment,
    String service,
    Long deploymentId,
    String kind,
    String message,
    String detailsJson) {

  public NewEvent {
    Names.require("environment", environment);
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }
}
