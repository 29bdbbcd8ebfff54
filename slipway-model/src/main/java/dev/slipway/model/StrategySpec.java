package dev.slipway.model;

import java.time.Duration;
import java.util.List;

/**
 * How a new version of a service is released. Exactly one variant per service, one variant per
 * {@link StrategyKind}.
 */
public sealed interface StrategySpec {

  /** Which registered strategy this is. */
  StrategyKind kind();

  /** The stable id shown to users and stored with a deployment ({@code blue-green}, not the model key). */
  default String id() {
    return kind().id();
  }

  /** The strategy a service gets when it names none. */
  static StrategySpec defaultStrategy() {
    return StrategyKind.ROLLING.defaults();
  }

  /** Replace instances {@code maxSurge} at a time, never dropping below replicas - maxUnavailable. */
  record Rolling(int maxSurge, int maxUnavailable) implements StrategySpec {
    @Override
    public StrategyKind kind() {
      return StrategyKind.ROLLING;
    }
  }

  /**
   * Start the new set beside the old, check it, switch all traffic at once, keep the old set warm
   * for {@code rollbackWindow}.
   */
  record BlueGreen(Duration rollbackWindow, List<SmokeCheck> smoke) implements StrategySpec {
    public static final Duration DEFAULT_ROLLBACK_WINDOW = Duration.ofMinutes(5);

    public BlueGreen {
      smoke = Maps.frozen(smoke);
    }

    @Override
    public StrategyKind kind() {
      return StrategyKind.BLUE_GREEN;
    }
  }

  /** Shift traffic to the new version step by step, analysing it against the stable one. */
  record Canary(List<CanaryStep> steps) implements StrategySpec {
    public Canary {
      steps = Maps.frozen(steps);
    }

    @Override
    public StrategyKind kind() {
      return StrategyKind.CANARY;
    }
  }

  /**
   * An HTTP check run against the new set before a blue-green switch.
   *
   * @param name   unique name (lists of smoke checks merge by name across environments)
   * @param path   request path
   * @param expect expected status code (default 200)
   */
  record SmokeCheck(String name, String path, int expect) {}
}
