package dev.slipway.model;

import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Which environment a command may load. Commands use {@code dev} unless {@code --env} names another;
 * a model without {@code environments:} runs as an implicit local {@code dev}. A model that declares
 * environments declares {@code dev} too, so that {@code dev} never silently means the base model
 * while the user's local settings sit in an environment of another name.
 */
final class Environments {
  private Environments() {}

  /** Reports {@code environment}, which the model does not declare. */
  static void unknown(Binding b, String environment, Set<String> declared, boolean local) {
    YamlMap app = b.root;
    SourceLocation at = app.has("environments") ? app.keyLocation("environments") : b.problems.start();
    String name = Scalars.abbreviate(environment);
    String message = "unknown environment `" + name + "`";
    if (declared.isEmpty()) {
      // a model with environments declares `dev` too, so the first one comes with it
      String entries = "dev: { target: local }, " + name + ": { target: " + (local ? "local" : "kubernetes") + " }";
      b.problems.error(at, "environments", message, "this model declares no environments; add e.g. `environments: { "
          + entries + " }`", addFirst(b, environment, entries));
      return;
    }
    if (environment.equals(ModelLoader.DEFAULT_ENVIRONMENT)) {
      b.problems.error(at, "environments", message, "commands use `dev` unless --env names another; add `dev: "
          + "{ target: local }` under `environments:`, or pass --env with one of " + Names.list(declared),
          Fixes.insertEntry(ModelFix.Kind.ENVIRONMENT_DEV, app.get("environments"), "dev: { target: local }"));
      return;
    }
    String close = Suggest.closest(environment, declared);
    b.problems.error(at, "environments", message,
        (close != null ? "did you mean `" + close + "`? " : "") + "declared: " + Names.list(declared));
  }

  /** The fix that declares the model's first environment; null when the name or the file rule it out. */
  private static ModelFix addFirst(Binding b, String environment, String entries) {
    if (!Names.isDnsLabel(environment)) {
      return null;
    }
    Node section = b.root.raw("environments");
    if (section == null) {
      return Fixes.insertEntry(ModelFix.Kind.ENVIRONMENT_ADD, b.root.node(), "environments: { " + entries + " }");
    }
    return section instanceof MappingNode ? Fixes.insertEntry(ModelFix.Kind.ENVIRONMENT_ADD, section, entries) : null;
  }

  /**
   * Reports a selected environment that does not run on this machine. For {@code dev}, the one
   * {@code slipway up} runs when given no {@code --env}, the model is what needs to change.
   */
  static void requireLocal(Binding b, EnvironmentBinder.Result envs, String environment) {
    EnvironmentSpec spec = envs.specs().get(environment);
    Node target = envs.targets().get(environment);
    if (spec == null || spec.target() == EnvironmentSpec.TargetKind.LOCAL || target == null) {
      return;
    }
    String path = "environments." + environment + ".target";
    String message = "environment `" + Scalars.abbreviate(environment) + "` targets " + spec.target().key()
        + "; `slipway up` runs environments whose target is local";
    if (environment.equals(ModelLoader.DEFAULT_ENVIRONMENT)) {
      b.problems.error(target, path, message, "`dev` is what `slipway up` runs without --env; write `target: "
          + "local`, and give the cluster environment another name (e.g. `staging`)",
          Fixes.replace(ModelFix.Kind.TARGET_LOCAL, target, "local"));
    } else {
      b.problems.error(target, path, message, "run a local environment, e.g. --env dev");
    }
  }
}
