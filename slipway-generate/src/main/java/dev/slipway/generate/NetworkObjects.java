package dev.slipway.generate;

import static dev.slipway.generate.Kube.list;
import static dev.slipway.generate.Kube.map;

import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.GatewaySpec;
import dev.slipway.model.ServiceSpec;
import java.util.Map;

/**
 * How a service is reached: its ClusterIP Service, and for {@code ingress:} an Ingress or, when the
 * environment names a {@code gateway}, a Gateway API HTTPRoute attached to that Gateway.
 */
final class NetworkObjects {
  /** The namespace the ingress controller runs in (ingress-nginx's default) when there is no gateway. */
  static final String INGRESS_NAMESPACE = "ingress-nginx";
  static final String GATEWAY_API = "gateway.networking.k8s.io/v1";

  private NetworkObjects() {}

  /** The selected environment's Gateway, or null (services get Ingresses). */
  static GatewaySpec gateway(AppSpec app) {
    return app.selectedEnvironment().map(EnvironmentSpec::gateway).orElse(null);
  }

  /** The Gateway's namespace: as written, else the environment's own. */
  static String gatewayNamespace(AppSpec app, GatewaySpec gateway) {
    return gateway.namespace() != null ? gateway.namespace() : KubernetesGenerator.namespace(app);
  }

  /** Where external traffic comes from, for NetworkPolicies: the Gateway's namespace, else ingress-nginx's. */
  static String ingressNamespace(AppSpec app) {
    GatewaySpec gateway = gateway(app);
    return gateway == null ? INGRESS_NAMESPACE : gatewayNamespace(app, gateway);
  }

  /** The object that exposes {@code ingress:}: an HTTPRoute with a gateway, else an Ingress; null without ingress. */
  static Map<String, Object> route(AppSpec app, ServiceSpec s, String namespace) {
    return gateway(app) != null ? httpRoute(app, s, namespace) : ingress(app, s, namespace);
  }

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

  /**
   * A Gateway API HTTPRoute: the host, paths under the ingress path, to the service's port. The Gateway's
   * listeners must admit routes from this namespace ({@code allowedRoutes}); that is the Gateway's config.
   */
  static Map<String, Object> httpRoute(AppSpec app, ServiceSpec s, String namespace) {
    GatewaySpec gateway = gateway(app);
    if (s.ingress() == null || gateway == null) {
      return null;
    }
    Map<String, Object> route = Kube.object(GATEWAY_API, "HTTPRoute", s.name(), namespace, Kube.labels(app, s.name()));
    route.put("spec", map(
        "parentRefs", list(map("name", gateway.name(), "namespace", gatewayNamespace(app, gateway))),
        "hostnames", list(s.ingress().host()),
        "rules", list(map(
            "matches", list(map("path", map("type", "PathPrefix", "value", s.ingress().path()))),
            "backendRefs", list(map("name", s.name(), "port", s.port()))))));
    return route;
  }
}
