package dev.slipway.generate;

import static dev.slipway.generate.Kube.list;
import static dev.slipway.generate.Kube.map;

import dev.slipway.model.AppSpec;
import dev.slipway.model.BackingServiceSpec;
import dev.slipway.model.Reference;
import dev.slipway.model.ServiceSpec;
import dev.slipway.model.Template;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * NetworkPolicies that allow exactly the dependency graph: a workload accepts traffic only from the
 * services that depend on it (and from the ingress controller's or Gateway's namespace when it has
 * {@code ingress}), and sends traffic only to what it depends on, plus DNS. Everything else is denied.
 */
final class PolicyObjects {
  private PolicyObjects() {}

  /**
   * What {@code s} talks to: its {@code dependsOn} plus every service or resource its env refers to
   * (a reference is a connection even when the model does not wait for it).
   */
  static Set<String> dependencies(ServiceSpec s) {
    Set<String> out = new LinkedHashSet<>(s.dependsOn().keySet());
    for (Template t : s.env().values()) {
      for (Reference r : t.references()) {
        if (r.kind() == Reference.Kind.SERVICES || r.kind() == Reference.Kind.RESOURCES) {
          out.add(r.name());
        }
      }
    }
    out.remove(s.name());
    return out;
  }

  /**
   * The reverse dependency graph: for every service or resource, the services that talk to it, in
   * model order. Built once per model, because looking it up per object is quadratic.
   */
  static Map<String, List<String>> dependents(AppSpec app) {
    Map<String, List<String>> byTarget = new HashMap<>();
    for (ServiceSpec s : app.services().values()) {
      for (String dep : dependencies(s)) {
        byTarget.computeIfAbsent(dep, k -> new ArrayList<>()).add(s.name());
      }
    }
    return byTarget;
  }

  /** @param dependents the model's reverse dependency graph, from {@link #dependents(AppSpec)} */
  static Map<String, Object> forService(AppSpec app, ServiceSpec s, String namespace,
      Map<String, List<String>> dependents) {
    int port = ClusterEndpoints.port(s);
    List<Object> ingress = new ArrayList<>();
    List<String> from = dependents.getOrDefault(s.name(), List.of());
    if (!from.isEmpty() && s.port() != null) {
      ingress.add(map("from", peers(app, from), "ports", list(tcp(port))));
    }
    if (s.ingress() != null) {
      ingress.add(map("from", list(map("namespaceSelector", map("matchLabels",
          map("kubernetes.io/metadata.name", NetworkObjects.ingressNamespace(app))))), "ports", list(tcp(port))));
    }
    List<Object> egress = new ArrayList<>();
    for (String dep : dependencies(s)) {
      Object rule = egressTo(app, dep);
      if (rule != null) {
        egress.add(rule);
      }
    }
    egress.add(dns());
    return policy(app, s.name(), namespace, ingress, egress);
  }

  /** An in-cluster backing service: reachable from its dependents only, sends nothing. */
  static Map<String, Object> forResource(AppSpec app, BackingServiceSpec r, String namespace,
      Map<String, List<String>> dependents) {
    List<Object> ingress = new ArrayList<>();
    List<String> from = dependents.getOrDefault(r.name(), List.of());
    if (!from.isEmpty()) {
      ingress.add(map("from", peers(app, from), "ports", list(tcp(ClusterEndpoints.port(r)))));
    }
    return policy(app, r.name(), namespace, ingress, new ArrayList<>());
  }

  private static Object egressTo(AppSpec app, String dep) {
    ServiceSpec s = app.services().get(dep);
    if (s != null) {
      return s.port() == null ? null : map("to", peers(app, List.of(dep)), "ports", list(tcp(s.port())));
    }
    BackingServiceSpec r = app.resources().get(dep);
    if (r == null) {
      return null;
    }
    if (ClusterEndpoints.inCluster(r)) {
      return map("to", peers(app, List.of(dep)), "ports", list(tcp(ClusterEndpoints.port(r))));
    }
    // An external service's address is not known here: allow its port anywhere outside the cluster.
    return map("to", list(map("ipBlock", map("cidr", "0.0.0.0/0"))), "ports", list(tcp(ClusterEndpoints.port(r))));
  }

  private static Map<String, Object> policy(AppSpec app, String component, String namespace, List<Object> ingress,
      List<Object> egress) {
    Map<String, Object> np = Kube.object("networking.k8s.io/v1", "NetworkPolicy", component, namespace,
        Kube.labels(app, component));
    np.put("spec", map(
        "podSelector", map("matchLabels", Kube.selector(app, component)),
        "policyTypes", list("Ingress", "Egress"),
        "ingress", ingress,
        "egress", egress));
    return np;
  }

  private static List<Object> peers(AppSpec app, List<String> components) {
    List<Object> out = new ArrayList<>();
    for (String c : components) {
      out.add(map("podSelector", map("matchLabels", Kube.selector(app, c))));
    }
    return out;
  }

  private static Map<String, Object> tcp(int port) {
    return map("protocol", "TCP", "port", port);
  }

  private static Map<String, Object> dns() {
    return map("to", list(map(
            "namespaceSelector", map("matchLabels", map("kubernetes.io/metadata.name", "kube-system")),
            "podSelector", map("matchLabels", map("k8s-app", "kube-dns")))),
        "ports", list(map("protocol", "UDP", "port", 53), map("protocol", "TCP", "port", 53)));
  }
}
