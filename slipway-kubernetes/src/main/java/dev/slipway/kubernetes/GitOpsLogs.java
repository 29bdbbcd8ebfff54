package dev.slipway.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A GitOps environment's pods' logs (the cluster is only read: Argo CD or Flux own its objects). */
final class GitOpsLogs {
  private GitOpsLogs() {}

  static void print(ClusterConnection cluster, String service, boolean follow, int tailLines, Consumer<String> out)
      throws KubernetesException {
    KubernetesClient client = cluster.client();
    String namespace = cluster.namespace();
    try {
      List<Pod> pods = client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/name", service).list().getItems();
      if (!follow) {
        for (Pod p : pods) {
          String text = client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).tailingLines(tailLines).getLog();
          text.lines().forEach(l -> out.accept(p.getMetadata().getName() + " | " + l));
        }
        return;
      }
      List<Thread> readers = new ArrayList<>();
      List<LogWatch> watches = new ArrayList<>();
      for (Pod p : pods) {
        String name = p.getMetadata().getName();
        LogWatch w = client.pods().inNamespace(namespace).withName(name).tailingLines(tailLines).watchLog();
        watches.add(w);
        readers.add(Thread.ofVirtual().start(() -> {
          try (var r = new BufferedReader(new InputStreamReader(w.getOutput(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
              out.accept(name + " | " + line);
            }
          } catch (IOException e) {
            // The stream ends when the pod goes or the watch is closed.
          }
        }));
      }
      try {
        for (Thread t : readers) {
          t.join();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        watches.forEach(LogWatch::close);
      }
    } catch (KubernetesClientException e) {
      throw cluster.error(e, "get", "pods/log");
    }
  }
}
