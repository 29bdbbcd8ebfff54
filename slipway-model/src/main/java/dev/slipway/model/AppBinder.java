package dev.slipway.model;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Binds a checked node tree to an {@link AppSpec}: the top-level keys, the selected environment's
 * overlay, every section, then the checks that span sections. Returns {@code null} when anything was
 * reported; the caller throws.
 */
final class AppBinder {
  private AppBinder() {}

  /**
   * @param environment the environment to apply, or null for the base model; {@code dev} needs no
   *                    declaration in a model without environments
   * @param local       whether the caller runs the model on this machine ({@code slipway up}): the
   *                    environment must then target {@code local}
   */
  static AppSpec bind(Node root, Problems p, Path file, String environment, boolean local) {
    YamlMap app = YamlMap.of(p, root, "", p.start(), ModelKeys.ROOT,
        "a model file is a map; start it with `name: my-app`");
    if (app == null) {
      return null;
    }
    Binding b = new Binding(p);
    b.root = app;
    String name = name(b, app);
    Map<String, SecretSpec> secrets = SecretBinder.bind(b, app);
    b.secretsNode = app.get("secrets") instanceof MappingNode m ? m : null;
    Node services = app.get("services");
    Node resources = app.get("resources");
    EnvironmentBinder.Result envs = EnvironmentBinder.bind(b, app, keys(services), keys(resources));
    if (environment != null) {
      Set<String> declared = envs.section() == null ? Set.of() : envs.section().keys();
      if (!declared.contains(environment)) {
        if (!(declared.isEmpty() && environment.equals(ModelLoader.DEFAULT_ENVIRONMENT))) {
          Environments.unknown(b, environment, declared, local);
        }
      } else {
        if (envs.overlays().containsKey(environment)) {
          EnvironmentBinder.Overlays o = envs.overlays().get(environment);
          services = Overlay.apply(services, o.services());
          resources = Overlay.apply(resources, o.resources());
        }
        if (local) {
          Environments.requireLocal(b, envs, environment);
        }
      }
    }
    b.servicesNode = services instanceof MappingNode m ? m : null;
    b.resourcesNode = resources instanceof MappingNode m ? m : null;
    Map<String, BackingServiceSpec> boundResources = ResourceBinder.bind(b, resources, app.keyLocation("resources"));
    Map<String, ServiceSpec> boundServices = ServiceBinder.bind(b, services, app.keyLocation("services"));
    for (Map.Entry<String, Node> r : b.resourceKeys.entrySet()) {
      if (b.serviceKeys.containsKey(r.getKey())) {
        p.error(r.getValue(), "resources." + r.getKey(), "`" + Scalars.abbreviate(r.getKey())
            + "` is both a service and a resource", "rename one of them; references and `dependsOn` need unique names");
      }
    }
    Dependencies.check(b);
    References.check(b, boundServices, boundResources, secrets);
    PlainText.check(b, PlainText.sections(b));
    // A cluster environment's `prometheus:` answers the queries there (the selected one, or any when none is).
    AnalysisQueries.checkPrometheus(b, envs.specs().values().stream()
        .filter(e -> environment == null || e.name().equals(environment))
        .anyMatch(e -> e.cluster().prometheus() != null));
    if (p.hasErrors() || name == null) {
      return null;
    }
    return new AppSpec(name, file.toAbsolutePath().normalize(), environment, boundServices, boundResources,
        envs.specs(), secrets, p.locations());
  }

  /** The environments a model declares, for {@code validateAll}; empty when they cannot be read. */
  static Set<String> environmentNames(Node root) {
    return root instanceof MappingNode m ? keys(value(m, "environments")) : Set.of();
  }

  private static String name(Binding b, YamlMap app) {
    Node n = app.require("name", "add `name: my-app` at the top; it names the app everywhere it is deployed");
    String name = n == null ? null : Scalars.string(b.problems, n, "name");
    if (name == null || !Names.checkDnsLabel(b.problems, n, "name", "app name", name, java.util.Set.of())) {
      return null;
    }
    b.appName = name;
    return name;
  }

  private static Set<String> keys(Node map) {
    Set<String> keys = new LinkedHashSet<>();
    if (map instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode s) {
          keys.add(s.getValue());
        }
      }
    }
    return keys;
  }

  private static Node value(MappingNode m, String key) {
    Node found = null;
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode s && key.equals(s.getValue())) {
        found = t.getValueNode();
      }
    }
    return found;
  }
}
