package dev.slipway.analysis;

import dev.slipway.model.CanaryStep;
import dev.slipway.model.MetricQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges a canary against the limits of one analysis step, comparing it with the stable version
 * over the same window (from the baseline sample to now). Call {@link #evaluate} as often as new
 * samples arrive; it fails as soon as the data shows a breach with confidence, passes only when
 * every limit is shown to hold, and otherwise says what it is waiting for. Pure: no I/O, no clock.
 * The rules and why they were chosen: docs/analysis.md.
 */
public final class CanaryJudge {
  /** One-sided 99.9%: the judge looks every few hundred ms, so each look must be strict to not cry wolf. */
  static final double Z_FAIL = 3.090;
  /** One-sided significance for "the canary is worse than stable", the conditional binomial test. */
  static final double ALPHA_STABLE = 0.001;
  /** One-sided 95%: a limit holds when the upper bound of the canary's bad share is below it. */
  static final double Z_PASS = 1.645;
  /** Fewest canary requests before any breach is called, whatever minRequests says. */
  static final int MIN_EARLY = 50;

  private final CanaryStep.Analysis limits;
  private final String stable;
  private final String canary;
  private final Sample baseline;
  private final long early;

  /**
   * @param limits   the analysis step
   * @param stable   the stable version's name (the router's {@code version} label)
   * @param canary   the canary version's name
   * @param baseline the sample taken when the analysis window started
   */
  public CanaryJudge(CanaryStep.Analysis limits, String stable, String canary, Sample baseline) {
    this.limits = limits;
    this.stable = stable;
    this.canary = canary;
    this.baseline = baseline;
    this.early = Math.max(MIN_EARLY, limits.minRequests() / 4);
  }

  /** Judges the window up to {@code now} for a step without custom queries, or before their values are known. */
  public Verdict evaluate(Sample now) {
    return evaluate(now, Map.of());
  }

  /**
   * Judges the window up to {@code now}.
   *
   * @param queryValues the step's custom query values by name (see {@link PromQueries}); a missing
   *                    or NaN value is "no data", which blocks a pass
   */
  public Verdict evaluate(Sample now, Map<String, Double> queryValues) {
    Sample window = now.minus(baseline);
    VersionCounters c = window.version(canary);
    VersionCounters s = window.version(stable);
    Map<String, Double> shown = new LinkedHashMap<>();
    limits.queries().forEach(q -> shown.put(q.name(), finite(queryValues.get(q.name()))));
    Measurements m = new Measurements(now.since(baseline).toMillis() / 1000.0, Measurements.Version.of(canary, c),
        Measurements.Version.of(stable, s), shown);

    List<String> checks = new ArrayList<>();
    List<ShareLimit.Outcome> outcomes = new ArrayList<>();
    if (limits.maxErrorRate() != null) {
      checks.add("maxErrorRate");
      outcomes.add(ShareLimit.judge(new ShareLimit.Counts(c.errors(), c.requests()),
          new ShareLimit.Counts(s.errors(), s.requests()), limits.maxErrorRate(), early,
          new ErrorTexts(c, s, limits.maxErrorRate())));
    }
    latency(checks, outcomes, "maxLatencyP95", 0.95, limits.maxLatencyP95(), c, s);
    latency(checks, outcomes, "maxLatencyP99", 0.99, limits.maxLatencyP99(), c, s);
    for (MetricQuery q : limits.queries()) {
      checks.add("queries." + q.name());
      outcomes.add(query(q, shown.get(q.name()), c.requests()));
    }

    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i).state() == ShareLimit.State.BREACHED) {
        return new Verdict.Fail(checks.get(i), outcomes.get(i).text(), m);
      }
    }
    List<String> waiting = new ArrayList<>();
    outcomes.stream().filter(o -> o.state() == ShareLimit.State.SAME_AS_STABLE
        || o.state() == ShareLimit.State.BREACHED_TOO_EARLY).sorted(Comparator.comparing(
            ShareLimit.Outcome::state)).forEach(o -> waiting.add(o.text()));
    if (c.requests() < limits.minRequests()) {
      waiting.add(progress(c));
    }
    outcomes.stream().filter(o -> o.state() == ShareLimit.State.UNDECIDED).forEach(o -> waiting.add(o.text()));
    if (!waiting.isEmpty()) {
      return new Verdict.Inconclusive(waiting.get(0), m);
    }
    return new Verdict.Pass("all limits hold over " + c.requests() + " canary requests: "
        + String.join("; ", outcomes.stream().map(ShareLimit.Outcome::text).toList()), m);
  }

  /**
   * What the canary has and still needs, with what it measured so far next to the limits:
   * "canary: 100 of 200 requests needed so far, 25 errors (25%, limit 1%), p99 120 ms (limit 500 ms)".
   */
  private String progress(VersionCounters c) {
    if (c.requests() == 0) {
      return "canary: no requests yet, " + limits.minRequests() + " needed";
    }
    StringBuilder b = new StringBuilder("canary: " + c.requests() + " of " + limits.minRequests()
        + " requests needed so far");
    if (limits.maxErrorRate() != null) {
      b.append(", ").append(c.errors()).append(c.errors() == 1 ? " error (" : " errors (")
          .append(ShareLimit.percent(c.errorRate())).append(", limit ").append(ShareLimit.percent(limits.maxErrorRate()))
          .append(')');
    }
    quantile(b, "p95", 0.95, limits.maxLatencyP95(), c);
    quantile(b, "p99", 0.99, limits.maxLatencyP99(), c);
    return b.toString();
  }

  private static void quantile(StringBuilder b, String label, double q, Duration max, VersionCounters c) {
    if (max != null && c.observations() > 0) {
      b.append(", ").append(label).append(' ').append(ShareLimit.millis(c.quantile(q))).append(" (limit ")
          .append(ShareLimit.millis(max.toNanos() / 1e9)).append(')');
    }
  }

  private void latency(List<String> checks, List<ShareLimit.Outcome> outcomes, String key, double q, Duration max,
      VersionCounters c, VersionCounters s) {
    if (max == null) {
      return;
    }
    double limit = max.toNanos() / 1e9;
    checks.add(key);
    outcomes.add(ShareLimit.judge(new ShareLimit.Counts(c.countSlowerThan(limit), c.observations()),
        new ShareLimit.Counts(s.countSlowerThan(limit), s.observations()), 1 - q, early,
        new LatencyTexts(q, limit, c, s)));
  }

  /** A query has no statistics to lean on: out of bounds is a breach once the canary has had real traffic. */
  private ShareLimit.Outcome query(MetricQuery q, Double value, long canaryRequests) {
    if (value == null) {
      return new ShareLimit.Outcome(ShareLimit.State.UNDECIDED, "query " + q.name() + " returned no data");
    }
    String bounds = q.max() != null && value > q.max() ? " is above its max " + ShareLimit.number(q.max())
        : q.min() != null && value < q.min() ? " is below its min " + ShareLimit.number(q.min()) : null;
    if (bounds == null) {
      return new ShareLimit.Outcome(ShareLimit.State.HOLDS, "query " + q.name() + " " + ShareLimit.number(value)
          + ", within its " + (q.max() != null ? "max " + ShareLimit.number(q.max()) : "min " + ShareLimit.number(q.min())));
    }
    String text = "query " + q.name() + " " + ShareLimit.number(value) + bounds;
    return canaryRequests >= early ? new ShareLimit.Outcome(ShareLimit.State.BREACHED, text)
        : new ShareLimit.Outcome(ShareLimit.State.BREACHED_TOO_EARLY, text + "; failing on it needs " + early
            + " canary requests, " + canaryRequests + " so far");
  }

  private static Double finite(Double v) {
    return v == null || !Double.isFinite(v) ? null : v;
  }
}
