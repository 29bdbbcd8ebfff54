package dev.slipway.generate;

import static dev.slipway.generate.Kube.list;
import static dev.slipway.generate.Kube.map;

import dev.slipway.model.AppSpec;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BackingServiceType;
import dev.slipway.model.CanaryStep;
import dev.slipway.model.MetricQuery;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.StrategySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Blue-green and canary services as Argo Rollouts: a {@code Rollout} with the model's steps, an
 * {@code AnalysisTemplate} per analysis step (Prometheus queries), and for blue-green a preview Service.
 *
 * <p>The built-in limits are written against Micrometer's {@code http_server_requests_seconds} metrics
 * of the service's pods, split by Argo's {@code rollouts-pod-template-hash} label; the report says so.
 */
final class RolloutObjects {
  static final String API = "argoproj.io/v1alpha1";
  /** How often an analysis measures; its {@code timeout} decides how many measurements. */
  static final int INTERVAL_SECONDS = 30;

  private RolloutObjects() {}

  static boolean applies(ServiceSpec s, GenerateOptions options) {
    return options.argoRollouts() && !(s.strategy() instanceof StrategySpec.Rolling);
  }

  /** The Rollout followed by its AnalysisTemplates and (blue-green) the preview Service. */
  static List<Map<String, Object>> objects(AppSpec app, ServiceSpec s, GenerateOptions options, EnvObjects env,
      String namespace) {
    List<Map<String, Object>> extra = new ArrayList<>();
    Map<String, Object> strategy = switch (s.strategy()) {
      case StrategySpec.BlueGreen b -> {
        if (s.port() != null) {
          extra.add(NetworkObjects.service(app, s, previewName(s), namespace));
        }
        yield map("blueGreen", map(
            "activeService", s.port() != null ? s.name() : null,
            "previewService", s.port() != null ? previewName(s) : null,
            "autoPromotionEnabled", true,
            "scaleDownDelaySeconds", Kube.seconds(b.rollbackWindow())));
      }
      case StrategySpec.Canary c -> map("canary", map("steps", steps(app, s, c, namespace, extra)));
      case StrategySpec.Rolling r -> throw new IllegalArgumentException("rolling services stay Deployments");
    };
    Map<String, Object> rollout = Kube.object(API, "Rollout", s.name(), namespace, Kube.labels(app, s.name()));
    rollout.put("spec", map(
        "replicas", s.autoscaling() != null ? null : s.replicas(),
        "revisionHistoryLimit", 5,
        "selector", map("matchLabels", Kube.selector(app, s.name())),
        "template", WorkloadObjects.podTemplate(app, s, options, env),
        "strategy", strategy));
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(rollout);
    out.addAll(extra);
    return out;
  }

  static String previewName(ServiceSpec s) {
    return s.name() + "-preview";
  }

  static String analysisName(ServiceSpec s, int step) {
    return s.name() + "-analysis-" + step;
  }

  private static List<Object> steps(AppSpec app, ServiceSpec s, StrategySpec.Canary c, String namespace,
      List<Map<String, Object>> templates) {
    List<Object> steps = new ArrayList<>();
    for (int i = 0; i < c.steps().size(); i++) {
      switch (c.steps().get(i)) {
        case CanaryStep.SetWeight w -> steps.add(map("setWeight", w.weight()));
        case CanaryStep.Pause p -> steps.add(map("pause", p.untilPromoted() ? map()
            : map("duration", Kube.duration(p.duration()))));
        case CanaryStep.Analysis a -> {
          templates.add(analysisTemplate(app, s, a, analysisName(s, i), namespace));
          steps.add(map("analysis", map(
              "templates", list(map("templateName", analysisName(s, i))),
              "args", list(
                  map("name", "canary-hash", "valueFrom", map("podTemplateHashValue", "Latest")),
                  map("name", "stable-hash", "valueFrom", map("podTemplateHashValue", "Stable"))))));
        }
      }
    }
    return steps;
  }

  private static Map<String, Object> analysisTemplate(AppSpec app, ServiceSpec s, CanaryStep.Analysis a,
      String name, String namespace) {
    String address = prometheus(app);
    String canary = "namespace=\"" + namespace + "\",rollouts_pod_template_hash=\"{{args.canary-hash}}\"";
    String window = "[" + INTERVAL_SECONDS + "s]";
    int count = (int) Math.max(1, Kube.seconds(a.timeout()) / INTERVAL_SECONDS);
    List<Object> metrics = new ArrayList<>();
    String requests = "sum(rate(http_server_requests_seconds_count{" + canary + "}" + window + "))";
    metrics.add(metric("min-requests", "sum(increase(http_server_requests_seconds_count{" + canary + "}"
        + "[" + Kube.seconds(a.timeout()) + "s]))", "result[0] >= " + a.minRequests(), "false", address, count));
    if (a.maxErrorRate() != null) {
      metrics.add(metric("error-rate", "sum(rate(http_server_requests_seconds_count{" + canary
          + ",status=~\"5..\"}" + window + ")) / " + requests, "result[0] <= " + a.maxErrorRate(),
          "result[0] > " + a.maxErrorRate(), address, count));
    }
    addLatency(metrics, "latency-p95", 0.95, a.maxLatencyP95(), canary, window, address, count);
    addLatency(metrics, "latency-p99", 0.99, a.maxLatencyP99(), canary, window, address, count);
    for (MetricQuery q : a.queries()) {
      String query = q.expand(Map.of("service", s.name(), "canary", "{{args.canary-hash}}",
          "stable", "{{args.stable-hash}}", "window", INTERVAL_SECONDS + "s"));
      String ok = q.max() != null && q.min() != null ? "result[0] <= " + q.max() + " && result[0] >= " + q.min()
          : q.max() != null ? "result[0] <= " + q.max() : "result[0] >= " + q.min();
      metrics.add(metric(q.name(), query, ok, "!(" + ok + ")", address, count));
    }
    Map<String, Object> t = Kube.object(API, "AnalysisTemplate", name, namespace, Kube.labels(app, s.name()));
    t.put("spec", map(
        "args", list(map("name", "canary-hash"), map("name", "stable-hash")),
        "metrics", metrics));
    return t;
  }

  private static void addLatency(List<Object> metrics, String name, double quantile, java.time.Duration max,
      String canary, String window, String address, int count) {
    if (max == null) {
      return;
    }
    double seconds = max.toMillis() / 1000.0;
    metrics.add(metric(name, "histogram_quantile(" + quantile + ", sum by (le) (rate(http_server_requests_seconds_bucket{"
        + canary + "}" + window + ")))", "result[0] <= " + seconds, "result[0] > " + seconds, address, count));
  }

  private static Map<String, Object> metric(String name, String query, String success, String failure,
      String address, int count) {
    return map("name", name, "interval", INTERVAL_SECONDS + "s", "count", count, "failureLimit", 0,
        "inconclusiveLimit", count, "successCondition", success, "failureCondition", failure,
        "provider", map("prometheus", map("address", address, "query", query)));
  }

  /** The model's external Prometheus when its URL is plain text, else the conventional in-cluster one. */
  static String prometheus(AppSpec app) {
    for (BackingServiceSpec r : app.resources().values()) {
      if (r.type() == BackingServiceType.PROMETHEUS && r.url() != null && r.url().references().isEmpty()
          && !dev.slipway.model.SecretNames.urlHasPassword(r.url().raw())) {
        return r.url().raw();
      }
    }
    return ClusterEndpoints.DEFAULT_PROMETHEUS;
  }
}
