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

  /**
   * Compare-and-set of one service's routes: replaces them with {@code route} only if nobody else
   * changed them after generation {@code expected} — the {@link Applied#generation()} the caller
   * last saw for this service. Returns once the router has persisted and applied them (or refused to
   * overwrite a newer change), with what the router applies from then on, read back from it.
   *
   * <p>A caller that gets {@code written == false} must not repeat its write as it was: its view was
   * stale. It recomputes from its own state, based on the generation it was given back, if at all.
   */
  Applied route(String service, Route route, long expected) throws TargetException;

  /** What the router applies for {@code service} now, read back from it (route null when not routed). */
  Applied applied(String service) throws TargetException;

  /** Live per-backend figures, to know when a draining backend has finished its requests. */
  List<BackendState> backends(String service) throws TargetException;

  /**
   * Sends {@code GET path} to the front address of {@code service}, pinned to {@code release} (the
   * {@code X-Slipway-Version} header), and returns the status it answered: a smoke check of that release
   * alone, through the same path users take. Where the service's routes do not let clients pin
   * ({@link Route#pinning()}), a target sends it to an instance of the release by other means.
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
   * The URL of {@link #metrics()} once confirmed, just now, to be served by the router this target
   * runs: the scrape's headers carry the router's admin token, which must reach no other process that
   * took the port while the router was down. Ask again before every scrape.
   *
   * @throws java.io.IOException when it cannot be confirmed (restarting, or another process listens)
   */
  default String confirmedMetricsUrl() throws java.io.IOException {
    return metrics().url();
  }

  /**
   * The routes of one service.
   *
   * @param backends     every backend, active or draining
   * @param weights      percent of unpinned traffic per version; versions with active backends sum to 100
   * @param drainTimeout longest a draining backend's in-flight requests may take; null for
   *                     {@link #DEFAULT_DRAIN_TIMEOUT}
   * @param pinning       whether clients may pin a release ({@code X-Slipway-Version}); when not, the
   *                      target reaches a release by other means for {@link #get}
   * @param versionHeader whether responses say which release served them
   */
  record Route(List<Backend> backends, Map<String, Integer> weights, Duration drainTimeout, boolean pinning,
      boolean versionHeader) {
    /**
     * How long a draining backend's in-flight requests may take unless a route says otherwise; also
     * how long the engine waits for a drain. The one copy on the control-plane side (the router, a
     * separate process, has the same default for hand-written configs; Slipway always sends it).
     */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    public Route {
      backends = List.copyOf(backends);
      weights = Map.copyOf(weights);
      drainTimeout = drainTimeout == null ? DEFAULT_DRAIN_TIMEOUT : drainTimeout;
    }

    /** Routes that let clients pin a release and see which one served them (the router's defaults). */
    public Route(List<Backend> backends, Map<String, Integer> weights, Duration drainTimeout) {
      this(backends, weights, drainTimeout, true, true);
    }

    /** The same routes with what clients may choose and see set as given. */
    public Route withClientAccess(boolean pinning, boolean versionHeader) {
      return new Route(backends, weights, drainTimeout, pinning, versionHeader);
    }
  }

  /**
   * The routes of one service as the router applies them.
   *
   * @param generation the router's config generation they were read at; only ever grows
   * @param route      the routes read back, or null when the router has none for the service
   * @param written    whether the call that returned this wrote its routes (false: somebody else
   *                   changed them since the caller's {@code expected} generation, nothing was written)
   */
  record Applied(long generation, Route route, boolean written) {

    /**
     * Percent of unpinned traffic per version, as the router splits it: the weights of the versions
     * that have an active backend (a version without one gets nothing, whatever its weight).
     */
    public Map<String, Integer> split() {
      Map<String, Integer> out = new java.util.LinkedHashMap<>();
      if (route == null) {
        return out;
      }
      // In the order of the backends (the stable release's first), so the split reads the same way each time.
      for (Backend b : route.backends()) {
        if (!b.draining() && !out.containsKey(b.version())) {
          out.put(b.version(), route.weights().getOrDefault(b.version(), 0));
        }
      }
      if (out.size() == 1 && !route.weights().containsKey(out.keySet().iterator().next())) {
        out.replaceAll((version, percent) -> 100); // the router's rule: a lone version gets everything
      }
      return out;
    }
  }

  /** One backend: an instance of a version, on 127.0.0.1:port. */
  record Backend(String id, String version, int port, boolean draining) {}

  /** What the router sees of a backend right now. */
  record BackendState(String id, String version, String state, int inflight, int openConnections) {}

  /** A Prometheus scrape target. */
  record MetricsEndpoint(String url, Map<String, String> headers) {}
}
