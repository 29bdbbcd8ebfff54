package dev.slipway.engine;

import dev.slipway.model.CanaryStep;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An analysis window that does not judge a cold start. A fresh instance (a JVM before its JIT has
 * warmed up) answers its first requests slowly; that is not a regression. Errors are judged from the
 * first request; latency limits and queries only over a window that opens once the candidate has
 * taken traffic for {@link #WARM_UP}. Until then the verdict is never a pass.
 */
final class WarmWindow implements Analyst.Window {
  static final Duration WARM_UP = Duration.ofSeconds(10);
  private final Analyst analyst;
  private final String service;
  private final String stable;
  private final String candidate;
  private final CanaryStep.Analysis limits;
  private final Instant warmAt;
  private final EngineClock clock;
  private final Analyst.Window errors;
  private Analyst.Window full;

  WarmWindow(Analyst analyst, String service, String stable, String candidate, CanaryStep.Analysis limits,
      Instant trafficSince, EngineClock clock) throws EngineException {
    this.analyst = analyst;
    this.clock = clock;
    this.service = service;
    this.stable = stable;
    this.candidate = candidate;
    this.limits = limits;
    this.warmAt = (trafficSince == null ? clock.now() : trafficSince).plus(WARM_UP);
    boolean latency = limits.maxLatencyP95() != null || limits.maxLatencyP99() != null || !limits.queries().isEmpty();
    if (!latency || !clock.now().isBefore(warmAt)) {
      this.errors = null;
      this.full = analyst.open(service, stable, candidate, limits);
    } else {
      this.errors = limits.maxErrorRate() == null ? null : analyst.open(service, stable, candidate,
          new CanaryStep.Analysis(limits.maxErrorRate(), null, null, limits.minRequests(), limits.timeout(), List.of()));
    }
  }

  @Override
  public Analyst.Verdict evaluate() {
    if (full == null && !clock.now().isBefore(warmAt)) {
      try {
        full = analyst.open(service, stable, candidate, limits);
      } catch (EngineException e) {
        return new Analyst.Verdict("inconclusive", e.getMessage(), java.util.Map.of());
      }
    }
    Analyst.Verdict fromErrors = errors == null ? null : errors.evaluate();
    if (fromErrors != null && fromErrors.failed()) {
      return fromErrors;
    }
    if (full == null) {
      String warming = "latency is judged from " + Durations.format(WARM_UP) + " after the canary first took traffic";
      return new Analyst.Verdict("inconclusive", fromErrors == null ? "warming up: " + warming
          : fromErrors.reason() + "; " + warming,
          fromErrors == null ? java.util.Map.of() : fromErrors.measurements());
    }
    return full.evaluate();
  }
}
