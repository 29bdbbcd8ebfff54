package dev.slipway.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * After a push, watches the cluster until Argo CD or Flux has applied the commit: the Deployment's
 * template runs the committed image and its rollout is complete (observed generation, every replica
 * updated and available, no old pod left). Ends early, as failed, when the release's pods crash-loop or
 * the Deployment reports its progress deadline exceeded. Informers (list, then watch) on the Deployment
 * and the release's pods, re-evaluated on every event: never a poll.
 */
final class GitOpsWatch {
  /**
   * How a wait ended: {@code ok} when applied and rolled out; {@code applied} whether the cluster ran the
   * committed template at the end; {@code message} says what was seen.
   */
  record Outcome(boolean ok, boolean applied, String message) {}

  private final ClusterConnection cluster;
  private final String environment;

  GitOpsWatch(ClusterConnection cluster, String environment) {
    this.cluster = cluster;
    this.environment = environment;
  }

  /**
   * Waits until Deployment {@code name} runs {@code image} in its container {@code container} and has
   * rolled out; the pods watched for crash loops are those labelled with {@code service} and {@code releaseId}.
   */
  Outcome await(String name, String container, String releaseId, String image, Duration deadline)
      throws KubernetesException {
    String ns = cluster.namespace();
    ReentrantLock lock = new ReentrantLock();
    Condition changed = lock.newCondition();
    ResourceEventHandler<Object> wake = new ResourceEventHandler<>() {
      @Override
      public void onAdd(Object o) {
        signal();
      }

      @Override
      public void onUpdate(Object before, Object after) {
        signal();
      }

      @Override
      public void onDelete(Object o, boolean unknown) {
        signal();
      }

      private void signal() {
        lock.lock();
        try {
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    };
    long end = System.nanoTime() + deadline.toNanos();
    try {
      // One plain read first: an informer that cannot start says less (and only after its retries) than a
      // request's own error says about an unreachable server, refused credentials or a missing permission.
      cluster.client().apps().deployments().inNamespace(ns).withName(name).get();
    } catch (KubernetesClientException e) {
      throw watchFailed(cluster.error(e, "get", "deployments"), name);
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    ResourceEventHandler<Deployment> onDeployment = (ResourceEventHandler) wake;
    @SuppressWarnings({"unchecked", "rawtypes"})
    ResourceEventHandler<Pod> onPod = (ResourceEventHandler) wake;
    try (SharedIndexInformer<Deployment> deployments = cluster.client().apps().deployments().inNamespace(ns)
        .withName(name).inform(onDeployment);
        SharedIndexInformer<Pod> pods = cluster.client().pods().inNamespace(ns)
            .withLabels(Map.of(ClusterObjects.NAME, container, ClusterObjects.RELEASE, releaseId)).inform(onPod)) {
      lock.lock();
      try {
        while (true) {
          Deployment d = deployments.getStore().list().stream().findFirst().orElse(null);
          Outcome o = judge(d, pods.getStore().list(), name, container, image);
          if (o != null) {
            return o;
          }
          long left = end - System.nanoTime();
          if (left <= 0) {
            return new Outcome(false, applied(d, container, image), "not applied within "
                + dev.slipway.model.Durations.human(deadline) + ": " + describe(d, name, container, image));
          }
          changed.await(left, TimeUnit.NANOSECONDS);
        }
      } finally {
        lock.unlock();
      }
    } catch (KubernetesClientException e) {
      throw watchFailed(cluster.error(e, "watch", "deployments"), name);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesException("interrupted while watching Deployment " + name, cluster.context(), ns,
          "the commit is pushed; `slipway status --env " + environment + "` shows what the cluster runs",
          KubernetesException.FAILED, e);
    }
  }

  /** Done (rolled out), failed (crash loop, deadline exceeded), or null: keep watching. */
  static Outcome judge(Deployment d, List<Pod> pods, String name, String container, String image) {
    if (!applied(d, container, image)) {
      return null;
    }
    if (rolledOut(d)) {
      int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      return new Outcome(true, true, "Deployment " + name + " runs " + image + " (" + replicas + "/" + replicas + " ready)");
    }
    for (Pod p : pods) {
      if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
        continue;
      }
      for (ContainerStatus c : p.getStatus().getContainerStatuses()) {
        boolean backOff = c.getState() != null && c.getState().getWaiting() != null
            && "CrashLoopBackOff".equals(c.getState().getWaiting().getReason());
        int restarts = c.getRestartCount() == null ? 0 : c.getRestartCount();
        if (image.equals(c.getImage()) && (backOff || restarts >= PodHealth.CRASH_RESTARTS)) {
          return new Outcome(false, true, "pod " + p.getMetadata().getName() + " is crash looping (" + restarts
              + " restarts" + (backOff ? ", CrashLoopBackOff" : "") + ")");
        }
      }
    }
    DeploymentStatus s = d.getStatus();
    if (s != null && s.getConditions() != null && s.getObservedGeneration() != null
        && s.getObservedGeneration() >= d.getMetadata().getGeneration()) {
      for (DeploymentCondition c : s.getConditions()) {
        if ("Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason())) {
          return new Outcome(false, true, "Deployment " + name + " exceeded its progress deadline: "
              + n(s.getReadyReplicas()) + "/" + want(d) + " pods ready (" + c.getMessage() + ")");
        }
      }
    }
    return null;
  }

  static boolean applied(Deployment d, String container, String image) {
    if (d == null || d.getSpec() == null || d.getSpec().getTemplate() == null) {
      return false;
    }
    for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
      if (c.getName().equals(container)) {
        return image.equals(c.getImage());
      }
    }
    return false;
  }

  static boolean rolledOut(Deployment d) {
    DeploymentStatus s = d.getStatus();
    int want = want(d);
    if (s == null || s.getObservedGeneration() == null || d.getMetadata().getGeneration() == null
        || s.getObservedGeneration() < d.getMetadata().getGeneration()) {
      return false;
    }
    return n(s.getUpdatedReplicas()) >= want && n(s.getAvailableReplicas()) >= want && n(s.getReplicas()) == want;
  }

  private String describe(Deployment d, String name, String container, String image) {
    if (d == null) {
      return "there is no Deployment " + name + " in namespace " + cluster.namespace()
          + " (Argo CD or Flux has not synced the commit)";
    }
    if (!applied(d, container, image)) {
      String running = d.getSpec().getTemplate().getSpec().getContainers().stream()
          .filter(c -> c.getName().equals(container)).map(Container::getImage).findFirst().orElse("?");
      return "Deployment " + name + " still runs " + running + " (Argo CD or Flux has not synced the commit)";
    }
    DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    return "Deployment " + name + " runs " + image + " but has not rolled out: " + n(s.getUpdatedReplicas()) + "/"
        + want(d) + " updated, " + n(s.getAvailableReplicas()) + "/" + want(d) + " available";
  }

  private KubernetesException watchFailed(KubernetesException e, String name) {
    String fix = "the commit is pushed; " + (e.fix() == null ? "" : e.fix() + "; then ")
        + "`slipway status --env " + environment + "` shows what the cluster runs";
    return new KubernetesException("cannot watch Deployment " + name + ": " + e.getMessage(), e.context(),
        e.namespace(), fix, KubernetesException.FAILED, e.getCause());
  }

  private static int want(Deployment d) {
    return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }
}
