package dev.slipway.kubernetes.sim;

import dev.slipway.kubernetes.sim.WorkQueue.Key;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The EndpointSlice controller: one {@code discovery.k8s.io/v1} slice per Service with a
 * selector, labelled {@code kubernetes.io/service-name}, one endpoint per selected pod that has
 * an IP, with ready / serving / terminating taken from the pod, rewritten when pods or the
 * selector change. This is the data plane's view a blue-green switch must check.
 */
final class EndpointSliceController {

  static final String SERVICE_NAME = "kubernetes.io/service-name";
  static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
  static final String MANAGER = "endpointslice-controller.k8s.io";

  private final KubernetesClient client;
  private final Pods pods;
  private final Counters counters;

  EndpointSliceController(KubernetesClient client, Pods pods, Counters counters) {
    this.client = client;
    this.pods = pods;
    this.counters = counters;
  }

  void reconcile(Key key) {
    String ns = key.namespace();
    Service svc = client.services().inNamespace(ns).withName(key.name()).get();
    var slices = client.discovery().v1().endpointSlices().inNamespace(ns);
    List<EndpointSlice> existing =
        slices.withLabel(SERVICE_NAME, key.name()).withLabel(MANAGED_BY, MANAGER).list().getItems();
    Map<String, String> selector = svc == null ? null : svc.getSpec().getSelector();
    if (svc == null || selector == null || selector.isEmpty()) {
      // No garbage collector in the mock: the slices of a deleted (or selector-less) Service go here.
      existing.forEach(s -> slices.withName(s.getMetadata().getName()).delete());
      return;
    }
    List<Pod> selected = new ArrayList<>(pods.selected(ns, new io.fabric8.kubernetes.api.model.LabelSelector(null, selector)));
    selected.removeIf(p -> p.getStatus() == null || p.getStatus().getPodIP() == null
        || "Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase()));
    selected.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    List<Endpoint> endpoints = new ArrayList<>();
    for (Pod p : selected) {
      boolean ready = Sim.ready(p);
      boolean terminating = Sim.terminating(p);
      endpoints.add(
          new EndpointBuilder()
              .withAddresses(p.getStatus().getPodIP())
              .withNewConditions()
              .withReady(ready && !terminating)
              .withServing(ready)
              .withTerminating(terminating)
              .endConditions()
              .withNodeName(p.getSpec().getNodeName())
              .withTargetRef(
                  new ObjectReferenceBuilder()
                      .withKind("Pod")
                      .withNamespace(ns)
                      .withName(p.getMetadata().getName())
                      .withUid(p.getMetadata().getUid())
                      .build())
              .build());
    }
    List<EndpointPort> ports = new ArrayList<>();
    for (ServicePort sp : svc.getSpec().getPorts() == null ? List.<ServicePort>of() : svc.getSpec().getPorts()) {
      ports.add(
          new EndpointPortBuilder()
              .withName(sp.getName() == null ? "" : sp.getName())
              .withPort(targetPort(sp, selected))
              .withProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol())
              .withAppProtocol(sp.getAppProtocol())
              .build());
    }
    String name = key.name() + "-sim";
    EndpointSlice want =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .addToLabels(SERVICE_NAME, key.name())
            .addToLabels(MANAGED_BY, MANAGER)
            .withOwnerReferences(Sim.ownerRef(svc))
            .endMetadata()
            .withAddressType("IPv4")
            .withEndpoints(endpoints)
            .withPorts(ports)
            .build();
    EndpointSlice have = existing.stream().filter(s -> name.equals(s.getMetadata().getName())).findFirst().orElse(null);
    if (have == null) {
      slices.resource(want).create();
      counters.add("write.EndpointSlice");
    } else if (!Sim.json(want.getEndpoints()).equals(Sim.json(have.getEndpoints()))
        || !Sim.json(want.getPorts()).equals(Sim.json(have.getPorts()))) {
      have.setEndpoints(want.getEndpoints());
      have.setPorts(want.getPorts());
      slices.resource(have).update();
      counters.add("write.EndpointSlice");
    }
  }

  /** The port endpoints listen on: the Service's targetPort, a named one looked up in the pods' containers. */
  private static Integer targetPort(ServicePort sp, List<Pod> selected) {
    if (sp.getTargetPort() == null) {
      return sp.getPort();
    }
    if (sp.getTargetPort().getIntVal() != null) {
      return sp.getTargetPort().getIntVal();
    }
    String named = sp.getTargetPort().getStrVal();
    for (Pod p : selected) {
      for (Container c : p.getSpec().getContainers()) {
        for (ContainerPort cp : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
          if (named.equals(cp.getName())) {
            return cp.getContainerPort();
          }
        }
      }
    }
    return sp.getPort();
  }
}
