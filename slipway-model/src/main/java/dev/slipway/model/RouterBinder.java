package dev.slipway.model;

import org.yaml.snakeyaml.nodes.Node;

/**
 * {@code environments.NAME.router}: what the environment's router lets clients choose and see, and its
 * limits. Unset keys take the environment's defaults ({@link RouterSpec#defaultsFor}) and the router's.
 */
final class RouterBinder {

  private RouterBinder() {}

  /** The environment's router settings; its defaults when it has no {@code router:} (or it is invalid). */
  static RouterSpec router(Problems p, YamlMap env, String environment, String target) {
    RouterSpec defaults = RouterSpec.defaultsFor(environment);
    YamlMap router = env.map("router", ModelKeys.ROUTER,
        "write e.g. `router: { pinning: false, requestHeadTimeout: 10s, maxConnections: 10000 }`");
    if (router == null) {
      return defaults;
    }
    if (target != null && !target.equals("local")) {
      p.error(env.keyNode("router"), env.path("router"), "`router` is only used with `target: local`",
          "remove `router:`; a cluster environment's traffic goes through its ingress, not Slipway's router");
      return defaults;
    }
    return new RouterSpec(flag(p, router, "pinning", defaults.pinning()),
        flag(p, router, "versionHeader", defaults.versionHeader()), limits(router));
  }

  private static RouterLimits limits(YamlMap router) {
    return new RouterLimits(
        router.integer("maxConnections", 1, 1_000_000, "write the number of client connections, e.g. `maxConnections: 10000`"),
        router.duration("requestHeadTimeout", true),
        router.duration("bodyIdleTimeout", true),
        router.duration("keepAliveTimeout", true),
        router.duration("tunnelIdleTimeout", true),
        router.integer("maxConnectionsPerBackend", 1, 1_000_000,
            "write the number of connections to one instance, e.g. `maxConnectionsPerBackend: 4096`"));
  }

  private static boolean flag(Problems p, YamlMap map, String key, boolean otherwise) {
    Node n = map.get(key);
    if (n == null) {
      return otherwise;
    }
    Boolean b = Scalars.bool(p, n, map.path(key));
    return b == null ? otherwise : b;
  }
}
