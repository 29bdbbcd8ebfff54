package dev.slipway.analysis;

import static dev.slipway.analysis.ShareLimit.percent;

/** Verdict texts of the error-rate limit: {@code error rate 5.2% > 1% (canary 52/1000, stable 0.1% 1/950)}. */
record ErrorTexts(VersionCounters canary, VersionCounters stable, double limit) implements ShareLimit.Texts {

  @Override
  public String breached(boolean compared) {
    return head() + " > " + percent(limit) + " (canary " + canary.errors() + "/" + canary.requests() + ", stable "
        + (compared ? percent(stable.errorRate()) + " " + stable.errors() + "/" + stable.requests()
            : stable.requests() + " requests, too few to compare") + ")";
  }

  @Override
  public String sameAsStable() {
    return head() + " > " + percent(limit) + ", but stable is as bad (" + percent(stable.errorRate()) + " "
        + stable.errors() + "/" + stable.requests() + "): not the canary's fault";
  }

  @Override
  public String notYetWorseThanStable() {
    return head() + " > " + percent(limit) + " (canary " + canary.errors() + "/" + canary.requests()
        + "), not yet clearly worse than stable (" + percent(stable.errorRate()) + " " + stable.errors() + "/"
        + stable.requests() + ")";
  }

  @Override
  public String holds() {
    return head() + " (" + canary.errors() + "/" + canary.requests() + ") < " + percent(limit);
  }

  @Override
  public String undecided() {
    return canary.requests() == 0 ? "error rate unknown: no canary requests yet"
        : head() + " (" + canary.errors() + "/" + canary.requests() + ") not yet shown below " + percent(limit);
  }

  private String head() {
    return "error rate " + percent(canary.errorRate());
  }
}
