package dev.slipway.kubernetes;

import dev.slipway.analysis.AnalysisException;
import dev.slipway.analysis.MetricSource;
import dev.slipway.analysis.PrometheusApi;
import dev.slipway.analysis.Sample;
import dev.slipway.analysis.SampleBuilder;
import dev.slipway.model.PrometheusSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Canary analysis input on a cluster: each release's cumulative request, error (5xx) and latency counters,
 * read from the environment's Prometheus with two instant queries at one evaluation time. The versions of
 * the {@link Sample} are release ids ({@code r3}), its backends the series' pods (so a restarted pod or
 * controller is not mistaken for a counter reset of the whole release). Default queries per
 * {@link PrometheusSpec#metrics()}, each overridable ({@code requests}, {@code buckets}); the labels they
 * assume are documented in docs/kubernetes.md#analysis.
 */
final class ClusterMetricSource implements MetricSource {
  static final String ID = "cluster-prometheus";

  /**
   * How one kind of metrics is read: the two PromQL templates ({@code {{namespace}}}, {@code {{service}}})
   * and how a series' labels give the release, the backend and the status class.
   *
   * @param leScale what bucket bounds are multiplied by to be seconds (Envoy's are milliseconds)
   */
  record Queries(String requests, String buckets, String releaseLabel, String backendLabel, String codeLabel,
      Function<String, String> release, Function<String, String> code, double leScale) {}

  private final PrometheusApi api;
  private final Queries queries;
  private final String namespace;
  private final Clock clock;

  /**
   * @param spec      the environment's {@code prometheus}
   * @param namespace the environment's namespace
   */
  ClusterMetricSource(PrometheusSpec spec, String namespace, Duration timeout, Clock clock) {
    this.api = new PrometheusApi(spec.url(), timeout);
    this.queries = queries(spec);
    this.namespace = namespace;
    this.clock = clock;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Sample sample(String service) throws AnalysisException {
    Instant at = clock.instant();
    SampleBuilder b = new SampleBuilder();
    for (PrometheusApi.Result r : api.query(fill(queries.requests(), service), at)) {
      String release = release(r.labels(), service);
      if (release != null) {
        String code = queries.code().apply(r.labels().get(queries.codeLabel()));
        b.requests(release, r.labels().get(queries.backendLabel()), r.value(), SampleBuilder.isError(code));
      }
    }
    for (PrometheusApi.Result r : api.query(fill(queries.buckets(), service), at)) {
      String release = release(r.labels(), service);
      Double le = bound(r.labels().get("le"));
      if (release != null && le != null) {
        b.bucket(release, r.labels().get(queries.backendLabel()), le * queries.leScale(), r.value());
      }
    }
    return b.build(at);
  }

  /** The queries for {@code spec}'s kind of metrics, with its overrides. */
  static Queries queries(PrometheusSpec spec) {
    Queries q = switch (spec.metrics()) {
      case PrometheusSpec.MICROMETER -> new Queries(
          "sum by (release, pod, status) (http_server_requests_seconds_count"
              + "{namespace=\"{{namespace}}\", service=\"{{service}}\"})",
          "sum by (release, pod, le) (http_server_requests_seconds_bucket"
              + "{namespace=\"{{namespace}}\", service=\"{{service}}\"})",
          "release", "pod", "status", Function.identity(), Function.identity(), 1);
      case PrometheusSpec.INGRESS_NGINX -> new Queries(
          "sum by (service, controller_pod, status) (nginx_ingress_controller_requests"
              + "{namespace=\"{{namespace}}\", service=~\"{{service}}-r[0-9]+\"})",
          "sum by (service, controller_pod, le) (nginx_ingress_controller_request_duration_seconds_bucket"
              + "{namespace=\"{{namespace}}\", service=~\"{{service}}-r[0-9]+\"})",
          "service", "controller_pod", "status", null, Function.identity(), 1);
      case PrometheusSpec.ENVOY_GATEWAY -> new Queries(
          "sum by (envoy_cluster_name, envoy_response_code_class) (envoy_cluster_upstream_rq_xx"
              + "{envoy_cluster_name=~\".*{{namespace}}.*{{service}}-r[0-9]+.*\"})",
          "sum by (envoy_cluster_name, le) (envoy_cluster_upstream_rq_time_bucket"
              + "{envoy_cluster_name=~\".*{{namespace}}.*{{service}}-r[0-9]+.*\"})",
          "envoy_cluster_name", null, "envoy_response_code_class", null, c -> c == null ? null : c + "xx", 0.001);
      default -> throw new IllegalArgumentException("unknown metrics kind " + spec.metrics()
          + "; expected micrometer, ingress-nginx or envoy-gateway");
    };
    if (spec.requests() != null || spec.buckets() != null) {
      // An override yields series labelled `release` and `code` / `le`; a query left at its default keeps
      // its own labels, so overriding one of the two means both are read the override's way.
      return new Queries(spec.requests() != null ? spec.requests() : q.requests(),
          spec.buckets() != null ? spec.buckets() : q.buckets(), "release", "pod", "code",
          Function.identity(), Function.identity(), 1);
    }
    return q;
  }

  /** The release id of a series: its release label, or the release Service / Envoy cluster name it names. */
  private String release(Map<String, String> labels, String service) {
    String value = labels.get(queries.releaseLabel());
    if (value == null) {
      return null;
    }
    if (queries.release() != null) {
      return queries.release().apply(value);
    }
    Matcher m = Pattern.compile("(?:^|[^A-Za-z0-9-])" + Pattern.quote(service) + "-(r[0-9]+)(?:$|[^A-Za-z0-9-])")
        .matcher(value);
    return m.find() ? m.group(1) : null;
  }

  private String fill(String template, String service) {
    return template.replace("{{namespace}}", namespace).replace("{{service}}", service);
  }

  /** A bucket bound: a number, {@code +Inf}; null for anything else. */
  private static Double bound(String le) {
    if (le == null) {
      return null;
    }
    if (le.equals("+Inf") || le.equals("Inf")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      return Double.parseDouble(le);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
