package dev.slipway.generate;

import dev.slipway.model.AppSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The hardening lint behind {@code slipway lint --env ENV}: inspects the objects the {@code kubernetes}
 * target generates for an environment and maps each weakness back to the model path that causes it,
 * with the fix. The checks read the generated objects, not the model, so they also catch a generator
 * that forgets something.
 */
public final class Hardening {
  private static final Set<String> WORKLOADS = Set.of("Deployment", "Rollout", "StatefulSet");

  /**
   * One weakness.
   *
   * @param path    the model path to change ({@code services.worker.health.ready})
   * @param rule    a stable id of the check ({@code probes.readiness})
   * @param message what is wrong, naming the generated object
   * @param fix     what to write in the model
   */
  public record Finding(String path, String rule, String message, String fix) {}

  private Hardening() {}

  /** Every finding for {@code app} as generated with {@code options}, in object order; empty when hardened. */
  public static List<Finding> check(AppSpec app, GenerateOptions options) {
    return check(app, options, Map.of());
  }

  /**
   * Every finding, with resources suggested and checked against what the services were measured to
   * use locally ({@code measured}, by service name; a service without an entry gets defaults).
   */
  public static List<Finding> check(AppSpec app, GenerateOptions options, Map<String, MeasuredUsage> measured) {
    List<Map<String, Object>> objects = KubernetesGenerator.objects(app, options);
    List<Finding> out = new ArrayList<>();
    for (Map<String, Object> o : objects) {
      if (WORKLOADS.contains(Kube.kind(o))) {
        workload(app, objects, o, measured, out);
      }
    }
    for (dev.slipway.model.ServiceSpec s : app.services().values()) {
      s.env().forEach((name, value) -> {
        if (dev.slipway.model.SecretNames.isLiteralSecret(name, value)) {
          out.add(new Finding("services." + s.name() + ".env." + name, "secrets.literal", name
              + " holds a secret written literally in the model; generated files leave it out and reference Secret key "
              + EnvObjects.literalSecretKey(name), "declare it under `secrets:` (env: or file:) and write `"
              + name + ": ${secrets." + EnvObjects.literalSecretKey(name) + "}`"));
        }
      });
    }
    return List.copyOf(out);
  }

  @SuppressWarnings("unchecked")
  private static void workload(AppSpec app, List<Map<String, Object>> objects, Map<String, Object> w,
      Map<String, MeasuredUsage> measured, List<Finding> out) {
    String name = Kube.name(w);
    String base = (app.services().containsKey(name) ? "services." : "resources.") + name;
    String what = Kube.kind(w) + " " + name;
    Map<String, Object> pod = Kube.child(w, "spec", "template", "spec");
    Map<String, Object> podSecurity = Kube.child(pod, "securityContext");
    for (Object item : (List<Object>) pod.get("containers")) {
      Map<String, Object> c = (Map<String, Object>) item;
      String in = what + " container " + c.get("name");
      if (c.get("readinessProbe") == null) {
        out.add(new Finding(base + ".health.ready", "probes.readiness", in + " has no readinessProbe",
            "add `health: { ready: /health/ready }` with the path that answers 200 once the service can serve"));
      }
      if (c.get("livenessProbe") == null) {
        out.add(new Finding(base + ".health.live", "probes.liveness", in + " has no livenessProbe",
            "add `live:` under `health:` with a path that fails only when the process must be restarted"));
      }
      dev.slipway.model.ServiceSpec service = app.services().get(name);
      ResourceSuggestion suggested = service == null ? null : ResourceSuggestion.of(service, measured.get(name));
      Map<String, Object> resources = Kube.child(c, "resources");
      for (String section : List.of("requests", "limits")) {
        for (String r : List.of("cpu", "memory")) {
          if (resources == null || Kube.child(resources, section) == null
              || Kube.child(resources, section).get(r) == null) {
            out.add(new Finding(base + ".resources", "resources." + section + "." + r, in + " has no " + r
                + " " + section.substring(0, section.length() - 1), suggested == null
                ? "add `resources: { cpu: 250m, memory: 256Mi }`"
                : "add `" + suggested.yaml() + "` (" + suggested.basis() + ")"));
          }
        }
      }
      if (suggested != null && suggested.measured() && resources != null) {
        MeasuredFindings.check(base, in, resources, measured.get(name), suggested, out);
      }
      security(base, in, podSecurity, Kube.child(c, "securityContext"), out);
      image(base, in, (String) c.get("image"), out);
    }
    Map<String, Object> podLabels = Kube.child(w, "spec", "template", "metadata", "labels");
    int replicas = replicas(objects, w);
    if (replicas >= 2 && !selected(objects, "PodDisruptionBudget", podLabels)) {
      out.add(new Finding(base + ".replicas", "availability.pdb", what + " runs " + replicas
          + " replicas without a PodDisruptionBudget", "regenerate: the kubernetes target adds one for 2+ replicas"));
    }
    if (!selected(objects, "NetworkPolicy", podLabels)) {
      out.add(new Finding(base, "network.policy", what + " is selected by no NetworkPolicy",
          "regenerate: the kubernetes target adds one per service from `dependsOn`"));
    }
  }

  private static void security(String base, String in, Map<String, Object> pod, Map<String, Object> container,
      List<Finding> out) {
    if (!Boolean.TRUE.equals(either(pod, container, "runAsNonRoot"))) {
      out.add(generated(base, "security.runAsNonRoot", in + " may run as root"));
    }
    if (container == null || !Boolean.TRUE.equals(container.get("readOnlyRootFilesystem"))) {
      out.add(generated(base, "security.readOnlyRootFilesystem", in + " has a writable root filesystem"));
    }
    if (container == null || !Boolean.FALSE.equals(container.get("allowPrivilegeEscalation"))) {
      out.add(generated(base, "security.allowPrivilegeEscalation", in + " allows privilege escalation"));
    }
    Map<String, Object> caps = container == null ? null : Kube.child(container, "capabilities");
    if (caps == null || !(caps.get("drop") instanceof List<?> drop && drop.contains("ALL"))) {
      out.add(generated(base, "security.capabilities", in + " does not drop ALL capabilities"));
    }
    Object seccomp = either(pod, container, "seccompProfile");
    if (!(seccomp instanceof Map<?, ?> s && "RuntimeDefault".equals(s.get("type")))) {
      out.add(generated(base, "security.seccomp", in + " has no RuntimeDefault seccomp profile"));
    }
  }

  private static void image(String base, String in, String image, List<Finding> out) {
    String fix = "write the image with a version tag or digest, e.g. `image: ghcr.io/acme/app:1.4.2`, or pass --image-tag";
    if (image == null) {
      out.add(new Finding(base + ".image", "image.missing", in + " has no image", fix));
      return;
    }
    int slash = image.lastIndexOf('/');
    int colon = image.indexOf(':', slash + 1);
    if (image.contains("@sha256:")) {
      return;
    }
    if (colon < 0) {
      out.add(new Finding(base + ".image", "image.untagged", in + " image " + image + " has no tag", fix));
    } else if (image.substring(colon + 1).equals("latest")) {
      out.add(new Finding(base + ".image", "image.latest", in + " image " + image + " uses `latest`", fix));
    }
  }

  private static Finding generated(String base, String rule, String message) {
    return new Finding(base, rule, message, "regenerate with `slipway generate kubernetes`; do not edit the output");
  }

  private static Object either(Map<String, Object> pod, Map<String, Object> container, String key) {
    Object c = container == null ? null : container.get(key);
    return c != null ? c : pod == null ? null : pod.get(key);
  }

  /** The fewest replicas the workload runs: its HPA's minimum, else spec.replicas. */
  private static int replicas(List<Map<String, Object>> objects, Map<String, Object> w) {
    for (Map<String, Object> o : objects) {
      Map<String, Object> target = Kube.child(o, "spec", "scaleTargetRef");
      if ("HorizontalPodAutoscaler".equals(Kube.kind(o)) && target != null
          && Objects.equals(target.get("kind"), Kube.kind(w)) && Objects.equals(target.get("name"), Kube.name(w))) {
        return ((Number) Kube.child(o, "spec").get("minReplicas")).intValue();
      }
    }
    Object r = Kube.child(w, "spec").get("replicas");
    return r instanceof Number n ? n.intValue() : 1;
  }

  /** Whether an object of {@code kind} selects pods with {@code labels}. */
  private static boolean selected(List<Map<String, Object>> objects, String kind, Map<String, Object> labels) {
    for (Map<String, Object> o : objects) {
      if (!kind.equals(Kube.kind(o))) {
        continue;
      }
      Map<String, Object> selector = Kube.child(o, "spec", kind.equals("NetworkPolicy") ? "podSelector" : "selector");
      Map<String, Object> match = selector == null ? null : Kube.child(selector, "matchLabels");
      if (match != null && labels != null && labels.entrySet().containsAll(match.entrySet())) {
        return true;
      }
    }
    return false;
  }
}
