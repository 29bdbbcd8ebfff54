package dev.slipway.analysis;

import static dev.slipway.analysis.ShareLimit.count;
import static dev.slipway.analysis.ShareLimit.millis;

/**
 * Verdict texts of a latency limit, each saying what was measured and against what:
 * {@code canary p99 820 ms exceeded the 500 ms limit (31 of 1000 requests slower); stable p99 210 ms (2 of 950 slower)}.
 */
record LatencyTexts(double q, double limit, VersionCounters canary, VersionCounters stable) implements ShareLimit.Texts {

  @Override
  public String breached(boolean compared) {
    return "canary " + head(canary) + " exceeded the " + millis(limit) + " limit (" + slow(canary) + " requests slower); "
        + (compared ? "stable " + head(stable) + " (" + slow(stable) + " slower)"
            : "stable had " + ErrorTexts.requests(stable.observations()) + ", too few to compare");
  }

  @Override
  public String sameAsStable() {
    return "canary " + head(canary) + " exceeds the " + millis(limit) + " limit, but stable is as slow (" + head(stable)
        + ", " + slow(stable) + " slower): not the canary's fault";
  }

  @Override
  public String notYetWorseThanStable() {
    return "canary " + head(canary) + " exceeds the " + millis(limit) + " limit (" + slow(canary)
        + " requests slower), not yet clearly worse than stable (" + head(stable) + ", " + slow(stable) + " slower)";
  }

  @Override
  public String holds() {
    return "canary " + head(canary) + ", within the " + millis(limit) + " limit";
  }

  @Override
  public String undecided() {
    return canary.observations() == 0 ? "canary " + label() + " unknown: no latency data yet"
        : "canary " + head(canary) + ", not yet shown to be within the " + millis(limit) + " limit (" + slow(canary)
            + " requests slower)";
  }

  private String label() {
    return "p" + Math.round(q * 100);
  }

  private String head(VersionCounters c) {
    return label() + " " + millis(c.quantile(q));
  }

  /** {@code 31 of 1000}: requests slower than the limit, of those measured. */
  private String slow(VersionCounters c) {
    return count(c.countSlowerThan(limit)) + " of " + c.observations();
  }
}
