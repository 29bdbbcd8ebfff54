package dev.slipway.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.engine.runtime.Traffic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One service's entry in the router's config, to and from {@link Traffic.Route}:
 * <pre>{@code
 * {"listen": 41000,
 *  "backends": [{"id": "api-r1-1", "version": "api-r1", "port": 42001, "state": "active"}, ...],
 *  "weights": {"api-r1": 90, "api-r2": 10},
 *  "drainTimeoutMs": 30000,
 *  "pinning": false, "versionHeader": false}
 * }</pre>
 * ({@code pinning} and {@code versionHeader} only when false: the router's default is true.)
 * The router also takes {@code "sticky"} (a header or cookie that keeps a user on one version);
 * nothing in the model sets it, so Slipway never sends it and ignores it when read back.
 */
final class RouterConfig {

  private RouterConfig() {}

  static ObjectNode toJson(Traffic.Route route, int listen) {
    ObjectNode node = JsonFiles.MAPPER.createObjectNode();
    node.put("listen", listen);
    ArrayNode backends = node.putArray("backends");
    for (Traffic.Backend b : route.backends()) {
      backends.addObject().put("id", b.id()).put("version", b.version()).put("port", b.port())
          .put("state", b.draining() ? "draining" : "active");
    }
    ObjectNode weights = node.putObject("weights");
    // Sorted, so the same routes always make the same bytes (diffs, logs).
    new java.util.TreeMap<>(route.weights()).forEach(weights::put);
    node.put("drainTimeoutMs", route.drainTimeout().toMillis());
    // Written only when off, as the router writes them back (so what is sent compares equal to what is read).
    if (!route.pinning()) {
      node.put("pinning", false);
    }
    if (!route.versionHeader()) {
      node.put("versionHeader", false);
    }
    return node;
  }

  static Traffic.Route fromJson(JsonNode node) {
    List<Traffic.Backend> backends = new ArrayList<>();
    for (JsonNode b : node.path("backends")) {
      backends.add(new Traffic.Backend(b.path("id").asText(), b.path("version").asText(), b.path("port").asInt(),
          "draining".equals(b.path("state").asText())));
    }
    Map<String, Integer> weights = new LinkedHashMap<>();
    node.path("weights").properties().forEach(e -> weights.put(e.getKey(), e.getValue().asInt()));
    JsonNode drain = node.path("drainTimeoutMs");
    return new Traffic.Route(backends, weights, drain.isNumber() ? Duration.ofMillis(drain.asLong()) : null,
        node.path("pinning").asBoolean(true), node.path("versionHeader").asBoolean(true));
  }

  /** The front port a service's entry listens on, or 0. */
  static int listen(JsonNode node) {
    return node.path("listen").asInt(0);
  }
}
