package dev.slipway.model;

import java.net.URI;

/**
 * The Prometheus of a {@code kubernetes} environment ({@code prometheus: http://…} or
 * {@code prometheus: { url, metrics }}), read by canary analysis on the cluster.
 *
 * @param url     its HTTP API base, reachable from wherever {@code slipway} runs
 * @param metrics which metrics carry the per-release counts: {@code micrometer} (the app's own, the
 *                default), {@code ingress-nginx} or {@code envoy-gateway}
 */
public record PrometheusSpec(URI url, String metrics) {
  public static final String MICROMETER = "micrometer";
  public static final String INGRESS_NGINX = "ingress-nginx";
  public static final String ENVOY_GATEWAY = "envoy-gateway";

  public PrometheusSpec {
    metrics = metrics == null ? MICROMETER : metrics;
  }
}
