package dev.slipway.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The required fields and enumerations of the custom resources the kubernetes target emits that have
 * no schema in kubernetes-models: External Secrets {@code ExternalSecret} (v1beta1) and Gateway API
 * {@code HTTPRoute} (v1), as their CRDs define them. Not a full schema check: what a CRD requires, so a
 * generator that forgets a field or misspells an enum fails a test instead of the cluster's API server.
 */
final class CrdShapes {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern HOSTNAME = Pattern.compile(
      "(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DURATION = Pattern.compile("([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+");

  private CrdShapes() {}

  /** What is missing or wrong in {@code object}, one line each; empty when it has the CRD's required shape. */
  static List<String> problems(Map<String, Object> object) {
    List<String> out = new ArrayList<>();
    String id = object.get("apiVersion") + " " + Kube.kind(object) + " " + object.get("metadata");
    text(out, object, "metadata.name", DNS_LABEL);
    text(out, object, "metadata.namespace", DNS_LABEL);
    switch (object.get("apiVersion") + "/" + Kube.kind(object)) {
      case "external-secrets.io/v1beta1/ExternalSecret" -> externalSecret(out, object);
      case "gateway.networking.k8s.io/v1/HTTPRoute" -> httpRoute(out, object);
      default -> out.add("not a checked kind");
    }
    return out.stream().map(p -> id + ": " + p).toList();
  }

  private static void externalSecret(List<String> out, Map<String, Object> o) {
    text(out, o, "spec.refreshInterval", DURATION);
    text(out, o, "spec.secretStoreRef.name", DNS_LABEL);
    oneOf(out, o, "spec.secretStoreRef.kind", Set.of("SecretStore", "ClusterSecretStore"));
    text(out, o, "spec.target.name", DNS_LABEL);
    oneOf(out, o, "spec.target.creationPolicy", Set.of("Owner", "Orphan", "Merge", "None"));
    List<?> data = list(out, o, "spec.data");
    for (int i = 0; data != null && i < data.size(); i++) {
      text(out, o, "spec.data." + i + ".secretKey", Pattern.compile("[-._a-zA-Z0-9]+"));
      text(out, o, "spec.data." + i + ".remoteRef.key", Pattern.compile(".+"));
    }
  }

  private static void httpRoute(List<String> out, Map<String, Object> o) {
    List<?> parents = list(out, o, "spec.parentRefs");
    for (int i = 0; parents != null && i < parents.size(); i++) {
      text(out, o, "spec.parentRefs." + i + ".name", DNS_LABEL);
    }
    List<?> hosts = list(out, o, "spec.hostnames");
    for (int i = 0; hosts != null && i < hosts.size(); i++) {
      text(out, o, "spec.hostnames." + i, HOSTNAME);
    }
    List<?> rules = list(out, o, "spec.rules");
    for (int i = 0; rules != null && i < rules.size(); i++) {
      String rule = "spec.rules." + i;
      List<?> matches = list(out, o, rule + ".matches");
      for (int m = 0; matches != null && m < matches.size(); m++) {
        oneOf(out, o, rule + ".matches." + m + ".path.type", Set.of("Exact", "PathPrefix", "RegularExpression"));
        text(out, o, rule + ".matches." + m + ".path.value", Pattern.compile("/.*"));
      }
      List<?> backends = list(out, o, rule + ".backendRefs");
      for (int b = 0; backends != null && b < backends.size(); b++) {
        text(out, o, rule + ".backendRefs." + b + ".name", DNS_LABEL);
        // The CRD's validation rule: a backend of the core Service kind must name its port.
        if (!(KubeFixtures.at(o, rule + ".backendRefs." + b + ".port") instanceof Integer port) || port < 1
            || port > 65535) {
          out.add(rule + ".backendRefs." + b + ".port: a Service backend needs a port 1-65535");
        }
      }
    }
  }

  private static void text(List<String> out, Map<String, Object> o, String path, Pattern pattern) {
    Object v = KubeFixtures.at(o, path);
    if (!(v instanceof String s) || !pattern.matcher(s).matches()) {
      out.add(path + ": required, matching " + pattern + ", found " + v);
    }
  }

  private static void oneOf(List<String> out, Map<String, Object> o, String path, Set<String> values) {
    Object v = KubeFixtures.at(o, path);
    if (!values.contains(v)) {
      out.add(path + ": one of " + values + " required, found " + v);
    }
  }

  private static List<?> list(List<String> out, Map<String, Object> o, String path) {
    if (KubeFixtures.at(o, path) instanceof List<?> l && !l.isEmpty()) {
      return l;
    }
    out.add(path + ": a non-empty list is required");
    return null;
  }
}
