package dev.slipway.generate;

import static dev.slipway.generate.Kube.list;
import static dev.slipway.generate.Kube.map;

import dev.slipway.model.AppSpec;
import dev.slipway.model.AutoscalingSpec;
import dev.slipway.model.ServiceSpec;
import java.util.Map;

/** What keeps a service up while the cluster changes: its PodDisruptionBudget and autoscaler. */
final class AvailabilityObjects {
  private AvailabilityObjects() {}

  /** The fewest instances the service runs: its replicas, or the autoscaler's minimum. */
  static int minimumReplicas(ServiceSpec s) {
    return s.autoscaling() != null ? s.autoscaling().min() : s.replicas();
  }

  /**
   * A PodDisruptionBudget (policy/v1) allowing one voluntary eviction at a time, for services with at
   * least two instances; with one instance a budget would block node drains forever.
   */
  static Map<String, Object> podDisruptionBudget(AppSpec app, ServiceSpec s, String namespace) {
    if (minimumReplicas(s) < 2) {
      return null;
    }
    Map<String, Object> pdb = Kube.object("policy/v1", "PodDisruptionBudget", s.name(), namespace,
        Kube.labels(app, s.name()));
    pdb.put("spec", map("maxUnavailable", 1, "selector", map("matchLabels", Kube.selector(app, s.name()))));
    return pdb;
  }

  /** A HorizontalPodAutoscaler (autoscaling/v2) on average CPU use, for services with {@code autoscaling}. */
  static Map<String, Object> autoscaler(AppSpec app, ServiceSpec s, String workloadKind, String namespace) {
    AutoscalingSpec a = s.autoscaling();
    if (a == null) {
      return null;
    }
    String apiVersion = "Rollout".equals(workloadKind) ? "argoproj.io/v1alpha1" : "apps/v1";
    Map<String, Object> hpa = Kube.object("autoscaling/v2", "HorizontalPodAutoscaler", s.name(), namespace,
        Kube.labels(app, s.name()));
    hpa.put("spec", map(
        "scaleTargetRef", map("apiVersion", apiVersion, "kind", workloadKind, "name", s.name()),
        "minReplicas", a.min(),
        "maxReplicas", a.max(),
        "metrics", list(map("type", "Resource", "resource", map("name", "cpu",
            "target", map("type", "Utilization", "averageUtilization", (int) Math.round(a.cpu() * 100)))))));
    return hpa;
  }
}
