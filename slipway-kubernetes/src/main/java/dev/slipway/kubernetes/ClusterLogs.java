package dev.slipway.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code logs SERVICE --env E [-f]}: the log lines of every pod of the service (all its releases), each
 * prefixed by the pod's name; a container that crashed shows its previous run's last lines first.
 */
final class ClusterLogs {
  private ClusterLogs() {}

  static void stream(RunnerContext ctx, String service, boolean follow, int tailLines, Consumer<String> out)
      throws KubernetesException {
    List<Pod> pods;
    try {
      pods = new ArrayList<>(ctx.client().pods().inNamespace(ctx.namespace())
          .withLabel(ClusterObjects.NAME, service).list().getItems());
    } catch (KubernetesClientException e) {
      throw ctx.error(e, "list", "pods");
    }
    pods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    if (pods.isEmpty()) {
      out.accept("(" + service + " has no pods in namespace " + ctx.namespace() + ")");
      return;
    }
    List<Thread> followers = new ArrayList<>();
    for (Pod p : pods) {
      String name = p.getMetadata().getName();
      var pod = ctx.client().pods().inNamespace(ctx.namespace()).withName(name);
      try {
        if (restarted(p)) {
          lines(pod.inContainer(service).terminated().tailingLines(tailLines > 0 ? tailLines : 100).getLog(),
              name + " (previous)", out);
        }
        if (follow) {
          followers.add(Thread.ofVirtual().name("logs-" + name).start(() -> follow(pod.inContainer(service)
              .tailingLines(tailLines > 0 ? tailLines : 10).watchLog(), name, out)));
        } else {
          var log = tailLines > 0 ? pod.inContainer(service).tailingLines(tailLines).getLog()
              : pod.inContainer(service).getLog();
          lines(log, name, out);
        }
      } catch (KubernetesClientException e) {
        throw ctx.error(e, "get", "pods/log");
      }
    }
    for (Thread t : followers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        followers.forEach(Thread::interrupt);
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void follow(LogWatch watch, String pod, Consumer<String> out) {
    try (watch; BufferedReader r = new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
      String line;
      while (!Thread.currentThread().isInterrupted() && (line = r.readLine()) != null) {
        out.accept(pod + " | " + line);
      }
    } catch (IOException e) {
      out.accept(pod + " | (log stream ended: " + e.getMessage() + ")");
    }
  }

  private static void lines(String log, String pod, Consumer<String> out) {
    if (log == null || log.isEmpty()) {
      return;
    }
    for (String line : log.split("\n", -1)) {
      if (!line.isEmpty()) {
        out.accept(pod + " | " + line);
      }
    }
  }

  private static boolean restarted(Pod p) {
    if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
      return false;
    }
    return p.getStatus().getContainerStatuses().stream().map(ContainerStatus::getRestartCount)
        .anyMatch(n -> n != null && n > 0);
  }
}
