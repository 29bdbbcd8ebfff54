package dev.slipway.generate;

import static dev.slipway.generate.Kube.list;
import static dev.slipway.generate.Kube.map;

import dev.slipway.model.AppSpec;
import dev.slipway.model.ServiceSpec;
import java.util.Map;

/** How a service is reached: its ClusterIP Service and its Ingress. */
final class NetworkObjects {
  private NetworkObjects() {}

  /** A ClusterIP Service in front of the service's pods; null for a service without {@code port}. */
  static Map<String, Object> service(AppSpec app, ServiceSpec s, String name, String namespace) {
    if (s.port() == null) {
      return null;
    }
    Map<String, Object> svc = Kube.object("v1", "Service", name, namespace, Kube.labels(app, s.name()));
    svc.put("spec", map(
        "type", "ClusterIP",
        "selector", Kube.selector(app, s.name()),
        "ports", list(map("name", "http", "port", s.port(), "targetPort", "http", "protocol", "TCP"))));
    return svc;
  }

  /** An Ingress (networking.k8s.io/v1) for {@code ingress:}; the cluster's default IngressClass serves it. */
  static Map<String, Object> ingress(AppSpec app, ServiceSpec s, String namespace) {
    if (s.ingress() == null) {
      return null;
    }
    Map<String, Object> in = Kube.object("networking.k8s.io/v1", "Ingress", s.name(), namespace,
        Kube.labels(app, s.name()));
    in.put("spec", map("rules", list(map(
        "host", s.ingress().host(),
        "http", map("paths", list(map(
            "path", s.ingress().path(),
            "pathType", "Prefix",
            "backend", map("service", map("name", s.name(), "port", map("number", s.port()))))))))));
    return in;
  }
}
