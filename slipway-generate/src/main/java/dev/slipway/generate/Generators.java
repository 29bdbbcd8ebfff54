package dev.slipway.generate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every generator, by its stable id, in the order {@code generate all} runs them. */
public final class Generators {
  private static final Map<String, Generator> ALL = new LinkedHashMap<>();

  static {
    for (Generator g : List.of(new ComposeGenerator(), new KubernetesGenerator(), new HelmChartGenerator(),
        new KustomizeGenerator(), new GitHubActionsGenerator(), new ArgoCdGenerator(), new FluxGenerator())) {
      ALL.put(g.id(), g);
    }
  }

  private Generators() {}

  public static List<Generator> all() {
    return List.copyOf(ALL.values());
  }

  public static Optional<Generator> byId(String id) {
    return Optional.ofNullable(ALL.get(id));
  }

  public static List<String> ids() {
    return List.copyOf(ALL.keySet());
  }
}
