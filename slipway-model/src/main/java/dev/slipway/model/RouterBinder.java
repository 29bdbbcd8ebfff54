package dev.slipway.model;

import org.yaml.snakeyaml.nodes.Node;

/**
 * {@code environments.NAME.router}: what the environment's router lets clients choose and see.
 * Unset keys take the environment's defaults ({@link RouterSpec#defaultsFor}).
 */
final class RouterBinder {

  private RouterBinder() {}

  /** The environment's router settings; its defaults when it has no {@code router:} (or it is invalid). */
  static RouterSpec router(Problems p, YamlMap env, String environment) {
    RouterSpec defaults = RouterSpec.defaultsFor(environment);
    YamlMap router = env.map("router", ModelKeys.ROUTER, "write e.g. `router: { pinning: false, versionHeader: false }`");
    if (router == null) {
      return defaults;
    }
    return new RouterSpec(flag(p, router, "pinning", defaults.pinning()),
        flag(p, router, "versionHeader", defaults.versionHeader()));
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
