package dev.slipway.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/** {@code resources:}: the backing services (databases, caches, metrics) with their defaults. */
final class ResourceBinder {
  static final List<String> TYPES = Arrays.stream(BackingServiceType.values()).map(BackingServiceType::key).toList();
  static final List<String> PROVIDERS =
      Arrays.stream(BackingServiceSpec.Provider.values()).map(BackingServiceSpec.Provider::key).toList();

  private ResourceBinder() {}

  /** Binds {@code node} (the {@code resources:} map, overlay already merged) at {@code owner}. */
  static Map<String, BackingServiceSpec> bind(Binding b, Node node, SourceLocation owner) {
    Map<String, BackingServiceSpec> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    YamlMap section = YamlMap.of(b.problems, node, "resources", owner, null,
        "write one resource per line, e.g. `db: { type: postgres }`");
    if (section == null) {
      return out;
    }
    for (Map.Entry<String, NodeTuple> e : section.entries()) {
      String name = e.getKey();
      b.resourceKeys.put(name, e.getValue().getKeyNode());
      Names.checkDnsLabel(b.problems, e.getValue().getKeyNode(), section.path(name), "resource name", name);
      Node value = section.require(name, "write e.g. `" + name + ": { type: postgres }`");
      if (value == null) {
        continue;
      }
      YamlMap r = YamlMap.of(b.problems, value, section.path(name), section.keyLocation(name), ModelKeys.RESOURCE,
          "write e.g. `" + name + ": { type: postgres }`");
      BackingServiceSpec spec = r == null ? null : resource(b, name, r);
      if (spec != null) {
        out.put(name, spec);
      }
    }
    return out;
  }

  private static BackingServiceSpec resource(Binding b, String name, YamlMap r) {
    Problems p = b.problems;
    Node typeNode = r.require("type", "add `type:`, one of " + String.join(", ", TYPES));
    String typeKey = typeNode == null ? null : Scalars.choice(p, typeNode, r.path("type"), TYPES);
    BackingServiceType type = typeKey == null ? null : BackingServiceType.valueOf(typeKey.toUpperCase(Locale.ROOT));
    if (type != null) {
      b.resourceTypes.put(name, type);
    }

    String providerKey = r.get("provider") == null ? null
        : Scalars.choice(p, r.get("provider"), r.path("provider"), PROVIDERS);
    BackingServiceSpec.Provider provider = providerKey == null ? null
        : BackingServiceSpec.Provider.valueOf(providerKey.toUpperCase(Locale.ROOT));
    if (provider == null && type != null && (r.get("provider") == null)) {
      // Prometheus has no binaries on Maven Central, so it cannot be embedded.
      provider = type == BackingServiceType.PROMETHEUS ? BackingServiceSpec.Provider.LOCAL
          : BackingServiceSpec.Provider.EMBEDDED;
    }
    if (type == BackingServiceType.PROMETHEUS && provider == BackingServiceSpec.Provider.EMBEDDED) {
      p.error(r.get("provider"), r.path("provider"), "prometheus has no embedded provider",
          "use `provider: local`, `docker` or `external`");
    }

    Template url = null;
    if (provider == BackingServiceSpec.Provider.EXTERNAL) {
      Node u = r.require("url", "an external resource needs its connection URL, e.g. `url: \"${secrets."
          + name + "Url}\"`");
      url = u == null ? null : b.template(u, r.path("url"), Binding.Field.URL, null);
    } else if (r.get("url") != null) {
      p.error(r.keyNode("url"), r.path("url"), "`url` is only used with `provider: external`",
          "remove `url:`, or add `provider: external`");
    }

    String version = r.string("version");
    String database = r.string("database");
    String username = r.string("username");
    for (String key : List.of("database", "username")) {
      if (r.get(key) != null && type != null && type != BackingServiceType.POSTGRES) {
        p.error(r.keyNode(key), r.path(key), "`" + key + "` applies only to postgres", "remove `" + key + ":`");
      }
    }
    if (type == BackingServiceType.POSTGRES) {
      database = database != null ? database : b.appName;
      username = username != null ? username : b.appName;
    } else {
      database = null;
      username = null;
    }
    if (type == null || provider == null) {
      return null;
    }
    return new BackingServiceSpec(name, type, version != null ? version : type.defaultVersion(), provider, url,
        database, username);
  }
}
