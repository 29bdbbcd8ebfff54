package dev.slipway.engine.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The traffic layer of a target: every service with a port gets a stable front address; behind it,
 * backends of one or more versions with weights. On the local target this is Slipway's router
 * process, which keeps serving its last routes while the control plane is down.
 */
public interface Traffic {

  /** The stable front port of {@code service} on 127.0.0.1, allocated once and kept across runs. */
  int frontPort(String service) throws TargetException;

  /** Replaces the routes of {@code service}; returns once the router has persisted and applied them. */
  void route(String service, Route route) throws TargetException;

  /** The routes last applied for {@code service} (from the router itself after a reattach), or null. */
  Route current(String service);

  /** Live per-backend figures, to know when a draining backend has finished its requests. */
  List<BackendState> backends(String service) throws TargetException;

  /**
   * Sends {@code GET path} to the front address of {@code service}, pinned to {@code release} (the
   * {@code X-Slipway-Version} header), and returns the status it answered: a smoke check of that release
   * alone, through the same path users take.
   *
   * @throws java.io.IOException when no answer came within {@code timeout}
   */
  default int get(String service, String release, String path, Duration timeout)
      throws TargetException, java.io.IOException, InterruptedException {
    return LocalProbes.pinnedGet(frontPort(service), release, path, timeout);
  }

  /** Where the router's Prometheus metrics are, and the headers a scrape needs. */
  MetricsEndpoint metrics();

  /**
   * The routes of one service.
   *
   * @param backends     every backend, active or draining
   * @param weights      percent of unpinned traffic per version; versions with active backends sum to 100
   * @param stickyHeader request header whose value keeps a user on one version, or null
   * @param stickyCookie cookie whose value keeps a user on one version, or null
   * @param drainTimeout longest a draining backend's in-flight requests may take
   */
  record Route(List<Backend> backends, Map<String, Integer> weights, String stickyHeader, String stickyCookie,
      Duration drainTimeout) {
    public Route {
      backends = List.copyOf(backends);
      weights = Map.copyOf(weights);
    }
  }

  /** One backend: an instance of a version, on 127.0.0.1:port. */
  record Backend(String id, String version, int port, boolean draining) {}

  /** What the router sees of a backend right now. */
  record BackendState(String id, String version, String state, int inflight, int openConnections) {}

  /** A Prometheus scrape target. */
  record MetricsEndpoint(String url, Map<String, String> headers) {}
}
