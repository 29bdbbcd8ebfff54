package dev.slipway.generate;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Host ports for published containers. Services often share a container port (8080), so each gets
 * the first free host port from its own upward; only loopback is bound, so nothing is exposed beyond
 * the developer's machine.
 */
final class ComposePorts {
  private final Set<Integer> used = new HashSet<>();
  private final Map<String, Integer> byService = new LinkedHashMap<>();

  /** Reserves a host port for {@code service}'s {@code containerPort}; returns the Compose port entry. */
  String publish(String service, int containerPort) {
    int host = containerPort;
    while (used.contains(host)) {
      host++;
    }
    used.add(host);
    byService.put(service, host);
    return "127.0.0.1:" + host + ":" + containerPort;
  }

  /** {@code 127.0.0.1:8081} for a published service. */
  String hostPort(String service) {
    return "127.0.0.1:" + byService.get(service);
  }
}
