package dev.slipway.api;

import java.util.List;

/**
 * {@code GET /api/v1/services/NAME/history}: releases and deployments, newest first.
 *
 * @param service     the service
 * @param current     the current (stable) release id
 * @param releases    every release
 * @param deployments every deployment, with reasons and measurements
 */
public record HistoryView(String service, String current, List<ReleaseView> releases, List<DeploymentView> deployments) {

  /** One release: an artifact plus configuration, immutable. */
  public record ReleaseView(String id, String version, String artifact, String createdAt, String createdBy,
      boolean current) {}
}
