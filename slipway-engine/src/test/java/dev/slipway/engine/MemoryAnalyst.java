package dev.slipway.engine;

import dev.slipway.model.CanaryStep;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Judges canaries of a {@link MemoryWorld}: a candidate whose release has {@code ERRORS=1} fails as soon
 * as it takes traffic; any other passes once it has taken traffic for {@link #PASS_AFTER}; before that,
 * and while it takes none, the verdict is inconclusive.
 */
final class MemoryAnalyst implements Analyst {
  static final Duration PASS_AFTER = Duration.ofSeconds(2);
  private final MemoryWorld world;

  MemoryAnalyst(MemoryWorld world) {
    this.world = world;
  }

  @Override
  public Window open(String service, String stable, String candidate, CanaryStep.Analysis limits) {
    return new Window() {
      private Instant trafficSince;

      @Override
      public Verdict evaluate() {
        if (world.weight(service, candidate) == 0) {
          trafficSince = null;
          return new Verdict("inconclusive", "no canary requests yet (0 of " + limits.minRequests() + ")", Map.of());
        }
        Instant now = world.clock.now();
        if (trafficSince == null) {
          trafficSince = now;
        }
        long seconds = Duration.between(trafficSince, now).toSeconds();
        boolean starved = world.processes.values().stream()
            .anyMatch(p -> p.spec.release().equals(candidate) && "inconclusive".equals(p.env("ANALYSIS")));
        if (starved) {
          return new Verdict("inconclusive", "canary: 3 of " + limits.minRequests() + " requests needed so far",
              Map.of("windowSeconds", seconds));
        }
        boolean errors = world.processes.values().stream()
            .anyMatch(p -> p.spec.release().equals(candidate) && "1".equals(p.env("ERRORS")));
        if (errors) {
          return new Verdict("fail", "canary error rate 100% exceeded the 1% limit; stable 0%",
              Map.of("canaryErrorRate", 1.0, "windowSeconds", seconds));
        }
        if (!now.isBefore(trafficSince.plus(PASS_AFTER))) {
          return new Verdict("pass", "canary error rate 0% within the 1% limit", Map.of("canaryErrorRate", 0.0,
              "windowSeconds", seconds));
        }
        return new Verdict("inconclusive", "canary: too few requests so far", Map.of("windowSeconds", seconds));
      }
    };
  }
}
