package dev.slipway.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every fixed key the loader accepts, per section, in documentation order. The binders check keys
 * against these lists, and {@code SchemaTest} checks that {@code docs/slipway.schema.json} describes
 * exactly the same keys, so the schema cannot drift from the loader.
 */
final class ModelKeys {
  static final List<String> ROOT = List.of("name", "secrets", "services", "resources", "environments");
  static final List<String> SERVICE = List.of("build", "run", "image", "port", "health", "env", "replicas",
      "resources", "dependsOn", "ingress", "strategy", "autoscaling");
  static final List<String> BUILD = List.of("command", "inputs", "outputs", "dockerfile");
  static final List<String> HEALTH = List.of("ready", "live", "startupTimeout", "interval");
  static final List<String> COMPUTE = List.of("cpu", "memory");
  static final List<String> INGRESS = List.of("host", "path");
  static final List<String> AUTOSCALING = List.of("min", "max", "cpu");
  static final List<String> STRATEGY = StrategyKind.modelKeys();
  static final List<String> ROLLING = List.of("maxSurge", "maxUnavailable");
  static final List<String> BLUE_GREEN = List.of("rollbackWindow", "smoke");
  static final List<String> SMOKE = List.of("name", "path", "expect");
  static final List<String> CANARY = List.of("steps");
  static final List<String> CANARY_STEP = List.of("setWeight", "pause", "analysis");
  static final List<String> PAUSE = List.of("duration");
  static final List<String> ANALYSIS = List.of("maxErrorRate", "maxLatencyP95", "maxLatencyP99", "minRequests",
      "timeout", "queries");
  static final List<String> METRIC_QUERY = List.of("name", "query", "max", "min");
  static final List<String> RESOURCE = List.of("type", "version", "provider", "url", "database", "username");
  static final List<String> ENVIRONMENT = List.of("target", "namespace", "context", "secretStore", "gateway",
      "prometheus", "gitops", "requireDigests", "router", "promotion", "protected", "services", "resources");
  static final List<String> SECRET_STORE = List.of("name", "kind");
  static final List<String> GATEWAY = List.of("name", "namespace");
  static final List<String> PROMETHEUS = List.of("url", "metrics", "requests", "buckets");
  static final List<String> GITOPS = List.of("repo", "branch", "path");
  static final List<String> PROMOTION = List.of("from", "soak", "approvals", "approvers", "window");
  static final List<String> WINDOW = List.of("days", "hours", "timezone");
  static final List<String> ROUTER = List.of("pinning", "versionHeader", "maxConnections", "requestHeadTimeout",
      "bodyIdleTimeout", "keepAliveTimeout", "tunnelIdleTimeout", "maxConnectionsPerBackend");

  private ModelKeys() {}

  /** Key lists by the name of the JSON Schema definition that describes the same section. */
  /** The settings keys of one strategy (under {@code strategy.<modelKey>}). */
  static List<String> strategySettings(StrategyKind kind) {
    return switch (kind) {
      case ROLLING -> ROLLING;
      case BLUE_GREEN -> BLUE_GREEN;
      case CANARY -> CANARY;
    };
  }

  static Map<String, List<String>> bySchemaDefinition() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("", ROOT);
    m.put("service", SERVICE);
    m.put("build", BUILD);
    m.put("health", HEALTH);
    m.put("compute", COMPUTE);
    m.put("ingress", INGRESS);
    m.put("autoscaling", AUTOSCALING);
    m.put("strategy", STRATEGY);
    for (StrategyKind kind : StrategyKind.values()) { // each strategy's settings are a definition named by its key
      m.put(kind.modelKey(), strategySettings(kind));
    }
    m.put("smokeCheck", SMOKE);
    m.put("canaryStep", CANARY_STEP);
    m.put("pause", PAUSE);
    m.put("analysis", ANALYSIS);
    m.put("metricQuery", METRIC_QUERY);
    m.put("resource", RESOURCE);
    m.put("environment", ENVIRONMENT);
    m.put("secretStore", SECRET_STORE);
    m.put("gateway", GATEWAY);
    m.put("prometheus", PROMETHEUS);
    m.put("gitops", GITOPS);
    m.put("router", ROUTER);
    m.put("promotion", PROMOTION);
    m.put("window", WINDOW);
    return m;
  }
}
