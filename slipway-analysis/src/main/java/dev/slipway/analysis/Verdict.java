package dev.slipway.analysis;

/**
 * The outcome of one evaluation of a canary: {@link Pass}, {@link Fail} or {@link Inconclusive},
 * each with the numbers it rests on and a one-line reason for people, e.g.
 * {@code error rate 5.2% > 1% (canary 52/1000, stable 0.1% 1/950)}.
 */
public sealed interface Verdict {

  /** One line, for logs, events and {@code slipway history}. */
  String reason();

  Measurements measurements();

  /** Enough canary requests, and every limit holds with confidence. */
  record Pass(String reason, Measurements measurements) implements Verdict {}

  /**
   * A limit is breached with confidence, and the canary is worse than stable.
   *
   * @param check the model key of the breached limit: {@code maxErrorRate}, {@code maxLatencyP95},
   *              {@code maxLatencyP99}, or {@code queries.NAME}
   */
  record Fail(String check, String reason, Measurements measurements) implements Verdict {}

  /** Not enough data to decide either way yet; never a pass. */
  record Inconclusive(String reason, Measurements measurements) implements Verdict {}
}
