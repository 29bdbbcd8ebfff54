package dev.slipway.kubernetes;

import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.ServiceSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Everything a rollout on one environment works with: the connection, the objects the model makes, the
 * records, the Leases, the waits and the progress output. One per opened environment.
 */
final class RunnerContext {
  final ClusterConnection cluster;
  final AppSpec app;
  final EnvironmentSpec env;
  final ClusterObjects objects;
  final Applier applier;
  final ReleaseRecords records;
  final ClusterLease leases;
  final RolloutWatch watch;
  final RunnerSettings settings;
  final Consumer<String> progress;

  RunnerContext(ClusterConnection cluster, AppSpec app, EnvironmentSpec env, RunnerSettings settings,
      Consumer<String> progress) {
    this.cluster = cluster;
    this.app = app;
    this.env = env;
    this.objects = new ClusterObjects(app, env, cluster.namespace());
    this.applier = new Applier(cluster);
    this.records = new ReleaseRecords(cluster);
    this.leases = new ClusterLease(cluster);
    this.watch = new RolloutWatch(cluster.client(), cluster.namespace());
    this.settings = settings;
    this.progress = progress;
  }

  KubernetesClient client() {
    return cluster.client();
  }

  String namespace() {
    return cluster.namespace();
  }

  ServiceSpec service(String name) throws KubernetesException {
    ServiceSpec s = app.services().get(name);
    if (s == null) {
      throw new KubernetesException("no service `" + name + "` in " + app.file().getFileName(), cluster.context(),
          namespace(), "the services are: " + String.join(", ", app.services().keySet()), KubernetesException.BAD_INPUT);
    }
    return s;
  }

  /**
   * How long a rollout may stand still before it has failed: a pod gets its startup timeout to become
   * ready, and a few probe intervals more for the kubelet and controllers to report it.
   */
  Duration stall(ServiceSpec s) {
    return s.health().startupTimeout().plus(s.health().interval().multipliedBy(3)).plusSeconds(2);
  }

  KubernetesException error(KubernetesClientException e, String verb, String resource) {
    return cluster.error(e, verb, resource);
  }

  KubernetesException failed(String problem, String fix) {
    return new KubernetesException(problem, cluster.context(), namespace(), fix, KubernetesException.FAILED);
  }

  void say(String line) {
    progress.accept(line);
  }
}
