package dev.slipway.analysis;

import static dev.slipway.analysis.ShareLimit.percent;

/**
 * Verdict texts of the error-rate limit, each saying what was measured and against what:
 * {@code canary error rate 5.2% (52 of 1000 requests) exceeded the 1% limit; stable 0.11% (1 of 950)}.
 */
record ErrorTexts(VersionCounters canary, VersionCounters stable, double limit) implements ShareLimit.Texts {

  @Override
  public String breached(boolean compared) {
    return head() + " exceeded the " + percent(limit) + " limit; " + (compared ? "stable " + rate(stable)
        : "stable had " + requests(stable.requests()) + ", too few to compare");
  }

  @Override
  public String sameAsStable() {
    return head() + " exceeds the " + percent(limit) + " limit, but stable is as bad at " + rate(stable)
        + ": not the canary's fault";
  }

  @Override
  public String notYetWorseThanStable() {
    return head() + " exceeds the " + percent(limit) + " limit, not yet clearly worse than stable at " + rate(stable);
  }

  @Override
  public String holds() {
    return head() + ", within the " + percent(limit) + " limit";
  }

  @Override
  public String undecided() {
    return canary.requests() == 0 ? "canary error rate unknown: no canary requests yet"
        : head() + ", not yet shown to be within the " + percent(limit) + " limit";
  }

  private String head() {
    return "canary error rate " + percent(canary.errorRate()) + " (" + canary.errors() + " of "
        + requests(canary.requests()) + ")";
  }

  /** {@code 0.11% (1 of 950)}. */
  private static String rate(VersionCounters v) {
    return percent(v.errorRate()) + " (" + v.errors() + " of " + v.requests() + ")";
  }

  static String requests(long n) {
    return n + (n == 1 ? " request" : " requests");
  }
}
