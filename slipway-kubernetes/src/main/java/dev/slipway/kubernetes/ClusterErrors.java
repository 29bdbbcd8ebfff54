package dev.slipway.kubernetes;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.Locale;

/**
 * Turns what the API server (or the way to it) answered into a {@link KubernetesException} a person can
 * act on: the context and namespace, what was refused, and the fix — the missing Role rule for a 403,
 * {@code kubectl create namespace} for a missing namespace, the server's URL when it cannot be reached.
 */
final class ClusterErrors {
  private ClusterErrors() {}

  /**
   * @param verb     what Slipway tried ({@code create}, {@code patch}, {@code list}, …)
   * @param resource the plural resource ({@code deployments}, {@code pods/log})
   */
  static KubernetesException translate(KubernetesClientException e, String verb, String resource, String context,
      String namespace, String server) {
    int code = e.getCode();
    String ctx = context == null ? "the current context" : "context " + context;
    String where = namespace == null ? "(" + ctx + ")" : "in namespace " + namespace + " (" + ctx + ")";
    String said = serverMessage(e);
    if (code <= 0 && has(e, javax.net.ssl.SSLException.class)) {
      return new KubernetesException("the TLS handshake with the cluster at " + server + " failed (" + ctx + "): "
          + rootCause(e), context, namespace, "the kubeconfig's certificate-authority for "
              + (context == null ? "this context" : context) + " must be the cluster's CA; check with: kubectl "
              + "cluster-info" + (context == null ? "" : " --context " + context), KubernetesException.FAILED, e);
    }
    if (code <= 0 && unreachable(e)) {
      return new KubernetesException("cannot reach the cluster at " + server + " (" + ctx + "): " + rootCause(e),
          context, namespace, "check that the cluster is running and that the kubeconfig's server for "
              + (context == null ? "this context" : context) + " is right: kubectl cluster-info"
              + (context == null ? "" : " --context " + context), KubernetesException.FAILED, e);
    }
    return switch (code) {
      case 401 -> new KubernetesException("the cluster at " + server + " refused the credentials of " + ctx
          + " (401 Unauthorized)", context, namespace,
          "renew them (a cloud CLI's get-credentials, a fresh token or client certificate) and check with: "
              + "kubectl auth whoami" + (context == null ? "" : " --context " + context),
          KubernetesException.FAILED, e);
      case 403 -> forbidden(e, verb, resource, context, namespace, ctx, said);
      case 404 -> namespaceMissing(e, namespace) ? new KubernetesException("namespace " + namespace
          + " does not exist (" + ctx + ")", context, namespace,
          "create it: kubectl create namespace " + namespace + (context == null ? "" : " --context " + context)
              + " (the first deploy of an environment creates it when the credentials may create namespaces)",
          KubernetesException.FAILED, e)
          : new KubernetesException("not found: " + verb + " " + resource + name(e) + " " + where
              + (said.isEmpty() ? "" : ": " + said), context, namespace, null, KubernetesException.FAILED, e);
      case 409 -> new KubernetesException("another writer changed " + resource + name(e) + " " + where
          + " while Slipway was writing it" + (said.isEmpty() ? "" : ": " + said), context, namespace,
          "run the command again; it reads the current state first", KubernetesException.FAILED, e);
      case 422 -> new KubernetesException("the cluster rejected " + resource + name(e) + " " + where
          + (said.isEmpty() ? "" : ": " + said), context, namespace,
          "check the model's values for this object (slipway generate kubernetes shows it)",
          KubernetesException.FAILED, e);
      default -> new KubernetesException("the cluster answered " + (code <= 0 ? "with an error" : code) + " to "
          + verb + " " + resource + name(e) + " " + where + (said.isEmpty() ? "" : ": " + said), context, namespace,
          null, KubernetesException.FAILED, e);
    };
  }

  private static KubernetesException forbidden(KubernetesClientException e, String verb, String resource,
      String context, String namespace, String ctx, String said) {
    String group = e.getGroup() != null && !e.getGroup().isEmpty() && !e.getGroup().equals("v1")
        && resource.equals(e.getResourcePlural()) ? e.getGroup() : RbacRules.groupOf(resource);
    String rule = RbacRules.missing(group, resource, verb);
    String on = context == null ? "" : " --context " + context;
    if (RbacRules.clusterScoped(resource)) {
      return new KubernetesException("no RBAC permission to " + verb + " " + resource + " (cluster-scoped; " + ctx
          + ")" + (said.isEmpty() ? "" : ": " + said), context, namespace,
          "a Role cannot grant " + resource + "; ask a cluster admin to create the namespace: kubectl create namespace "
              + namespace + on + "\nor to bind a ClusterRole with this rule:\n" + rule, KubernetesException.FAILED, e);
    }
    return new KubernetesException("no RBAC permission to " + verb + " " + resource + " in namespace " + namespace
        + " (" + ctx + ")", context, namespace,
        "the Role bound to these credentials lacks this rule:\n" + rule
            + "apply Slipway's Role, which has it: kubectl apply -n " + namespace + " -f " + RbacRules.ROLE_FILE + on
            + "\nand bind it: kubectl create rolebinding slipway -n " + namespace + " --role=slipway --user=USER" + on
            + " (or --serviceaccount=NAMESPACE:NAME)",
        KubernetesException.FAILED, e);
  }

  /** A real API server names the namespace in the details of the 404 of a write into a missing one. */
  private static boolean namespaceMissing(KubernetesClientException e, String namespace) {
    Status s = e.getStatus();
    return s != null && s.getDetails() != null && "namespaces".equals(s.getDetails().getKind())
        && (namespace == null || namespace.equals(s.getDetails().getName()));
  }

  private static String name(KubernetesClientException e) {
    return e.getName() == null ? "" : " " + e.getName();
  }

  private static String serverMessage(KubernetesClientException e) {
    Status s = e.getStatus();
    if (s != null && s.getMessage() != null && !s.getMessage().isBlank()) {
      return s.getMessage();
    }
    return "";
  }

  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException || t.getClass().getSimpleName().toLowerCase(Locale.ROOT).contains("timeout")) {
        return true;
      }
    }
    return false;
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }
}
