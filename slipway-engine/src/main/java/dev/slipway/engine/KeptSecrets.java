package dev.slipway.engine;

import dev.slipway.engine.runtime.SecretMasker;
import dev.slipway.engine.runtime.Target;
import dev.slipway.engine.runtime.TargetException;
import dev.slipway.model.Reference;
import dev.slipway.model.SecretNames;
import dev.slipway.model.Template;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Literal values of secret-named variables ({@code ADMIN_PASSWORD: hunter2} in the model, {@code
 * --set API_TOKEN=…}) leave a release's stored configuration: each is kept in the target's secret
 * store and replaced by the reference {@code ${secrets.kept:ID}}, resolved again at every start like
 * any secret. The id is the same for the same value, so an unchanged configuration is still the
 * same release. A {@code kept:} name cannot clash with a model secret (those have no {@code :}).
 */
final class KeptSecrets {
  static final String PREFIX = "kept:";

  private KeptSecrets() {}

  /** {@code vars} with every literal secret kept and referenced; each value is registered with the masker. */
  static Map<String, String> keep(Map<String, String> vars, Target target, SecretMasker masker) throws TargetException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : vars.entrySet()) {
      Template t = parse(e.getValue());
      if (t != null && SecretNames.isLiteralSecret(e.getKey(), t)) {
        String value = t.render(ref -> "");
        masker.register(value);
        out.put(e.getKey(), "${secrets." + PREFIX + target.keepSecret(value) + "}");
      } else {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** Whether {@code ref} names a kept value. */
  static boolean isKept(Reference ref) {
    return ref.kind() == Reference.Kind.SECRETS && ref.name().startsWith(PREFIX);
  }

  /** The kept value {@code ref} names, registered with the masker. */
  static String resolve(Reference ref, Target target, SecretMasker masker) throws TargetException {
    String value = target.keptSecret(ref.name().substring(PREFIX.length())).orElseThrow(() ->
        new TargetException(null, "a release refers to " + ref + ", a kept secret the secret store of target "
            + target.id() + " does not hold (the release was made by another checkout, or the store was replaced)",
            "deploy the service again, passing the value with --set", java.util.List.of()));
    masker.register(value);
    return value;
  }

  /** Registers the kept values {@code templates} refer to with the masker, so logs mask them before any start. */
  static void registerAll(Iterable<Template> templates, Target target, SecretMasker masker) throws TargetException {
    for (Template t : templates) {
      for (Reference ref : t.references()) {
        if (isKept(ref)) {
          resolve(ref, target, masker);
        }
      }
    }
  }

  private static Template parse(String raw) {
    try {
      return Template.parse(raw);
    } catch (Template.TemplateSyntaxException e) {
      return null; // refused where the value is used, with its own message
    }
  }
}
