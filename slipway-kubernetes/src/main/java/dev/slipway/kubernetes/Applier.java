package dev.slipway.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.ApiVersionUtil;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Applies objects as {@code kubectl apply --server-side --field-manager=slipway --force-conflicts}
 * would, in dependency order: the Namespace, then what workloads refer to (configuration, Secrets,
 * Services, policies), then the workloads, then what routes to them. Objects of one group are applied
 * in parallel on virtual threads.
 *
 * <p>A server without server-side apply (the fabric8 mock answers 404 for a new object and 415 for an
 * existing one) gets a create, or an update of the existing object carrying the resourceVersion just
 * read; once seen, the applier stays on that path ({@link #mode()}).
 */
final class Applier {
  static final String FIELD_MANAGER = "slipway";
  static final String SERVER_SIDE = "server-side apply";
  static final String CREATE_UPDATE = "create/update (the server has no server-side apply)";

  /**
   * Requests in flight at once: enough to hide a round trip's latency, few enough not to flood the
   * API server. Against the mock, 4 to 16 apply a 200-service model equally fast; 1 takes twice as long.
   */
  private static final int PARALLEL = 8;
  private static final int CONFLICT_RETRIES = 5;

  private static final Map<String, String> PLURALS = Map.of(
      "HTTPRoute", "httproutes", "ExternalSecret", "externalsecrets", "GRPCRoute", "grpcroutes");

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final ClusterConnection cluster;
  private final AtomicBoolean noServerSideApply = new AtomicBoolean();
  private final AtomicBoolean applied = new AtomicBoolean();

  Applier(ClusterConnection cluster) {
    this.cluster = cluster;
  }

  /** Which path the last objects took: {@link #SERVER_SIDE} or {@link #CREATE_UPDATE}. */
  String mode() {
    return noServerSideApply.get() ? CREATE_UPDATE : applied.get() ? SERVER_SIDE : "nothing applied yet";
  }

  /**
   * Applies {@code objects} and returns them as the server stored them, in the order given. Objects
   * without a namespace go to the environment's (but a Namespace, which has none).
   *
   * @throws KubernetesException for the first object the cluster refused (others are still attempted
   *                             within its group; later groups are not)
   */
  List<HasMetadata> apply(List<? extends HasMetadata> objects) throws KubernetesException {
    HasMetadata[] out = new HasMetadata[objects.size()];
    for (int group = 0; group <= 3; group++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < objects.size(); i++) {
        if (order(objects.get(i)) == group) {
          members.add(i);
        }
      }
      applyGroup(objects, members, out);
    }
    return List.of(out);
  }

  /** 0 the Namespace, 1 what workloads refer to, 2 workloads, 3 what routes to or scales them. */
  static int order(HasMetadata o) {
    return switch (o.getKind()) {
      case "Namespace" -> 0;
      case "ConfigMap", "Secret", "ServiceAccount", "ExternalSecret", "PersistentVolumeClaim", "Service",
          "NetworkPolicy", "PodDisruptionBudget", "Role", "RoleBinding" -> 1;
      case "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob" -> 2;
      default -> 3;
    };
  }

  private void applyGroup(List<? extends HasMetadata> objects, List<Integer> members, HasMetadata[] out)
      throws KubernetesException {
    if (members.isEmpty()) {
      return;
    }
    if (members.size() == 1) {
      int i = members.get(0);
      out[i] = applyOne(objects.get(i));
      return;
    }
    Semaphore slots = new Semaphore(PARALLEL);
    List<Future<HasMetadata>> futures = new ArrayList<>(members.size());
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i : members) {
        HasMetadata o = objects.get(i);
        futures.add(threads.submit(() -> {
          slots.acquire();
          try {
            return applyOne(o);
          } finally {
            slots.release();
          }
        }));
      }
    }
    KubernetesException first = null;
    int failed = 0;
    for (int k = 0; k < members.size(); k++) {
      try {
        out[members.get(k)] = futures.get(k).get();
      } catch (ExecutionException e) {
        failed++;
        if (first == null) {
          first = e.getCause() instanceof KubernetesException ke ? ke
              : new KubernetesException("applying " + describe(objects.get(members.get(k))) + " failed: "
                  + e.getCause(), cluster.context(), cluster.namespace(), null, KubernetesException.FAILED,
                  e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KubernetesException("interrupted while applying objects", cluster.context(), cluster.namespace(),
            null, KubernetesException.FAILED, e);
      }
    }
    if (first != null) {
      if (failed > 1) {
        first.addSuppressed(new IllegalStateException((failed - 1) + " more objects of the same group failed"));
      }
      throw first;
    }
  }

  private HasMetadata applyOne(HasMetadata given) throws KubernetesException {
    HasMetadata o = desired(given);
    String verb = "patch";
    try {
      if (!noServerSideApply.get()) {
        try {
          HasMetadata result = resource(o).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
          applied.set(true);
          return result;
        } catch (KubernetesClientException e) {
          // A real server applies a new object; only a server without server-side apply says 404 or 415
          // (or a real one whose namespace is missing, which names it: that is an error to report).
          if (e.getCode() != 404 && e.getCode() != 415 || namesANamespace(e)) {
            throw e;
          }
          noServerSideApply.set(true);
        }
      }
      applied.set(true);
      verb = "create";
      for (int attempt = 0; ; attempt++) {
        try {
          return resource(o).create();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
        }
        verb = "update";
        HasMetadata current = resource(o).get();
        if (current == null) {
          continue; // deleted between the create and the read: create again
        }
        HasMetadata next = copyWithVersion(o, current.getMetadata().getResourceVersion());
        try {
          return resource(next).update();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
            throw e;
          }
        }
        verb = "create";
      }
    } catch (KubernetesClientException e) {
      if (o instanceof Namespace && e.getCode() == 403) {
        // Many teams get their namespace from an admin; a missing one shows as a 404 on the next object.
        return o;
      }
      throw cluster.error(e, verb, plural(o));
    }
  }

  @SuppressWarnings("unchecked")
  private Resource<HasMetadata> resource(HasMetadata o) {
    String ns = o instanceof Namespace ? null
        : o.getMetadata().getNamespace() != null ? o.getMetadata().getNamespace() : cluster.namespace();
    if (o instanceof GenericKubernetesResource g) {
      ResourceDefinitionContext ctx = new ResourceDefinitionContext.Builder()
          .withGroup(ApiVersionUtil.trimGroupOrNull(g.getApiVersion()))
          .withVersion(ApiVersionUtil.trimVersion(g.getApiVersion()))
          .withKind(g.getKind()).withPlural(plural(g)).withNamespaced(true).build();
      Resource<GenericKubernetesResource> r = cluster.client().genericKubernetesResources(ctx).inNamespace(ns)
          .resource(g);
      return (Resource<HasMetadata>) (Resource<?>) r;
    }
    return ns == null ? cluster.client().resource(o) : cluster.client().resource(o).inNamespace(ns);
  }

  /**
   * The object as a desired state: without what the server sets (an object read back from the cluster
   * would otherwise make the apply a stale precondition, and a create be refused).
   */
  private static HasMetadata desired(HasMetadata o) {
    var m = o.getMetadata();
    if (m.getResourceVersion() == null && m.getUid() == null && m.getManagedFields() == null
        && m.getCreationTimestamp() == null && m.getGeneration() == null) {
      return o;
    }
    HasMetadata copy = SERIALIZATION.clone(o);
    copy.getMetadata().setResourceVersion(null);
    copy.getMetadata().setUid(null);
    copy.getMetadata().setManagedFields(null);
    copy.getMetadata().setCreationTimestamp(null);
    copy.getMetadata().setGeneration(null);
    return copy;
  }

  private static boolean namesANamespace(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getDetails() != null
        && "namespaces".equals(e.getStatus().getDetails().getKind());
  }

  private static HasMetadata copyWithVersion(HasMetadata o, String resourceVersion) {
    HasMetadata copy = SERIALIZATION.clone(o);
    copy.getMetadata().setResourceVersion(resourceVersion);
    return copy;
  }

  static String plural(HasMetadata o) {
    String known = PLURALS.get(o.getKind());
    if (known != null) {
      return known;
    }
    return o instanceof GenericKubernetesResource ? o.getKind().toLowerCase(Locale.ROOT) + "s" : o.getPlural();
  }

  private static String describe(HasMetadata o) {
    return o.getKind() + " " + o.getMetadata().getName();
  }
}
