package dev.slipway.model;

import java.net.URI;

/**
 * The Prometheus of a {@code kubernetes} environment ({@code prometheus: http://…} or
 * {@code prometheus: { url, metrics, requests, buckets }}), read by canary analysis on the cluster.
 *
 * @param url      its HTTP API base, reachable from wherever {@code slipway} runs
 * @param metrics  which metrics carry the per-release counts: {@code micrometer} (the app's own, the
 *                 default), {@code ingress-nginx} or {@code envoy-gateway}
 * @param requests a PromQL template overriding the default request-count query of {@code metrics}, or
 *                 null; placeholders {@code {{namespace}}}, {@code {{service}}}; it must yield series
 *                 labelled {@code release} and {@code code}
 * @param buckets  a PromQL template overriding the default latency-histogram query, or null; series
 *                 labelled {@code release} and {@code le}
 */
public record PrometheusSpec(URI url, String metrics, String requests, String buckets) {
  public static final String MICROMETER = "micrometer";
  public static final String INGRESS_NGINX = "ingress-nginx";
  public static final String ENVOY_GATEWAY = "envoy-gateway";

  public PrometheusSpec {
    metrics = metrics == null ? MICROMETER : metrics;
  }

  public PrometheusSpec(URI url) {
    this(url, null, null, null);
  }
}
