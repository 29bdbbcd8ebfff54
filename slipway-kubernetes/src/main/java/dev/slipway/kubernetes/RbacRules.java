package dev.slipway.kubernetes;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What Slipway may do in an environment's namespace, as RBAC rules: the Role of
 * {@code docs/kubernetes-role.yaml} is rendered from this list (a test keeps the two equal), and a
 * refused request names the one rule that is missing.
 */
final class RbacRules {
  static final String ROLE_FILE = "docs/kubernetes-role.yaml";

  private static final List<String> ALL = List.of("get", "list", "watch", "create", "update", "patch", "delete");
  private static final List<String> READ = List.of("get", "list", "watch");

  /**
   * One rule.
   *
   * @param apiGroup      the API group ({@code ""} for the core group)
   * @param resources     plural resource names, subresources as {@code pods/log}
   * @param verbs         what Slipway does with them
   * @param clusterScoped whether the resources live outside namespaces (a Role cannot grant them)
   * @param why           what Slipway uses them for
   */
  record Rule(String apiGroup, List<String> resources, List<String> verbs, boolean clusterScoped, String why) {
    /** The rule as a YAML list item, indented by {@code indent} spaces. */
    String yaml(String indent) {
      return indent + "- apiGroups: [" + quote(apiGroup) + "]\n"
          + indent + "  resources: [" + resources.stream().map(RbacRules::quote).collect(Collectors.joining(", "))
          + "]\n"
          + indent + "  verbs: [" + verbs.stream().map(RbacRules::quote).collect(Collectors.joining(", ")) + "]\n";
    }
  }

  static final List<Rule> RULES = List.of(
      new Rule("", List.of("configmaps", "secrets", "services", "serviceaccounts"), ALL, false,
          "configuration, release records (Secrets slipway.release.*), Services and preview Services"),
      new Rule("", List.of("pods"), READ, false, "readiness, crash loops and logs of a release's pods"),
      new Rule("", List.of("pods/log"), List.of("get"), false, "slipway logs"),
      new Rule("", List.of("services/proxy"), List.of("get"), false,
          "smoke checks of a new release through the API server's service proxy"),
      new Rule("", List.of("events"), READ, false, "why a pod does not start (image pull, scheduling)"),
      new Rule("apps", List.of("deployments", "statefulsets"), ALL, false, "the services and backing services"),
      new Rule("apps", List.of("replicasets"), READ, false, "a rolling update's previous template"),
      new Rule("discovery.k8s.io", List.of("endpointslices"), READ, false,
          "a blue-green switch waits for the new set's endpoints"),
      new Rule("coordination.k8s.io", List.of("leases"), ALL, false, "one rollout per service at a time"),
      new Rule("networking.k8s.io", List.of("ingresses", "networkpolicies"), ALL, false,
          "ingress and ingress-nginx canary weights; network policies"),
      new Rule("gateway.networking.k8s.io", List.of("httproutes"), ALL, false, "Gateway API traffic weights"),
      new Rule("policy", List.of("poddisruptionbudgets"), ALL, false, "availability during node drains"),
      new Rule("autoscaling", List.of("horizontalpodautoscalers"), ALL, false, "autoscaling"),
      new Rule("external-secrets.io", List.of("externalsecrets"), ALL, false, "secrets from a secret store"),
      new Rule("", List.of("namespaces"), List.of("get", "create"), true,
          "the first deploy creates the namespace"));

  private RbacRules() {}

  /** The rule that grants {@code resource} ({@code deployments}, {@code pods/log}) of {@code apiGroup}. */
  static Optional<Rule> forResource(String apiGroup, String resource) {
    return RULES.stream().filter(r -> r.resources().contains(resource)
        && (apiGroup == null || r.apiGroup().equals(apiGroup))).findFirst();
  }

  /** The API group Slipway uses {@code resource} from, or null when Slipway never uses it. */
  static String groupOf(String resource) {
    return forResource(null, resource).map(Rule::apiGroup).orElse(null);
  }

  /** The single rule that would allow {@code verb} on {@code resource}, as Role YAML (a list item). */
  static String missing(String apiGroup, String resource, String verb) {
    String group = apiGroup != null ? apiGroup : groupOf(resource);
    List<String> verbs = forResource(group, resource).map(Rule::verbs).filter(v -> v.contains(verb))
        .orElse(List.of(verb));
    return new Rule(group == null ? "" : group, List.of(resource), verbs, false, "").yaml("");
  }

  /** Whether a resource is cluster-scoped (a Role in a namespace cannot grant it). */
  static boolean clusterScoped(String resource) {
    return RULES.stream().anyMatch(r -> r.clusterScoped() && r.resources().contains(resource));
  }

  /** The text of {@code docs/kubernetes-role.yaml}. */
  static String roleYaml() {
    StringBuilder b = new StringBuilder();
    b.append("# What Slipway needs to deploy into one namespace (docs/kubernetes.md, \"RBAC\").\n")
        .append("# Rendered from RbacRules; RbacRulesTest keeps this file equal to it.\n")
        .append("#\n")
        .append("# Apply it in the environment's namespace and bind it to the user or CI service account:\n")
        .append("#   kubectl apply -n NAMESPACE -f docs/kubernetes-role.yaml\n")
        .append("#   kubectl create rolebinding slipway -n NAMESPACE --role=slipway --user=USER\n")
        .append("#     (or --serviceaccount=NAMESPACE:NAME for a CI job running in the cluster)\n")
        .append("#\n")
        .append("# Namespaces are cluster-scoped, so a Role cannot grant them. Either an admin creates the\n")
        .append("# namespace (kubectl create namespace NAMESPACE), or a ClusterRole bound to the same\n")
        .append("# subject lets the first deploy create it:\n");
    for (Rule r : RULES) {
      if (r.clusterScoped()) {
        b.append(r.yaml("#   "));
      }
    }
    b.append("apiVersion: rbac.authorization.k8s.io/v1\n")
        .append("kind: Role\n")
        .append("metadata:\n")
        .append("  name: slipway\n")
        .append("  labels:\n")
        .append("    app.kubernetes.io/managed-by: slipway\n")
        .append("rules:\n");
    for (Rule r : RULES) {
      if (!r.clusterScoped()) {
        b.append("  # ").append(r.why()).append('\n').append(r.yaml("  "));
      }
    }
    return b.toString();
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
