package dev.slipway.generate;

import static dev.slipway.generate.Kube.list;
import static dev.slipway.generate.Kube.map;

import dev.slipway.model.AppSpec;
import dev.slipway.model.ComputeSpec;
import dev.slipway.model.HealthSpec;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.StrategySpec;
import java.time.Duration;
import java.util.Map;

/** A service's pods: the hardened pod template and the Deployment that runs it. */
final class WorkloadObjects {
  /** Liveness runs at most this often: a restart is drastic, a short stall (a GC pause) is not a hang. */
  static final Duration MIN_LIVENESS_PERIOD = Duration.ofSeconds(10);
  /** CPU limit = this many times the request: bursts are allowed, a runaway pod is still capped. */
  static final int CPU_LIMIT_FACTOR = 2;

  private WorkloadObjects() {}

  static Map<String, Object> deployment(AppSpec app, ServiceSpec s, GenerateOptions options, EnvObjects env,
      String namespace) {
    Map<String, Object> d = Kube.object("apps/v1", "Deployment", s.name(), namespace, Kube.labels(app, s.name()));
    d.put("spec", map(
        "replicas", s.replicas(),
        "revisionHistoryLimit", 5,
        "selector", map("matchLabels", Kube.selector(app, s.name())),
        "strategy", map("type", "RollingUpdate", "rollingUpdate", rollingUpdate(s.strategy())),
        "template", podTemplate(app, s, options, env)));
    return d;
  }

  /**
   * Rolling parameters: the model's for a rolling service; a blue-green service without Argo
   * Rollouts starts a whole new set before the old one goes (maxSurge 100%), a canary one a pod at a time.
   */
  static Map<String, Object> rollingUpdate(StrategySpec strategy) {
    return switch (strategy) {
      case StrategySpec.Rolling r -> map("maxSurge", r.maxSurge(), "maxUnavailable", r.maxUnavailable());
      case StrategySpec.BlueGreen b -> map("maxSurge", "100%", "maxUnavailable", 0);
      case StrategySpec.Canary c -> map("maxSurge", 1, "maxUnavailable", 0);
    };
  }

  static Map<String, Object> podTemplate(AppSpec app, ServiceSpec s, GenerateOptions options, EnvObjects env) {
    Map<String, Object> metadata = map("labels", Kube.labels(app, s.name()));
    if (!env.plain.isEmpty()) {
      metadata.put("annotations", map("slipway.dev/config-hash", env.configHash()));
    }
    Map<String, Object> spec = map(
        "automountServiceAccountToken", false,
        "enableServiceLinks", false,
        "securityContext", podSecurity(Kube.USER),
        "topologySpreadConstraints", spread(app, s.name()),
        "containers", list(container(s, options, env)),
        "volumes", list(map("name", "tmp", "emptyDir", map())));
    return map("metadata", metadata, "spec", spec);
  }

  private static Map<String, Object> container(ServiceSpec s, GenerateOptions options, EnvObjects env) {
    int port = ClusterEndpoints.port(s);
    Map<String, Object> c = map(
        "name", s.name(),
        "image", options.image(s),
        "imagePullPolicy", "IfNotPresent",
        "ports", list(map("name", "http", "containerPort", port, "protocol", "TCP")),
        "env", env.env,
        "envFrom", env.envFrom(s));
    c.putAll(probes(s.health(), port));
    c.put("resources", resources(s.compute()));
    c.put("securityContext", containerSecurity());
    c.put("volumeMounts", list(map("name", "tmp", "mountPath", "/tmp")));
    return c;
  }

  /**
   * Startup probe on the readiness path (else liveness) allowing {@code startupTimeout}; readiness every
   * {@code interval}; liveness every {@code interval} but at most every {@link #MIN_LIVENESS_PERIOD}.
   */
  static Map<String, Object> probes(HealthSpec h, int port) {
    Map<String, Object> out = map();
    int period = Kube.seconds(h.interval());
    String startupPath = h.ready() != null ? h.ready() : h.live();
    if (startupPath != null) {
      int threshold = (int) Math.max(1, Math.ceilDiv(Kube.seconds(h.startupTimeout()), period));
      out.put("startupProbe", probe(startupPath, port, period, threshold));
    }
    if (h.ready() != null) {
      out.put("readinessProbe", probe(h.ready(), port, period, 3));
    }
    if (h.live() != null) {
      out.put("livenessProbe", probe(h.live(), port, Math.max(period, Kube.seconds(MIN_LIVENESS_PERIOD)), 3));
    }
    return out;
  }

  private static Map<String, Object> probe(String path, int port, int period, int failureThreshold) {
    return map("httpGet", map("path", path, "port", port), "periodSeconds", period, "timeoutSeconds", 1,
        "failureThreshold", failureThreshold);
  }

  /** Requests as written; limits: memory = request (no overcommit), CPU = {@link #CPU_LIMIT_FACTOR} × request. */
  static Map<String, Object> resources(ComputeSpec compute) {
    if (compute == null || (compute.cpu() == null && compute.memory() == null)) {
      return map();
    }
    Map<String, Object> requests = map();
    Map<String, Object> limits = map();
    if (compute.cpu() != null) {
      requests.put("cpu", cpu(compute.cpu().value()));
      limits.put("cpu", cpu(compute.cpu().value() * CPU_LIMIT_FACTOR));
    }
    if (compute.memory() != null) {
      requests.put("memory", memory(compute.memory()));
      limits.put("memory", memory(compute.memory()));
    }
    return map("requests", requests, "limits", limits);
  }

  static String cpu(long millicores) {
    return millicores % 1000 == 0 ? Long.toString(millicores / 1000) : millicores + "m";
  }

  /** Memory as written when Kubernetes reads it the same way ({@code 512Mi}); else in bytes ({@code 1K}). */
  static String memory(dev.slipway.model.Quantity q) {
    return q.text().matches("[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?") ? q.text() : Long.toString(q.value());
  }

  /** Pod Security Standards "restricted", pod level. */
  static Map<String, Object> podSecurity(int user) {
    return map("runAsNonRoot", true, "runAsUser", user, "runAsGroup", user, "fsGroup", user,
        "seccompProfile", map("type", "RuntimeDefault"));
  }

  /** Pod Security Standards "restricted", container level (repeated so each container passes on its own). */
  static Map<String, Object> containerSecurity() {
    return map("allowPrivilegeEscalation", false, "readOnlyRootFilesystem", true, "runAsNonRoot", true,
        "capabilities", map("drop", list("ALL")), "seccompProfile", map("type", "RuntimeDefault"));
  }

  /** Spread replicas over zones and nodes when the cluster can; never blocks scheduling. */
  static java.util.List<Object> spread(AppSpec app, String component) {
    return list(
        map("maxSkew", 1, "topologyKey", "topology.kubernetes.io/zone", "whenUnsatisfiable", "ScheduleAnyway",
            "labelSelector", map("matchLabels", Kube.selector(app, component))),
        map("maxSkew", 1, "topologyKey", "kubernetes.io/hostname", "whenUnsatisfiable", "ScheduleAnyway",
            "labelSelector", map("matchLabels", Kube.selector(app, component))));
  }
}
