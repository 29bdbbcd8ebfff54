package dev.slipway.generate;

import dev.slipway.model.AppSpec;
import dev.slipway.model.EnvironmentSpec;
import dev.slipway.model.ModelLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The shop example and small fixtures, loaded per environment, for the Kubernetes-family tests. */
final class KubeFixtures {
  static final Path SHOP = Path.of("../examples/shop/slipway.yaml");

  private KubeFixtures() {}

  static Path fixture(String name) {
    return Path.of("src/test/resources/kubernetes", name);
  }

  static AppSpec load(Path model, String environment) {
    return ModelLoader.load(model, environment);
  }

  /** Options for {@code environment} with every environment of the model loaded. */
  static GenerateOptions options(Path model, String environment, boolean argoRollouts) {
    return GenerateOptions.of(ModelLoader.load(model, environment), argoRollouts, null, null);
  }

  static List<Map<String, Object>> objects(Path model, String environment, boolean argoRollouts) {
    return KubernetesGenerator.objects(load(model, environment), options(model, environment, argoRollouts));
  }

  /** The environments of {@code model} whose target is kubernetes, in file order. */
  static List<String> kubernetesEnvironments(Path model) {
    List<String> out = new ArrayList<>();
    for (EnvironmentSpec e : ModelLoader.load(model, null).environments().values()) {
      if (e.target() == EnvironmentSpec.TargetKind.KUBERNETES) {
        out.add(e.name());
      }
    }
    return out;
  }

  static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
    return objects.stream().filter(o -> kind.equals(Kube.kind(o)) && name.equals(Kube.name(o))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + objects.stream()
            .map(o -> Kube.kind(o) + "/" + Kube.name(o)).toList()));
  }

  /** The value at a dotted path; list items by index ({@code spec.template.spec.containers.0.image}). */
  @SuppressWarnings("unchecked")
  static Object at(Object tree, String path) {
    Object cur = tree;
    for (String p : path.split("\\.")) {
      if (cur instanceof Map<?, ?> m) {
        cur = ((Map<String, Object>) m).get(p);
      } else if (cur instanceof List<?> l) {
        cur = l.get(Integer.parseInt(p));
      } else {
        return null;
      }
    }
    return cur;
  }
}
