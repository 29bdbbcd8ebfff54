package dev.slipway.model;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Checks every {@code ${…}} written in the model ({@code run}, {@code build.command}, {@code env}
 * values, resource {@code url}) against what the model defines, once all sections are bound. Each
 * error points at the {@code $} of the reference.
 */
final class References {
  /** What each backing-service type can tell a service; the rest would resolve to nothing. */
  static final Map<BackingServiceType, List<String>> ATTRIBUTES = Map.of(
      BackingServiceType.POSTGRES, Reference.Kind.RESOURCES.attributes(),
      BackingServiceType.REDIS, List.of("url", "host", "port", "username", "password"),
      BackingServiceType.PROMETHEUS, List.of("url", "host", "port"));

  private References() {}

  static void check(Binding b, Map<String, ServiceSpec> services, Map<String, BackingServiceSpec> resources) {
    for (Binding.TemplateSite site : b.templates) {
      List<Reference> refs = site.template().references();
      List<Integer> offsets = Template.referenceOffsets(site.template().raw());
      for (int i = 0; i < refs.size(); i++) {
        SourceLocation at = b.problems.inScalar(site.node(), i < offsets.size() ? offsets.get(i) : 0);
        check(b, refs.get(i), at, site.path(), services, resources);
      }
    }
  }

  private static void check(Binding b, Reference ref, SourceLocation at, String path,
      Map<String, ServiceSpec> services, Map<String, BackingServiceSpec> resources) {
    switch (ref.kind()) {
      case RESOURCES -> {
        if (!defined(b, ref, at, path, "resource", b.resourceKeys, "define it under `resources:`")) {
          return;
        }
        BackingServiceSpec r = resources.get(ref.name());
        if (r != null && !ATTRIBUTES.get(r.type()).contains(ref.attribute())) {
          b.problems.error(at, path, "`" + ref.attribute() + "` is not available for " + r.type().key()
              + " resource `" + ref.name() + "` in `" + ref + "`",
              r.type().key() + " offers " + String.join(", ", ATTRIBUTES.get(r.type())));
        }
      }
      case SERVICES -> {
        if (!defined(b, ref, at, path, "service", b.serviceKeys, "define it under `services:`")) {
          return;
        }
        ServiceSpec s = services.get(ref.name());
        if (s != null && s.port() == null && !"host".equals(ref.attribute())) {
          b.problems.error(at, path, "service `" + ref.name() + "` has no port, so `" + ref + "` has no value",
              "give it a `port:`, e.g. `port: 8080`");
        }
      }
      case SECRETS -> defined(b, ref, at, path, "secret", b.secretKeys,
          "declare it under `secrets:`, e.g. `" + ref.name() + ": env:" + envName(ref.name()) + "`");
    }
  }

  private static boolean defined(Binding b, Reference ref, SourceLocation at, String path, String what,
      Map<String, Node> known, String fallbackHint) {
    if (known.containsKey(ref.name())) {
      return true;
    }
    Set<String> names = known.keySet();
    String close = Suggest.closest(ref.name(), names);
    b.problems.error(at, path, "undefined " + what + " `" + Scalars.abbreviate(ref.name()) + "` in `"
            + Scalars.abbreviate(ref.toString()) + "`",
        close != null ? "did you mean `" + close + "`?"
            : names.isEmpty() ? fallbackHint : fallbackHint + "; defined: " + Names.list(names));
    return false;
  }

  private static String envName(String secret) {
    return secret.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('-', '_').toUpperCase(java.util.Locale.ROOT);
  }
}
