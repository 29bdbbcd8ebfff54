package dev.slipway.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Checks every {@code ${…}} written in the model ({@code run}, {@code build.command}, {@code env}
 * values, resource {@code url}) against what the model defines and what the field allows, once all
 * sections are bound. Each error points at the {@code $} of the reference.
 */
final class References {
  /** What each backing-service type can tell a service; the rest would resolve to nothing. */
  static final Map<BackingServiceType, List<String>> ATTRIBUTES = Map.of(
      BackingServiceType.POSTGRES, Reference.Kind.RESOURCES.attributes(),
      BackingServiceType.REDIS, List.of("url", "host", "port", "username", "password"),
      BackingServiceType.PROMETHEUS, List.of("url", "host", "port"));
  private static final String SELF_PORT = "${self.port}";
  private static final String PORT_ENTRY = "port: 8080";
  /** {@code PORT}, {@code SERVER_PORT}, {@code http_port}: what users write for "the port I listen on". */
  private static final java.util.regex.Pattern PORT_VARIABLE = java.util.regex.Pattern.compile("(?i)(\\w*_)?PORT");

  private References() {}

  static void check(Binding b, Map<String, ServiceSpec> services, Map<String, BackingServiceSpec> resources,
      Map<String, SecretSpec> secrets) {
    for (Binding.TemplateSite site : b.templates) {
      String raw = site.template().raw();
      List<Reference> refs = site.template().references();
      List<Integer> offsets = Template.referenceOffsets(raw);
      for (int i = 0; i < refs.size(); i++) {
        int offset = i < offsets.size() ? offsets.get(i) : 0;
        check(b, refs.get(i), new Site(site, offset), services, resources);
      }
      if (!site.field().shell) {
        for (int[] span : Template.shellExpansions(raw)) {
          notExpanded(b, site, span, secrets);
        }
      }
    }
  }

  /** One reference: where it was written, and the index of its {@code $} in the raw text. */
  private record Site(Binding.TemplateSite template, int offset) {
    String path() {
      return template.path();
    }
  }

  private static void check(Binding b, Reference ref, Site site, Map<String, ServiceSpec> services,
      Map<String, BackingServiceSpec> resources) {
    SourceLocation at = b.problems.inScalar(site.template().node(), site.offset());
    String path = site.path();
    if (site.template().field() == Binding.Field.BUILD) {
      b.problems.error(at, path, "`build.command` cannot use `" + Scalars.abbreviate(ref.toString())
          + "`: a build runs outside the stack (before it starts locally, and in CI)",
          "remove the reference; a service's `env` and `run` can hold references");
      return;
    }
    switch (ref.kind()) {
      case RESOURCES -> {
        if (!defined(b, ref, site, "resource", b.resourceKeys, "define it under `resources:`", null)) {
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
        if (!defined(b, ref, site, "service", b.serviceKeys, "define it under `services:`", null)) {
          return;
        }
        ServiceSpec s = services.get(ref.name());
        if (s != null && s.port() == null && !"host".equals(ref.attribute())) {
          b.problems.error(at, path, "service `" + ref.name() + "` has no port, so `" + ref + "` has no value",
              "give it a `port:`, e.g. `" + PORT_ENTRY + "`",
              Fixes.insertEntry(ModelFix.Kind.SERVICE_PORT, b.serviceNodes.get(ref.name()), PORT_ENTRY));
        }
      }
      case SECRETS -> {
        String declaration = ref.name() + ": env:" + envName(ref.name());
        boolean declarable = Names.SECRET.matcher(ref.name()).matches()
            && Names.ENV_VAR.matcher(envName(ref.name())).matches();
        ModelFix declare = !declarable ? null : b.secretsNode != null
            ? Fixes.insertEntry(ModelFix.Kind.SECRET_DECLARE, b.secretsNode, declaration)
            : b.root.has("secrets") ? null
                : Fixes.insertEntry(ModelFix.Kind.SECRET_DECLARE, b.root.node(), "secrets: { " + declaration + " }");
        defined(b, ref, site, "secret", b.secretKeys, "declare it under `secrets:`, e.g. `" + declaration + "`",
            declare);
      }
      case SELF -> {
        String service = site.template().service();
        if (service == null) {
          b.problems.error(at, path, "`" + SELF_PORT + "` is the port of the service a value belongs to; "
              + "a resource has none", "write the resource's port itself");
        } else if (!hasKey(b.serviceNodes.get(service), "port")) {
          b.problems.error(at, path, "service `" + service + "` has no port, so `" + SELF_PORT + "` has no value",
              "give it a `port:`, e.g. `" + PORT_ENTRY + "`",
              Fixes.insertEntry(ModelFix.Kind.SELF_NEEDS_PORT, b.serviceNodes.get(service), PORT_ENTRY));
        }
      }
    }
  }

  private static boolean defined(Binding b, Reference ref, Site site, String what, Map<String, Node> known,
      String fallbackHint, ModelFix fallbackFix) {
    if (known.containsKey(ref.name())) {
      return true;
    }
    Set<String> names = known.keySet();
    String close = Suggest.closest(ref.name(), names);
    ScalarNode node = site.template().node();
    // the name follows `${` and the namespace's dot
    int nameAt = site.offset() + 2 + ref.kind().key().length() + 1;
    b.problems.error(b.problems.inScalar(node, site.offset()), site.path(), "undefined " + what + " `"
            + Scalars.abbreviate(ref.name()) + "` in `" + Scalars.abbreviate(ref.toString()) + "`",
        close != null ? "did you mean `" + close + "`?"
            : names.isEmpty() ? fallbackHint : fallbackHint + "; defined: " + Names.list(names),
        close != null ? Fixes.replaceInScalar(ModelFix.Kind.REFERENCE_NAME, node, nameAt, ref.name().length(), close)
            : fallbackFix);
    return false;
  }

  /**
   * A {@code ${…}} that is no reference, in text no shell reads: it would reach the process (or a
   * generated file) as written. {@code ${PORT}} is the usual case; {@code ${self.port}} says it.
   */
  private static void notExpanded(Binding b, Binding.TemplateSite site, int[] span, Map<String, SecretSpec> secrets) {
    String raw = site.template().raw();
    String text = raw.substring(span[0], span[1]);
    String variable = variable(text);
    SourceLocation at = b.problems.inScalar(site.node(), span[0]);
    String message = "`" + Scalars.abbreviate(text) + "` is not a reference, and no shell expands "
        + site.field().description + ", so it would stay this text";
    String secret = variable == null ? null : secretFor(variable, secrets);
    if (variable != null && site.field() == Binding.Field.ENV && PORT_VARIABLE.matcher(variable).matches()) {
      boolean hasPort = hasKey(b.serviceNodes.get(site.service()), "port");
      b.problems.error(at, site.path(), message, hasPort
          ? "did you mean `" + SELF_PORT + "`, the port this instance listens on?"
          : "give the service a `port:` and write `" + SELF_PORT + "`, the port this instance listens on",
          hasPort ? Fixes.replaceInScalar(ModelFix.Kind.SELF_PORT, site.node(), span[0], text.length(), SELF_PORT)
              : null);
    } else if (secret != null) {
      String reference = "${secrets." + secret + "}";
      b.problems.error(at, site.path(), message, "did you mean `" + reference + "`?",
          Fixes.replaceInScalar(ModelFix.Kind.SECRET_REFERENCE, site.node(), span[0], text.length(), reference));
    } else {
      b.problems.error(at, site.path(), message, "write a reference (`${resources.NAME.ATTR}`, `${services.NAME.url}`, "
          + "`${secrets.NAME}`, `" + SELF_PORT + "`), or `$${` for a literal `${`");
    }
  }

  /** The variable a shell expansion names: {@code ${HOME:-/tmp}} → {@code HOME}; null if none. */
  private static String variable(String expansion) {
    int i = 2;
    while (i < expansion.length() && (Character.isLetterOrDigit(expansion.charAt(i)) || expansion.charAt(i) == '_')) {
      i++;
    }
    String name = expansion.substring(2, i);
    return Names.ENV_VAR.matcher(name).matches() ? name : null;
  }

  /** The declared secret named {@code variable}, or read from the environment variable {@code variable}. */
  private static String secretFor(String variable, Map<String, SecretSpec> secrets) {
    if (secrets.containsKey(variable)) {
      return variable;
    }
    for (SecretSpec s : secrets.values()) {
      if (s.source() instanceof SecretSpec.FromEnv e && e.variable().equals(variable)) {
        return s.name();
      }
    }
    return null;
  }

  static boolean hasKey(MappingNode map, String key) {
    if (map == null) {
      return false;
    }
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && key.equals(k.getValue()) && !Scalars.isNull(t.getValueNode())) {
        return true;
      }
    }
    return false;
  }

  private static String envName(String secret) {
    return secret.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('-', '_').toUpperCase(Locale.ROOT);
  }
}
