package dev.slipway.engine;

import dev.slipway.model.CanaryStep;
import java.util.Map;

/**
 * Judges a candidate against the stable release while a rollout runs. One {@link Window} per
 * analysis: it takes its baseline when opened and can be asked for a verdict as often as wanted.
 */
interface Analyst {

  /** Opens a window comparing {@code candidate} with {@code stable} on {@code service}. */
  Window open(String service, String stable, String candidate, CanaryStep.Analysis limits) throws EngineException;

  /** A running comparison. */
  interface Window {
    Verdict evaluate();
  }

  /**
   * A verdict with the values behind it.
   *
   * @param outcome      {@code pass}, {@code fail} or {@code inconclusive}
   * @param reason       one line, e.g. "error rate 5.2% > 1% (canary 52/1000, stable 1/950)"
   * @param measurements numbers for history and progress output
   */
  record Verdict(String outcome, String reason, Map<String, Object> measurements) {
    boolean failed() {
      return "fail".equals(outcome);
    }

    boolean passed() {
      return "pass".equals(outcome);
    }

    /**
     * A progress line that names the window it judged, so that two analyses over different windows
     * (an analysis step's, the background guard's) do not seem to contradict each other:
     * "analysis step over 4.2 s: inconclusive — canary: 42 of 200 requests needed so far, …".
     */
    String line(String what) {
      String over = measurements.get("windowSeconds") instanceof Number n
          ? " over " + Durations.format(java.time.Duration.ofMillis(Math.round(n.doubleValue() * 1000))) : "";
      return what + over + ": " + outcome + " — " + reason;
    }
  }
}
