package dev.slipway.generate;

import dev.slipway.generate.Generated.ReportLine;
import dev.slipway.model.AppSpec;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.BackingServiceType;
import dev.slipway.model.CanaryStep;
import dev.slipway.model.GatewaySpec;
import dev.slipway.model.SecretStoreSpec;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.StrategySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What each model field became in the Kubernetes objects, and what could not be expressed and why. */
final class KubernetesReport {
  private final List<ReportLine> lines = new ArrayList<>();

  private KubernetesReport() {}

  static List<ReportLine> lines(AppSpec app, GenerateOptions options) {
    KubernetesReport r = new KubernetesReport();
    String ns = KubernetesGenerator.namespace(app);
    r.yes("name", "Namespace " + ns + " (unless the environment names one) and label app.kubernetes.io/part-of");
    if (app.environment() != null) {
      r.yes("environments." + app.environment() + ".namespace", "metadata.namespace " + ns + " of every object");
    }
    Set<String> secretKeys = new TreeSet<>();
    for (BackingServiceSpec b : app.resources().values()) {
      r.resource(app, b, secretKeys);
    }
    for (ServiceSpec s : app.services().values()) {
      r.service(app, s, options, secretKeys);
    }
    r.secrets(app, secretKeys);
    r.gateway(app);
    return List.copyOf(r.lines);
  }

  private void secrets(AppSpec app, Set<String> keys) {
    String secret = ClusterEndpoints.secretName(app);
    SecretStoreSpec store = SecretObjects.store(app);
    for (String name : app.secrets().keySet()) {
      if (!keys.contains(name)) {
        yes("secrets." + name, "not in Secret " + secret + ": no workload of this environment references it");
      } else if (store == null) {
        yes("secrets." + name, "key `" + name + "` of Secret " + secret + " (create it in the cluster; its value is"
            + " never written)");
      } else {
        yes("secrets." + name, "key `" + name + "` of Secret " + secret + ", filled by ExternalSecret " + secret
            + " from remote key " + SecretObjects.remoteKey(app, name) + " (its value is never written)");
      }
    }
    if (store != null) {
      String at = "environments." + app.environment() + ".secretStore";
      if (keys.isEmpty()) {
        yes(at, "no ExternalSecret: no workload references a secret");
      } else {
        yes(at, "ExternalSecret " + secret + " (" + SecretObjects.API + ", " + store.kind().key() + " " + store.name()
            + ", refreshInterval " + SecretObjects.REFRESH + ") creates Secret " + secret + " with keys "
            + String.join(", ", keys) + ", each read from remote key " + SecretObjects.remoteKey(app, "KEY")
            + " (needs the External Secrets Operator in the cluster and each value in the store at that key)");
      }
    } else if (!keys.isEmpty()) {
      no("secrets", "Secret " + secret + " is referenced, not generated: create the Secret yourself with keys "
          + String.join(", ", keys) + " (kubectl create secret generic), or configure `secretStore` on the"
          + " environment to get an ExternalSecret");
    }
  }

  private void gateway(AppSpec app) {
    GatewaySpec gateway = NetworkObjects.gateway(app);
    if (gateway != null && app.services().values().stream().noneMatch(s -> s.ingress() != null)) {
      yes("environments." + app.environment() + ".gateway", "no HTTPRoute: no service has `ingress`");
    }
  }

  private void ingress(AppSpec app, ServiceSpec s, String p) {
    String at = s.ingress().host() + s.ingress().path();
    GatewaySpec gateway = NetworkObjects.gateway(app);
    if (gateway == null) {
      yes(p + ".ingress", "Ingress " + s.name() + " " + at + " (default IngressClass; NetworkPolicy admits namespace "
          + NetworkObjects.INGRESS_NAMESPACE + ")");
      return;
    }
    String ns = NetworkObjects.gatewayNamespace(app, gateway);
    yes(p + ".ingress", "HTTPRoute " + s.name() + " " + at + " (" + NetworkObjects.GATEWAY_API + ", PathPrefix, parent"
        + " Gateway " + ns + "/" + gateway.name() + "; NetworkPolicy admits namespace " + ns + "; needs a Gateway API"
        + " implementation whose Gateway listener admits routes from namespace " + KubernetesGenerator.namespace(app)
        + ")");
  }

  private void resource(AppSpec app, BackingServiceSpec b, Set<String> secretKeys) {
    String p = "resources." + b.name();
    if (b.type() == BackingServiceType.PROMETHEUS) {
      no(p, "not deployed: analysis queries go to " + RolloutObjects.prometheus(app));
    } else if (!ClusterEndpoints.inCluster(b)) {
      yes(p + ".url", "Secret key " + b.name() + "-url (the URL may hold credentials); NetworkPolicy egress to port "
          + ClusterEndpoints.port(b) + " anywhere, since the address is outside the cluster");
    } else {
      secretKeys.add(ClusterEndpoints.passwordKey(b));
      yes(p, "StatefulSet " + b.name() + " (" + BackingObjects.image(b) + ", " + BackingObjects.STORAGE
          + " PersistentVolumeClaim), headless Service " + b.name() + ", NetworkPolicy; password from Secret key "
          + ClusterEndpoints.passwordKey(b));
      if (b.provider() != BackingServiceSpec.Provider.EMBEDDED) {
        yes(p + ".provider", "`" + b.provider().key() + "` is a local choice; the cluster runs the official image");
      }
    }
  }

  private void service(AppSpec app, ServiceSpec s, GenerateOptions options, Set<String> secretKeys) {
    String p = "services." + s.name();
    boolean rollout = RolloutObjects.applies(s, options);
    String workload = (rollout ? "Rollout " : "Deployment ") + s.name();
    if (s.build() != null) {
      no(p + ".build", "not run in the cluster: images are built by CI (see the github-actions target)");
    }
    no(p + ".run", "not used: the container runs its image's entrypoint");
    yes(p + ".image", "image " + options.image(s) + " of " + workload);
    yes(p + ".port", s.port() != null ? "containerPort and Service " + s.name() + " port " + s.port()
        : "no Service; containerPort " + ClusterEndpoints.DEFAULT_PORT + " and env PORT for the health endpoints");
    health(s, p, workload);
    EnvObjects env = EnvObjects.of(app, s);
    secretKeys.addAll(env.secretKeys);
    for (String name : s.env().keySet()) {
      boolean literal = dev.slipway.model.SecretNames.isLiteralSecret(name, s.env().get(name));
      yes(p + ".env." + name, env.plain.containsKey(name) ? "ConfigMap " + EnvObjects.configMapName(s)
          + " (envFrom)" : "env with secretKeyRef to Secret " + ClusterEndpoints.secretName(app) + (literal
          ? " key " + EnvObjects.literalSecretKey(name) + " (the model writes this secret literally: its value is"
              + " left out; move it to `secrets:`)" : ""));
    }
    yes(p + ".replicas", (s.autoscaling() != null ? "HorizontalPodAutoscaler owns the count" : "spec.replicas "
        + s.replicas()) + (AvailabilityObjects.minimumReplicas(s) >= 2 ? "; PodDisruptionBudget maxUnavailable 1"
        : "; no PodDisruptionBudget (fewer than 2 replicas)"));
    if (s.compute() != null) {
      yes(p + ".resources", "requests as written; limits: memory = request, cpu = "
          + WorkloadObjects.CPU_LIMIT_FACTOR + " × request");
    } else {
      no(p + ".resources", "no requests or limits: add `resources: { cpu: …, memory: … }` (slipway lint reports it)");
    }
    for (String dep : s.dependsOn().keySet()) {
      yes(p + ".dependsOn." + dep, "NetworkPolicy egress to " + dep + " (and ingress on " + dep + " from "
          + s.name() + ")");
    }
    if (!s.dependsOn().isEmpty()) {
      no(p + ".dependsOn", "start order is not expressed: Kubernetes starts pods together; " + s.name()
          + " must retry until its dependencies answer (its readiness probe keeps traffic away meanwhile)");
    }
    if (s.ingress() != null) {
      ingress(app, s, p);
    }
    if (s.autoscaling() != null) {
      yes(p + ".autoscaling", "HorizontalPodAutoscaler " + s.autoscaling().min() + ".." + s.autoscaling().max()
          + " at " + Math.round(s.autoscaling().cpu() * 100) + "% CPU (needs metrics-server)");
    }
    strategy(s, p, rollout);
  }

  private void health(ServiceSpec s, String p, String workload) {
    if (s.health().ready() != null) {
      yes(p + ".health.ready", "readinessProbe and startupProbe httpGet " + s.health().ready() + " in " + workload);
    } else {
      no(p + ".health.ready", "no readinessProbe: traffic reaches pods before they are ready (slipway lint reports it)");
    }
    if (s.health().live() != null) {
      yes(p + ".health.live", "livenessProbe httpGet " + s.health().live() + " every "
          + Math.max(Kube.seconds(s.health().interval()), Kube.seconds(WorkloadObjects.MIN_LIVENESS_PERIOD)) + "s");
    } else {
      no(p + ".health.live", "no livenessProbe: a hung pod is never restarted (slipway lint reports it)");
    }
    yes(p + ".health.startupTimeout", "startupProbe periodSeconds × failureThreshold");
    yes(p + ".health.interval", "readinessProbe periodSeconds " + Kube.seconds(s.health().interval()));
  }

  private void strategy(ServiceSpec s, String p, boolean rollout) {
    String sp = p + ".strategy." + s.strategy().kind().modelKey();
    switch (s.strategy()) {
      case StrategySpec.Rolling r -> yes(sp, "RollingUpdate maxSurge " + r.maxSurge() + ", maxUnavailable "
          + r.maxUnavailable());
      case StrategySpec.BlueGreen b when rollout -> {
        yes(sp, "Rollout blueGreen: activeService " + s.name() + ", previewService " + RolloutObjects.previewName(s)
            + ", autoPromotionEnabled, scaleDownDelaySeconds " + Kube.seconds(b.rollbackWindow()));
        if (!b.smoke().isEmpty()) {
          no(sp + ".smoke", "smoke checks are not run by Argo Rollouts here; add a prePromotionAnalysis");
        }
      }
      case StrategySpec.Canary c when rollout -> {
        yes(sp + ".steps", "Rollout canary steps (setWeight, pause, analysis → AnalysisTemplate "
            + s.name() + "-analysis-N on Prometheus); weights by replica ratio unless trafficRouting is added");
        if (c.steps().stream().anyMatch(st -> st instanceof CanaryStep.Analysis)) {
          no(sp + ".steps.analysis", "queries assume Micrometer http_server_requests_seconds metrics labelled with"
              + " rollouts_pod_template_hash; adjust them to your metrics");
        }
      }
      case StrategySpec.BlueGreen b -> no(sp, "blue-green switch and rollback window → needs Argo Rollouts in the"
          + " cluster (--argo-rollouts); here a Deployment with maxSurge 100%, maxUnavailable 0");
      case StrategySpec.Canary c -> no(sp, "canary steps/analysis → needs Argo Rollouts in the cluster"
          + " (--argo-rollouts); here a Deployment rolling one pod at a time");
    }
  }

  private void yes(String path, String outcome) {
    lines.add(new ReportLine(path, outcome, true));
  }

  private void no(String path, String outcome) {
    lines.add(new ReportLine(path, outcome, false));
  }

}
