package dev.slipway.analysis;

import static dev.slipway.analysis.ShareLimit.count;
import static dev.slipway.analysis.ShareLimit.millis;

/** Verdict texts of a latency limit: {@code p99 820 ms > 500 ms (canary 31/1000 slower, stable p99 210 ms 2/950)}. */
record LatencyTexts(double q, double limit, VersionCounters canary, VersionCounters stable) implements ShareLimit.Texts {

  @Override
  public String breached(boolean compared) {
    return head(canary) + " > " + millis(limit) + " (canary " + slow(canary) + " slower, stable "
        + (compared ? head(stable) + " " + slow(stable) : stable.observations() + " requests, too few to compare")
        + ")";
  }

  @Override
  public String sameAsStable() {
    return head(canary) + " > " + millis(limit) + ", but stable is as slow (" + head(stable) + ", " + slow(stable)
        + " slower): not the canary's fault";
  }

  @Override
  public String notYetWorseThanStable() {
    return head(canary) + " > " + millis(limit) + " (canary " + slow(canary) + " slower), not yet clearly worse "
        + "than stable (" + head(stable) + ", " + slow(stable) + " slower)";
  }

  @Override
  public String holds() {
    return head(canary) + " < " + millis(limit);
  }

  @Override
  public String undecided() {
    return canary.observations() == 0 ? label() + " unknown: no latency data yet"
        : head(canary) + " not yet shown below " + millis(limit) + " (" + slow(canary) + " slower)";
  }

  private String label() {
    return "p" + Math.round(q * 100);
  }

  private String head(VersionCounters c) {
    return label() + " " + millis(c.quantile(q));
  }

  private String slow(VersionCounters c) {
    return count(c.countSlowerThan(limit)) + "/" + c.observations();
  }
}
