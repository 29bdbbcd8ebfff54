package dev.slipway.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The registry of release strategies: one constant per strategy, with the id users see (CLI
 * {@code --strategy}, API JSON, history, events) and the key a model file writes it under. Every
 * place that handles strategies switches over this enum or over the sealed {@link StrategySpec} with
 * no {@code default} branch, so a new constant is a compile error wherever it is not handled yet
 * (the binder here, the planner in {@code slipway-plan}, the engine's persisted form); see
 * {@code docs/adding-a-strategy.md}.
 */
public enum StrategyKind {
  ROLLING("rolling", "rolling"),
  BLUE_GREEN("blue-green", "blueGreen"),
  CANARY("canary", "canary");

  private final String id;
  private final String modelKey;

  StrategyKind(String id, String modelKey) {
    this.id = id;
    this.modelKey = modelKey;
  }

  /** The stable id: {@code deploy --strategy}, the API, history and stored deployments use it. */
  public String id() {
    return id;
  }

  /** The key under {@code strategy:} in a model file (camelCase like every model key). */
  public String modelKey() {
    return modelKey;
  }

  /**
   * The settings {@code deploy --strategy ID} uses for a service whose model names another strategy
   * (and a model file that writes the key with no settings, except canary, which needs its steps).
   */
  public StrategySpec defaults() {
    return switch (this) {
      case ROLLING -> new StrategySpec.Rolling(1, 0);
      case BLUE_GREEN -> new StrategySpec.BlueGreen(StrategySpec.BlueGreen.DEFAULT_ROLLBACK_WINDOW, List.of());
      case CANARY -> new StrategySpec.Canary(List.of(new CanaryStep.SetWeight(10), defaultAnalysis(),
          new CanaryStep.SetWeight(50), defaultAnalysis()));
    };
  }

  /** The strategy named {@code name}: its id, or (as a model file spells it) its model key. */
  public static Optional<StrategyKind> byName(String name) {
    return Arrays.stream(values()).filter(k -> k.id.equals(name) || k.modelKey.equals(name)).findFirst();
  }

  /** The ids, for messages: "rolling, blue-green or canary". */
  public static String ids() {
    List<String> ids = Arrays.stream(values()).map(StrategyKind::id).toList();
    return String.join(", ", ids.subList(0, ids.size() - 1)) + " or " + ids.get(ids.size() - 1);
  }

  /** The model keys in declaration order. */
  public static List<String> modelKeys() {
    return Arrays.stream(values()).map(StrategyKind::modelKey).toList();
  }

  private static CanaryStep.Analysis defaultAnalysis() {
    return new CanaryStep.Analysis(0.01, null, null, CanaryStep.Analysis.DEFAULT_MIN_REQUESTS,
        CanaryStep.Analysis.DEFAULT_TIMEOUT);
  }
}
