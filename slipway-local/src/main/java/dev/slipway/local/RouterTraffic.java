package dev.slipway.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.engine.runtime.Traffic;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * {@link Traffic} through the router's admin API. Keeps the whole config the router last said it
 * applies (every service's entry, the generation, and the generation at which each entry last
 * changed); {@link #route} replaces one service's entry and PUTs the whole config with the generation
 * it is based on, so the router refuses it (409) if anything changed meanwhile. A change to another
 * service is merged and written again; a change to the same service since the caller's generation is
 * not overwritten. After each write the config is read back. The router persists it before it
 * answers, and keeps serving it while the control plane is down; a reattaching control plane reads it
 * back.
 */
final class RouterTraffic implements Traffic {

  private static final System.Logger LOG = System.getLogger(RouterTraffic.class.getName());
  /** For smoke checks sent straight to an instance. */
  private static final java.net.http.HttpClient DIRECT = java.net.http.HttpClient.newBuilder()
      .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(java.time.Duration.ofSeconds(2))
      .proxy(java.net.ProxySelector.of(null)).build();

  private final RouterClient client;
  private final RouterClient.Admin admin;
  private final PortAllocator ports;
  private final IntSupplier lastAdminPort;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock: what the router has, as it said.
  private long generation;
  private final Map<String, JsonNode> services = new TreeMap<>();
  /** The generation at which each service's entry last changed, as far as this client has seen. */
  private final Map<String, Long> changedAt = new HashMap<>();
  private final Map<String, Integer> frontPorts = new HashMap<>();

  /**
   * @param lastAdminPort the admin port last known, for {@link #metrics()} while the router restarts
   */
  RouterTraffic(RouterClient.Admin admin, PortAllocator ports, IntSupplier lastAdminPort) {
    this.admin = admin;
    this.client = new RouterClient(admin);
    this.ports = ports;
    this.lastAdminPort = lastAdminPort;
  }

  /** Reads the router's config: after a reattach (or a restart that reloaded its routes) it is the truth. */
  void load() throws TargetException {
    lock.lock();
    try {
      reloadLocked();
      for (var e : services.entrySet()) {
        int listen = RouterConfig.listen(e.getValue());
        if (listen > 0 && !frontPorts.containsKey(e.getKey())) {
          // The router listens there already; the allocator would see it busy and pick another.
          ports.claim(frontOwner(e.getKey()), listen);
          frontPorts.put(e.getKey(), listen);
        }
      }
    } catch (IOException e) {
      throw new TargetException(null, "cannot record the router's front ports: " + e.getMessage(),
          "check that .slipway/state/ports.json is writable", e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int frontPort(String service) throws TargetException {
    StateLayout.checkName("service", service);
    lock.lock();
    try {
      Integer port = frontPorts.get(service);
      if (port == null) {
        port = ports.allocate(frontOwner(service), true);
        frontPorts.put(service, port);
      }
      return port;
    } catch (IOException e) {
      throw new TargetException(service, "cannot allocate the front port of `" + service + "`: " + e.getMessage(),
          "check that .slipway/state/ports.json is writable", e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Applied route(String service, Route route, long expected) throws TargetException {
    int listen = frontPort(service);
    JsonNode entry = asRead(RouterConfig.toJson(route, listen));
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        if (changedAt.getOrDefault(service, 0L) > expected && !entry.equals(services.get(service))) {
          // Somebody else changed this service's routes after the state the caller computed from.
          return appliedLocked(service, false);
        }
        Map<String, JsonNode> next = new TreeMap<>(services);
        next.put(service, entry);
        RouterClient.Response r = client.put("/routes", body(generation, next));
        switch (r.status()) {
          case 200 -> {
            generation = readGeneration(r, generation + 1);
            services.put(service, entry);
            changedAt.put(service, generation);
            // Read back: what users and the analysis are told is what the router applies.
            reloadLocked();
            return appliedLocked(service, true);
          }
          case 409 -> {
            if (attempt > 3) {
              throw new TargetException(service, "the router's routes kept changing while Slipway was changing"
                  + " them", "is another control plane running for this application? Stop it, then retry",
                  List.of());
            }
            long was = generation;
            reloadLocked();
            if (entry.equals(services.get(service))) {
              // Our own PUT went through although its answer was lost (the client retried it).
              return appliedLocked(service, true);
            }
            LOG.log(System.Logger.Level.INFO, "router config moved from generation " + was + " to " + generation
                + " under us; the routes of " + service + (changedAt.getOrDefault(service, 0L) > expected
                ? " changed too: not overwriting them" : " did not: writing them at the new generation"));
          }
          case 400 -> throw refused(service, r);
          case 401, 403 -> throw new TargetException(service, "the router refused Slipway's token (" + r.status()
              + ")", "the token file .slipway/router/token changed under a running router; run `slipway down`"
              + " and `slipway up`", admin.evidence());
          default -> throw unexpected(service, "PUT /routes", r);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Applied applied(String service) throws TargetException {
    lock.lock();
    try {
      reloadLocked();
      return appliedLocked(service, false);
    } finally {
      lock.unlock();
    }
  }

  private Applied appliedLocked(String service, boolean written) {
    JsonNode node = services.get(service);
    return new Applied(generation, node == null ? null : RouterConfig.fromJson(node), written);
  }

  @Override
  public List<BackendState> backends(String service) throws TargetException {
    StateLayout.checkName("service", service);
    RouterClient.Response r = client.get("/routes/" + service + "/backends");
    if (r.status() == 404) {
      return List.of(); // not routed (yet)
    }
    if (r.status() != 200) {
      throw unexpected(service, "GET /routes/" + service + "/backends", r);
    }
    try {
      List<BackendState> out = new ArrayList<>();
      for (JsonNode b : r.json()) {
        out.add(new BackendState(b.path("id").asText(), b.path("version").asText(), b.path("state").asText(),
            b.path("inflight").asInt(), b.path("openConnections").asInt()));
      }
      return out;
    } catch (IOException e) {
      throw unexpected(service, "GET /routes/" + service + "/backends", r);
    }
  }

  @Override
  public MetricsEndpoint metrics() {
    int port;
    try {
      port = admin.port();
    } catch (IOException e) {
      port = lastAdminPort.getAsInt(); // restarting: the caller retries its scrape anyway
    }
    return new MetricsEndpoint("http://127.0.0.1:" + port + "/metrics",
        Map.of("Authorization", "Bearer " + admin.token()));
  }

  /**
   * A smoke check of one release: pinned through the front port where clients may pin; where they
   * may not, the router would ignore the pin, so the check goes straight to an active instance of it.
   */
  @Override
  public int get(String service, String release, String path, java.time.Duration timeout)
      throws TargetException, IOException, InterruptedException {
    JsonNode entry;
    lock.lock();
    try {
      entry = services.get(service);
    } finally {
      lock.unlock();
    }
    if (entry == null || entry.path("pinning").asBoolean(true)) {
      return Traffic.super.get(service, release, path, timeout);
    }
    for (JsonNode b : entry.path("backends")) {
      if (release.equals(b.path("version").asText()) && !"draining".equals(b.path("state").asText())) {
        return DIRECT.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
            + b.path("port").asInt() + path)).timeout(timeout).GET().build(),
            java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
      }
    }
    throw new IOException("no active instance of " + release + " to send it to");
  }

  /** The admin port as {@link RouterClient} finds it: only once the router there is confirmed ours. */
  @Override
  public String confirmedMetricsUrl() throws IOException {
    return "http://127.0.0.1:" + admin.port() + "/metrics";
  }

  /**
   * Removes every route (on a clean shutdown, before the router stops), so the next router does not
   * start serving backends that no longer exist.
   */
  void clear() throws TargetException {
    lock.lock();
    try {
      if (services.isEmpty()) {
        return;
      }
      RouterClient.Response r = client.put("/routes", body(generation, Map.of()));
      if (r.status() == 409) {
        reloadLocked();
        r = client.put("/routes", body(generation, Map.of()));
      }
      if (r.status() != 200) {
        throw unexpected(null, "PUT /routes", r);
      }
      generation = readGeneration(r, generation + 1);
      for (String service : services.keySet()) {
        changedAt.put(service, generation);
      }
      services.clear();
    } finally {
      lock.unlock();
    }
  }

  long generation() {
    lock.lock();
    try {
      return generation;
    } finally {
      lock.unlock();
    }
  }

  void close() {
    client.close();
  }

  private void reloadLocked() throws TargetException {
    RouterClient.Response r = client.get("/routes");
    if (r.status() != 200) {
      throw unexpected(null, "GET /routes", r);
    }
    try {
      JsonNode config = r.json();
      long read = config.path("generation").asLong();
      if (read < generation) {
        // The router started over from an older routes.json (or it is another router): take it as it is.
        LOG.log(System.Logger.Level.WARNING, "the router's config generation went back from " + generation
            + " to " + read);
        changedAt.replaceAll((service, at) -> read);
      }
      Map<String, JsonNode> now = new TreeMap<>();
      config.path("services").properties().forEach(e -> now.put(e.getKey(), e.getValue()));
      for (String service : union(now.keySet(), services.keySet())) {
        if (!java.util.Objects.equals(now.get(service), services.get(service))) {
          changedAt.put(service, read);
        }
      }
      generation = read;
      services.clear();
      services.putAll(now);
    } catch (IOException e) {
      throw unexpected(null, "GET /routes", r);
    }
  }

  /** The entry as it reads back from JSON text (ints and longs alike), so it compares with what the router says. */
  private static JsonNode asRead(ObjectNode entry) throws TargetException {
    try {
      return JsonFiles.MAPPER.readTree(entry.toString());
    } catch (IOException e) {
      throw new TargetException(null, "cannot write the router config: " + e.getMessage(), null, e);
    }
  }

  private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
    java.util.Set<String> all = new java.util.TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  private static String body(long generation, Map<String, JsonNode> services) throws TargetException {
    ObjectNode config = JsonFiles.MAPPER.createObjectNode();
    config.put("generation", generation);
    ObjectNode s = config.putObject("services");
    services.forEach(s::set);
    try {
      return JsonFiles.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(config);
    } catch (IOException e) {
      throw new TargetException(null, "cannot write the router config: " + e.getMessage(), null, e);
    }
  }

  private static long readGeneration(RouterClient.Response r, long fallback) {
    try {
      return r.json().path("generation").asLong(fallback);
    } catch (IOException e) {
      return fallback;
    }
  }

  /** A 400: the router's {@code {title, status, type, details}} becomes the exception's message and details. */
  private static TargetException refused(String service, RouterClient.Response r) {
    String title = "invalid config";
    List<String> details = new ArrayList<>();
    try {
      JsonNode problem = r.json();
      title = problem.path("title").asText(title);
      for (JsonNode d : problem.path("details")) {
        details.add(d.isTextual() ? d.asText() : d.toString());
      }
    } catch (IOException e) {
      details.add(r.body());
    }
    return new TargetException(service, "the router refused the routes of `" + service + "`: " + title,
        "this is a bug in Slipway's routing (the details below say what the router objected to); please report it",
        details);
  }

  private TargetException unexpected(String service, String what, RouterClient.Response r) {
    String body = r.body() == null ? "" : r.body().length() > 300 ? r.body().substring(0, 300) + "..." : r.body();
    return new TargetException(service, what + ": the router answered " + r.status() + " " + body,
        "see logs/router.log (its last lines are below)", admin.evidence());
  }

  static String frontOwner(String service) {
    return "front:" + service;
  }
}
