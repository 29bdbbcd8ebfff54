package dev.slipway.engine;

import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.Target;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.Reference;
import dev.slipway.model.Template;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resolves model references against what is running now: endpoints, instance ports, secrets.
 * {@code ${self.port}} is the port of the instance being started, the one it also gets as {@code PORT}.
 */
final class References {
  private final Map<String, ResourceRuntime> resources;
  private final Map<String, ServiceRuntime> services;
  private final Map<String, String> secrets;
  private final Target target;
  private final SecretMasker masker;

  References(Map<String, ResourceRuntime> resources, Map<String, ServiceRuntime> services,
      Map<String, String> secrets, Target target, SecretMasker masker) {
    this.resources = resources;
    this.services = services;
    this.secrets = secrets;
    this.target = target;
    this.masker = masker;
  }

  /** Renders text that belongs to no instance (a resource's url); {@code ${self.…}} has no value there. */
  String render(Template template) {
    return render(template, 0);
  }

  /** Renders a value of the instance listening on {@code selfPort} (0: it has no port). */
  String render(Template template, int selfPort) {
    return template.render(ref -> resolve(ref, selfPort));
  }

  Map<String, String> renderAll(Map<String, Template> env, int selfPort) {
    Map<String, String> out = new LinkedHashMap<>();
    env.forEach((k, v) -> out.put(k, render(v, selfPort)));
    return out;
  }

  private String resolve(Reference ref, int selfPort) {
    return switch (ref.kind()) {
      case SELF -> {
        if (selfPort <= 0) {
          throw new IllegalStateException(ref + " used where no instance port is known");
        }
        yield Integer.toString(selfPort);
      }
      case SECRETS -> {
        if (KeptSecrets.isKept(ref)) {
          try {
            yield KeptSecrets.resolve(ref, target, masker);
          } catch (TargetException e) {
            throw new IllegalStateException(e.getMessage() + "; " + e.hint(), e);
          }
        }
        yield value(secrets.get(ref.name()), ref);
      }
      case RESOURCES -> {
        ResourceRuntime r = resources.get(ref.name());
        if (r == null || r.handle == null) {
          throw new IllegalStateException(ref + " used before resource " + ref.name() + " started");
        }
        yield value(r.handle.endpoint().get(ref.attribute()), ref);
      }
      case SERVICES -> {
        ServiceRuntime s = services.get(ref.name());
        if (s == null) {
          throw new IllegalStateException(ref + " names an unknown service");
        }
        // Routed services are reached through the router's stable front port, whatever release runs.
        int port = s.frontPort > 0 ? s.frontPort : s.instances().stream().findFirst()
            .map(i -> i.port).orElseThrow(() -> new IllegalStateException(ref + " names a service without instances"));
        yield switch (ref.attribute()) {
          case "url" -> "http://127.0.0.1:" + port;
          case "host" -> "127.0.0.1";
          case "port" -> Integer.toString(port);
          default -> throw new IllegalStateException("unknown attribute in " + ref);
        };
      }
    };
  }

  private static String value(String v, Reference ref) {
    if (v == null) {
      throw new IllegalStateException(ref + " has no value on this target");
    }
    return v;
  }
}
